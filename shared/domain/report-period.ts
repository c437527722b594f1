/**
 * A report's period: a month, a quarter, a year, or any from–to, always whole office days (Almaty time), and the
 * UTC instants that bound it for event times. Percentiles of working days use the nearest-rank method, so the
 * figure is always a day count that occurred.
 */
import { officeDateOf } from '../local-date';
import { formatDay, parseDay } from './dates';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

/** The first and last day of the month, quarter or year that contains `day`. */
export function periodAround(kind: Exclude<PeriodKind, 'range'>, day: string): { from: string; to: string } {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const first = kind === 'year' ? 1 : kind === 'quarter' ? 3 * Math.floor((m - 1) / 3) + 1 : m;
  const months = kind === 'year' ? 12 : kind === 'quarter' ? 3 : 1;
  const from = `${y}-${String(first).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(y, first - 1 + months, 0));
  return { from, to: end.toISOString().slice(0, 10) };
}

/** The UTC instant of the office's midnight that starts `day` (Almaty was UTC+6 until March 2024, UTC+5 since). */
export function officeMidnight(day: string): string {
  const base = Date.parse(`${day}T00:00:00Z`);
  for (const hours of [5, 6, 4, 7, 3, 8]) {
    const t = base - hours * 3_600_000;
    if (officeDateOf(new Date(t).toISOString()) === day && officeDateOf(new Date(t - 1).toISOString()) !== day) return new Date(t).toISOString();
  }
  throw new Error(`no office midnight found for ${day}`);
}

export function nextDay(day: string): string {
  return formatDay(parseDay(day) + 1);
}

/** The period as office days and as [fromAt, toAt) instants. */
export function periodBounds(from: string, to: string): { fromDay: string; toDay: string; fromAt: string; toAt: string } {
  return { fromDay: from, toDay: to, fromAt: officeMidnight(from), toAt: officeMidnight(nextDay(to)) };
}

/** The months (YYYY-MM) a period touches, in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/**
 * Nearest-rank percentile (0 < p ≤ 1) of whole numbers given as value → how many times it occurs; null for none.
 * Working days take few values, so a year's decisions are counted, not sorted one by one.
 */
export function percentileRank(counts: ReadonlyMap<number, number>, p: number): number | null {
  let n = 0;
  for (const c of counts.values()) n += c;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const value of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(value)!;
    if (seen >= rank) return value;
  }
  return null;
}
