/**
 * Every text a person reads, in Kazakh, Russian and English. Keys are stable; the services return keys,
 * never sentences. Interpolation uses {{name}} (i18next's syntax, also read by formatMessage for the CLI).
 * Each area's messages live in parts/ (one file each), merged here.
 */
import { interpolate } from './format';
import { shell } from './parts/shell';
import { caseFile } from './parts/case-file';
import { application } from './parts/application';
import { decision } from './parts/decision';
import { errors } from './parts/errors';
import { commission } from './parts/commission';
import { deadlines } from './parts/deadlines';
import { events } from './parts/events';
import { forms } from './parts/forms';
import { hardening } from './parts/hardening';
import { sync } from './parts/sync';
import { conflicts } from './parts/conflicts';
import { center } from './parts/center';
import { reference } from './parts/reference';
import { staff } from './parts/staff';
import { verification } from './parts/verification';
import { serverRefusals } from './parts/server-refusals';
import { reports } from './parts/reports';
import { cityReports } from './parts/city-reports';
import { backup } from './parts/backup';
import { paper } from './parts/paper';
import { ecpKeys } from './parts/ecp-keys';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalog = Record<string, string>;

/** A later part wins over an earlier one for the same key. */
const PARTS = [shell, caseFile, application, decision, errors, commission, deadlines, events, forms, sync, hardening, conflicts, center, reference, staff, verification, serverRefusals, reports, cityReports, backup, paper, ecpKeys];
export const messages: Record<Language, Catalog> = {
  kk: Object.assign({}, ...PARTS.map((p) => p.kk)),
  ru: Object.assign({}, ...PARTS.map((p) => p.ru)),
  en: Object.assign({}, ...PARTS.map((p) => p.en)),
};

/**
 * `{{name}}` is the parameter; `{{name, msg}}` is a parameter that is a message key, given in the same language
 * (a key 'a.b:c' without a message of its own reads as 'a.b').
 */
export function formatMessage(lang: Language, key: string, params: Record<string, string | number> = {}): string {
  const template = messages[lang][key] ?? messages.ru[key] ?? key;
  return interpolate(lang, template, params, (k) => messages[lang][k] ?? messages.ru[k]);
}

/** The sentence for an error value returned by the services. */
export function errorMessage(lang: Language, error: { code: string; params?: Record<string, string | number> }) {
  return formatMessage(lang, `errors.${error.code}`, error.params);
}
