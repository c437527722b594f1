import { DomainError } from './errors';

/** Calendar days as integers (days since 1970-01-01, UTC): no time zones, no Date arithmetic in the rules. */
export type DayNumber = number;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function parseDay(iso: string, field = 'date'): DayNumber {
  const m = typeof iso === 'string' ? ISO.exec(iso) : null;
  if (!m) throw new DomainError('date.invalid', field, { value: String(iso) });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new DomainError('date.invalid', field, { value: iso });
  }
  return ms / MS_PER_DAY;
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
