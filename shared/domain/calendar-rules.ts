/**
 * Kazakhstan's public holidays as data, and the rule that drafts a year's calendar from them
 * (../shared/domain/benefit.md §4). The drafted years are reviewed, corrected with the Government's transfer
 * decrees where known, and stored as reference data (data/work-calendar-kz.json); the app's administrator can
 * correct any day afterwards. Nothing here is consulted when counting deadlines: only the stored calendar is.
 */
import { formatDay, isWeekend, parseDay } from './dates';

export type Mark = 'sourced' | 'assumed';

export interface HolidayRule {
  id: string;
  month: number;
  day: number;
  /** First and last year the holiday exists (inclusive). */
  from?: number;
  until?: number;
  /** A holiday on a Saturday or Sunday moves the day off to the next working day, except 7 Jan and Kurban Ait. */
  carryOver: boolean;
  mark: Mark;
  name: { kk: string; ru: string };
}

const SRC_2013 = 'benefit.md §4: holidays of 2013–2014';
export const HOLIDAY_RULES: readonly (HolidayRule & { source: string })[] = [
  { id: 'new_year_1', month: 1, day: 1, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Жаңа жыл', ru: 'Новый год' } },
  { id: 'new_year_2', month: 1, day: 2, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Жаңа жыл', ru: 'Новый год' } },
  { id: 'orthodox_christmas', month: 1, day: 7, carryOver: false, mark: 'sourced', source: 'benefit.md §4: 7 Jan is a day off, never carried over', name: { kk: 'Православиелік Рождество', ru: 'Православное Рождество' } },
  { id: 'womens_day', month: 3, day: 8, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Халықаралық әйелдер күні', ru: 'Международный женский день' } },
  { id: 'nauryz_1', month: 3, day: 21, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы' } },
  { id: 'nauryz_2', month: 3, day: 22, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы' } },
  { id: 'nauryz_3', month: 3, day: 23, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы' } },
  { id: 'unity_day', month: 5, day: 1, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Қазақстан халқының бірлігі мерекесі', ru: 'Праздник единства народа Казахстана' } },
  { id: 'defender_day', month: 5, day: 7, from: 2013, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Отан қорғаушы күні', ru: 'День защитника Отечества' } },
  { id: 'victory_day', month: 5, day: 9, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Жеңіс күні', ru: 'День Победы' } },
  { id: 'capital_day', month: 7, day: 6, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Астана күні', ru: 'День столицы' } },
  { id: 'constitution_day', month: 8, day: 30, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Қазақстан Республикасының Конституциясы күні', ru: 'День Конституции Республики Казахстан' } },
  { id: 'republic_day', month: 10, day: 25, from: 2022, carryOver: true, mark: 'sourced', source: 'benefit.md §4: from Sep 2022, 25 Oct added', name: { kk: 'Республика күні', ru: 'День Республики' } },
  { id: 'first_president_day', month: 12, day: 1, from: 2012, until: 2021, carryOver: true, mark: 'sourced', source: 'benefit.md §4: 1 Dec, dropped from Sep 2022', name: { kk: 'Тұңғыш Президент күні', ru: 'День Первого Президента' } },
  { id: 'independence_day_1', month: 12, day: 16, carryOver: true, mark: 'sourced', source: SRC_2013, name: { kk: 'Тәуелсіздік күні', ru: 'День Независимости' } },
  { id: 'independence_day_2', month: 12, day: 17, until: 2021, carryOver: true, mark: 'sourced', source: 'benefit.md §4: 17 Dec, dropped from Sep 2022', name: { kk: 'Тәуелсіздік күні', ru: 'День Независимости' } },
];

/**
 * The first day of Kurban Ait moves with the lunar calendar: a day off, never carried over. Dates marked
 * 'assumed' are the astronomical Eid al-Adha dates, to be checked against the Government's decree of that year.
 */
export const KURBAN_AIT: Readonly<Record<number, { date: string; mark: Mark }>> = {
  2012: { date: '2012-10-26', mark: 'assumed' },
  2013: { date: '2013-10-15', mark: 'assumed' },
  2014: { date: '2014-10-04', mark: 'sourced' },
  2015: { date: '2015-09-24', mark: 'sourced' },
  2016: { date: '2016-09-12', mark: 'assumed' },
  2017: { date: '2017-09-01', mark: 'assumed' },
  2018: { date: '2018-08-21', mark: 'assumed' },
  2019: { date: '2019-08-11', mark: 'assumed' },
  2020: { date: '2020-07-31', mark: 'assumed' },
  2021: { date: '2021-07-20', mark: 'assumed' },
  2022: { date: '2022-07-09', mark: 'assumed' },
  2023: { date: '2023-06-28', mark: 'assumed' },
  2024: { date: '2024-06-16', mark: 'assumed' },
  2025: { date: '2025-06-06', mark: 'sourced' },
  2026: { date: '2026-05-27', mark: 'sourced' },
  2027: { date: '2027-05-16', mark: 'assumed' },
};

/** Government transfers of days off (a weekend day worked, a weekday off), from benefit.md §4. */
export const GOVERNMENT_TRANSFERS: readonly { worked: string; off: string; mark: Mark; source: string }[] = [
  { worked: '2012-12-29', off: '2012-12-31', mark: 'sourced', source: 'benefit.md §4: 2012 transfer' },
  { worked: '2013-12-28', off: '2014-01-03', mark: 'sourced', source: 'benefit.md §4: Sat 28 Dec 2013 worked, Fri 3 Jan 2014 off' },
  { worked: '2014-05-04', off: '2014-05-02', mark: 'sourced', source: 'benefit.md §4: 2014 transfer' },
  { worked: '2014-05-11', off: '2014-05-08', mark: 'sourced', source: 'benefit.md §4: 2014 transfer' },
];

export interface DayOff {
  date: string;
  kind: 'holiday' | 'carry_over' | 'transfer';
  reason: string;
  mark: Mark;
}
export interface WorkedWeekendDay {
  date: string;
  reason: string;
  mark: Mark;
}
export interface CalendarYear {
  year: number;
  daysOff: DayOff[];
  workedWeekendDays: WorkedWeekendDay[];
  note: string;
}

/**
 * Drafts a year: the holidays in force that year, each weekend holiday carried to the next free working day
 * (except those without carry-over), then the Government transfers known for that year.
 * `carryOverMark` marks the carried days: a drafted carry-over is an assumption until the year's decree is read.
 */
export function draftYear(year: number, options: { carryOverMark?: Mark } = {}): CalendarYear {
  const off = new Map<string, DayOff>();
  const holidays: { date: string; rule: string; carryOver: boolean; mark: Mark }[] = [];
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
  for (const t of GOVERNMENT_TRANSFERS) {
    if (t.off.startsWith(`${year}-`)) off.set(t.off, { date: t.off, kind: 'transfer', reason: `transfer:worked ${t.worked}`, mark: t.mark });
    if (t.worked.startsWith(`${year}-`)) worked.push({ date: t.worked, reason: `transfer:off ${t.off}`, mark: t.mark });
  }
  const daysOff = [...off.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  return { year, daysOff, workedWeekendDays: worked, note: 'drafted from HOLIDAY_RULES, KURBAN_AIT and GOVERNMENT_TRANSFERS' };
}
