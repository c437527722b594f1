/**
 * Kazakhstan's public holidays and the transfers of days of rest, as data with their sources
 * (data/holidays-kz.json, data/transfers-kz.json; ../shared/domain/benefit.md §4), and the rule that drafts a
 * year's calendar from them. The drafted years are stored as reference data (data/work-calendar-kz.json); the
 * app's administrator can correct any day afterwards. Nothing here is consulted when counting deadlines: only
 * the stored calendar is.
 */
import { formatDay, isWeekend, parseDay } from './dates';
import { DomainError } from './errors';
import holidayData from './data/holidays-kz.json';
import transferData from './data/transfers-kz.json';

/** How a reference value is known: read in public material, or a best guess to be checked. */
export type Mark = 'sourced' | 'assumed';
/** A calendar entry may also rest on one public source only (a transfer found once). */
export type SourceMark = Mark | 'sourced-single';

export interface HolidayRule {
  id: string;
  month: number;
  day: number;
  /** First and last year the holiday exists (inclusive). */
  from?: number;
  until?: number;
  /** A holiday on a Saturday or Sunday moves the day off to the next working day, except 7 Jan and Kurban Ait. */
  carryOver: boolean;
  mark: SourceMark;
  source: string;
  name: { kk: string; ru: string };
}

export const HOLIDAY_RULES: readonly HolidayRule[] = holidayData.holidays as HolidayRule[];

/**
 * The first day of Kurban Ait moves with the lunar calendar and is fixed each year by the Spiritual
 * Administration of Muslims (ДУМК): a day off, never carried over. Dates marked 'assumed' are astronomical.
 */
export const KURBAN_AIT: Readonly<Record<number, { date: string; mark: SourceMark; source: string }>> = Object.fromEntries(
  holidayData.kurbanAit.map((k) => [k.year, { date: k.date, mark: k.mark as SourceMark, source: k.source }]),
);

export interface GovernmentTransfer {
  /** The day of rest moved: it becomes a working day. */
  from: string;
  /** The day it moved to: it becomes a day off. */
  to: string;
  /** `from` when it is a Saturday or Sunday; null when the day moved was a weekday a holiday had been carried to. */
  workedWeekendDay: string | null;
  act: { kind: 'government_decree' | 'government_decree_amendment' | 'minister_order'; text: string; number: string | null; date: string | null };
  mark: SourceMark;
  sources: string[];
  note?: string;
}

/** Every transfer of a day of rest found, with its act and sources (Government decrees; from 2024 the Minister of Labour's orders). */
export const GOVERNMENT_TRANSFERS: readonly GovernmentTransfer[] = transferData.transfers as GovernmentTransfer[];

/** Per year 2015–2026: how many transfers were found, the acts, and what was searched where none was. */
export const TRANSFER_YEARS: readonly { year: number; transfers: number; acts: string[]; note: string; searched: string[] }[] = transferData.years;

export interface DayOff {
  date: string;
  kind: 'holiday' | 'carry_over' | 'transfer';
  reason: string;
  mark: SourceMark;
}
/** A day worked that would otherwise be a day off: a weekend day, or a carried-over weekday a transfer moved. */
export interface WorkedWeekendDay {
  date: string;
  reason: string;
  mark: SourceMark;
}
export interface CalendarYear {
  year: number;
  daysOff: DayOff[];
  workedWeekendDays: WorkedWeekendDay[];
  note: string;
}

/**
 * Drafts a year: the holidays in force that year, each weekend holiday carried to the next free working day
 * (except those without carry-over), then the transfers of that year. A transfer whose `from` is a weekday must
 * move a drafted carry-over (2020: Victory Day's Monday 11 May to Friday 8 May); anything else is refused.
 * `carryOverMark` marks the carried days: a drafted carry-over is an assumption until the year's calendar is read.
 */
export function draftYear(year: number, options: { carryOverMark?: SourceMark; transfers?: readonly GovernmentTransfer[] } = {}): CalendarYear {
  const off = new Map<string, DayOff>();
  const holidays: { date: string; rule: string; carryOver: boolean; mark: SourceMark }[] = [];
  for (const rule of HOLIDAY_RULES) {
    if ((rule.from ?? -Infinity) > year || (rule.until ?? Infinity) < year) continue;
    const date = `${year}-${String(rule.month).padStart(2, '0')}-${String(rule.day).padStart(2, '0')}`;
    holidays.push({ date, rule: rule.id, carryOver: rule.carryOver, mark: rule.mark });
  }
  const kurban = KURBAN_AIT[year];
  if (kurban) holidays.push({ date: kurban.date, rule: 'kurban_ait_1', carryOver: false, mark: kurban.mark });
  holidays.sort((a, b) => (a.date < b.date ? -1 : 1));
  for (const h of holidays) off.set(h.date, { date: h.date, kind: 'holiday', reason: h.rule, mark: h.mark });

  const carryMark = options.carryOverMark ?? 'assumed';
  for (const h of holidays) {
    if (!h.carryOver || !isWeekend(parseDay(h.date))) continue;
    let day = parseDay(h.date) + 1;
    while (isWeekend(day) || off.has(formatDay(day))) day++;
    const date = formatDay(day);
    off.set(date, { date, kind: 'carry_over', reason: `carry_over:${h.rule}`, mark: carryMark });
  }

  const worked: WorkedWeekendDay[] = [];
  for (const t of options.transfers ?? GOVERNMENT_TRANSFERS) {
    if (t.to.startsWith(`${year}-`)) {
      if (isWeekend(parseDay(t.to)) || off.get(t.to)?.kind === 'holiday') throw new DomainError('calendar.transfer_invalid', 'to', { date: t.to });
      off.set(t.to, { date: t.to, kind: 'transfer', reason: `transfer:from ${t.from}`, mark: t.mark });
    }
    if (t.from.startsWith(`${year}-`)) {
      const weekend = isWeekend(parseDay(t.from));
      if (t.workedWeekendDay !== (weekend ? t.from : null)) throw new DomainError('calendar.transfer_invalid', 'workedWeekendDay', { date: t.from });
      if (!weekend) {
        if (off.get(t.from)?.kind !== 'carry_over') throw new DomainError('calendar.transfer_invalid', 'from', { date: t.from });
        off.delete(t.from);
      }
      worked.push({ date: t.from, reason: `transfer:to ${t.to}`, mark: t.mark });
    }
  }
  const daysOff = [...off.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  worked.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { year, daysOff, workedWeekendDays: worked, note: 'drafted from data/holidays-kz.json and data/transfers-kz.json' };
}
