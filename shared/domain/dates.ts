import { DomainError } from './errors';

/** Calendar days as integers (days since 1970-01-01, UTC): no time zones, no Date arithmetic in the rules. */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to y-m-d (proleptic Gregorian), without Date: deadlines are counted in bulk. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Two ASCII digits at i, i+1 as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Parses YYYY-MM-DD into a day number; anything else, or a day that does not exist, is date.invalid. */
export function parseDay(iso: string, field = 'date'): DayNumber {
  // Written without allocation: the deadlines board parses hundreds of thousands of dates at once.
  if (typeof iso !== 'string' || iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) {
    throw new DomainError('date.invalid', field, { value: String(iso) });
  }
  const hi = twoDigits(iso, 0);
  const lo = twoDigits(iso, 2);
  const mo = twoDigits(iso, 5);
  const d = twoDigits(iso, 8);
  const y = hi * 100 + lo;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (hi < 0 || lo < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]! + (mo === 2 && leap ? 1 : 0)) {
    throw new DomainError('date.invalid', field, { value: iso });
  }
  return daysFromCivil(y, mo, d);
}

/** YYYY-MM-DD naming a day that exists on the calendar (2026-02-30 and 0000-00-00 do not). */
export function isCalendarDay(iso: string): boolean {
  try {
    parseDay(iso);
    return true;
  } catch {
    return false;
  }
}

export function formatDay(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day: DayNumber): number {
  // 1970-01-01 was a Thursday (3).
  return (((day + 3) % 7) + 7) % 7;
}

export function yearOf(day: DayNumber): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function isWeekend(day: DayNumber): boolean {
  return weekday(day) >= 5;
}
