/**
 * Formats a message's parameter may ask for, as {{name, format}} (i18next's syntax; the renderer registers the same
 * functions with i18next, formatMessage applies them for the services and the CLI):
 * - a Kazakh case after a number (abl, dat, loc, gen, acc, ins: kk-numbers.ts); in Russian and English the number
 *   stays as it is;
 * - `region`, `rules` and `act`: the name a person reads for a code (no raw codes on screen, glossary.md), looked
 *   up in the catalogue as region.<code>, rules.<code> and act.<code> (the signed acts of shared/domain/acts.ts);
 * - `msg`: a parameter that is itself a message key (a form's or a document's name in a refusal).
 */
import { isKkCase, kkNumber } from './kk-numbers';

export type Lookup = (key: string) => string | undefined;

export const FORMAT_NAMES = ['abl', 'dat', 'loc', 'gen', 'acc', 'ins', 'region', 'rules', 'act', 'msg'] as const;

/** The formats that name a code: region.<code>, rules.<code>, act.<code> in the catalogue. */
const NAMED = new Set(['region', 'rules', 'act']);

export function applyFormat(lang: string, format: string, value: unknown, lookup: Lookup): string {
  if (isKkCase(format)) {
    const n = Number(value);
    return lang === 'kk' && Number.isFinite(n) ? kkNumber(n, format) : String(value ?? '');
  }
  if (NAMED.has(format)) return lookup(`${format}.${String(value)}`) ?? String(value ?? '');
  // A parameter that is itself a message key; 'a.b:c' without a message of its own reads as its kind's, 'a.b'.
  if (format === 'msg') {
    const key = String(value ?? '');
    return lookup(key) ?? (key.includes(':') ? lookup(key.slice(0, key.indexOf(':'))) : undefined) ?? key;
  }
  return String(value ?? '');
}

/** {{name}} and {{name, format}} in a template, as i18next reads them. */
export function interpolate(lang: string, template: string, params: Record<string, string | number>, lookup: Lookup): string {
  return template.replace(/\{\{\s*(\w+)\s*(?:,\s*(\w+)\s*)?\}\}/g, (_, name: string, format: string | undefined) => {
    const value = params[name];
    if (format) return applyFormat(lang, format, value, lookup);
    return String(value ?? '');
  });
}
