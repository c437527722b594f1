/** What every command of `jardem` shares: failing with a message, the person's language for a domain refusal, required options. */
import { errorMessage, formatMessage, LANGUAGES, type Language } from '../../shared/i18n/messages';
import { DomainError } from '../../shared/domain/errors';
import type { AppErrorValue } from '../../shared/errors';
import { USAGE } from './usage';

export function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** A domain rule refused its input: the message in the person's language, the field, exit 1. */
export function failDomain(error: unknown, lang: string | undefined): never {
  if (!(error instanceof DomainError)) throw error;
  const language = (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : 'ru';
  console.error(`${error.field}: ${formatMessage(language, error.code, error.params)}`);
  console.log(JSON.stringify({ error: error.code, field: error.field, params: error.params }));
  process.exit(1);
}

/**
 * An error as a person at the command line reads it: a refusal of a rule (the workflow's guards, the family check,
 * a field) in that rule's own words, one line per field; a field of the input is named, the workflow's are not.
 * The screen's "check the fields marked in red" means nothing here.
 */
export function errorText(lang: Language, error: AppErrorValue): string {
  const fields = Object.entries(error.fieldErrors ?? {});
  if (error.code !== 'validation' || fields.length === 0) return errorMessage(lang, error);
  const ruleFields = new Set(['event', 'role', 'on', 'rulesVersion', '_']);
  return fields.map(([field, key]) => `${ruleFields.has(field) ? '' : `${field}: `}${formatMessage(lang, key, error.params)}`).join('\n');
}

export function need(values: Record<string, unknown>, ...names: string[]) {
  const missing = names.filter((n) => typeof values[n] !== 'string' || values[n] === '');
  if (missing.length) fail(`missing ${missing.map((m) => `--${m}`).join(', ')}\n\n${USAGE}`);
}

export function parseDay(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) fail(`--${name}: not a date (YYYY-MM-DD): ${value}`);
  return d;
}
