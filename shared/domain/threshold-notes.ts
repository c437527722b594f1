/**
 * The derivation notes of the seeded food-basket rows are kept in English (food-basket-kz.json, the record of
 * how each value was found); a Kazakh or Russian screen shows their reading in its own language
 * (food-basket-notes.json). A note entered by the administrator is shown as entered.
 */
import notes from './data/food-basket-notes.json';

const READINGS = notes.notes as Record<string, { kk: string; ru: string }>;

export function thresholdNote(lang: 'kk' | 'ru' | 'en', derivation: string): string {
  if (lang === 'en') return derivation;
  return READINGS[derivation]?.[lang] ?? derivation;
}

/** Whether a seeded note has its Kazakh and Russian readings. */
export function hasReadings(derivation: string): boolean {
  const r = READINGS[derivation];
  return Boolean(r?.kk && r.ru);
}
