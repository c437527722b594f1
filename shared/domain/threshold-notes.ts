/**
 * The derivation notes of the seeded food-basket rows are kept in English (food-basket-kz.json, the record of
 * how each value was found); a Kazakh or Russian screen shows their reading in its own language
 * (food-basket-notes.json). A note entered by the administrator is shown as entered.
 */
import notes from './data/food-basket-notes.json';

const READINGS = notes.notes as Record<string, { kk: string; ru: string }>;

export function thresholdNote(lang: 'kk' | 'ru' | 'en', derivation: string): string {
  return readableLinks(lang === 'en' ? derivation : (READINGS[derivation]?.[lang] ?? derivation));
}

/** A link as a person reads it: a Cyrillic address decoded ("…/қазақстанда-өмір-…", not "…/%d2%9baza…"). */
export function readableLinks(text: string): string {
  return text.replace(/https?:\/\/[^\s)";]+/g, (url) => {
    try {
      return decodeURI(url);
    } catch {
      return url;
    }
  });
}

/** Whether a seeded note has its Kazakh and Russian readings. */
export function hasReadings(derivation: string): boolean {
  const r = READINGS[derivation];
  return Boolean(r?.kk && r.ru);
}
