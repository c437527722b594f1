/**
 * Times on screen are Almaty time, whatever the computer's own zone: the forms print Almaty
 * time, and a workstation's clock may be set to UTC. Dates of the calendar ("2026-12-01") are shown as they are.
 */
import dayjs, { type Dayjs } from 'dayjs';
import i18next from 'i18next';
import type { Language } from '../../shared/i18n/messages';
import { officeDate, officeDateTime } from '../../shared/local-date';

/** An instant ("2024-02-29T12:00:00Z") as the office's clock shows it: 29.02.2024 18:00. */
export function atOffice(instant: string, seconds = false): string {
  return officeDateTime(instant, { seconds });
}

/** Today at the office (Almaty), as a date picker's value. */
export function officeToday(): Dayjs {
  return dayjs(officeDate(new Date()));
}

/**
 * How each language writes a calendar day, in one place: every screen formats a day through formatDay and gives
 * its date pickers dayFormat(), so a language's convention is changed here only. The three write the day first,
 * as the regulation's forms do.
 */
const DAY_FORMAT: Record<Language, string> = { kk: 'DD.MM.YYYY', ru: 'DD.MM.YYYY', en: 'DD.MM.YYYY' };

/** The date pickers' format in the language on screen. */
export function dayFormat(): string {
  return DAY_FORMAT[(i18next.language as Language) in DAY_FORMAT ? (i18next.language as Language) : 'ru'];
}

/** A calendar day (YYYY-MM-DD, or an instant's date) as the language on screen writes it; '—' for none. */
export function formatDay(day: string | null | undefined): string {
  return day ? dayjs(day).format(dayFormat()) : '—';
}
