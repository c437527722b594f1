/**
 * Working days in Kazakhstan, counted on the stored reference calendar (data/work-calendar-kz.json plus the
 * administrator's corrections). "Within N working days from day D": D itself is not counted; the deadline is the
 * N-th working day after D (benefit.md §4, an assumed reading of "the day of acceptance and of issue are not
 * counted"). A worked Saturday counts as a working day. A day outside the calendar's years is an error, never a
 * guess.
 */
import { DomainError } from './errors';
import { formatDay, isWeekend, parseDay, yearOf, type DayNumber } from './dates';
import type { CalendarYear } from './calendar-rules';
import seed from './data/work-calendar-kz.json';

export interface DayCorrection {
  date: string;
  working: boolean;
  reason: string;
}

export class WorkCalendar {
  private readonly first: DayNumber;
  private readonly last: DayNumber;
  /** working[i]: day first+i is a working day. */
  private readonly working: Uint8Array;
  /** count[i]: working days in [first, first+i]. Monotonic, so counting is a subtraction and adding a search. */
  private readonly count: Int32Array;
  readonly years: readonly number[];

  constructor(years: readonly CalendarYear[], corrections: readonly DayCorrection[] = []) {
    const sorted = [...years].sort((a, b) => a.year - b.year);
    if (sorted.length === 0) throw new DomainError('calendar.empty', 'calendar');
    sorted.forEach((y, i) => {
      if (i > 0 && y.year !== sorted[i - 1]!.year + 1) throw new DomainError('calendar.year_missing', 'calendar', { year: sorted[i - 1]!.year + 1 });
    });
    this.years = sorted.map((y) => y.year);
    this.first = parseDay(`${sorted[0]!.year}-01-01`);
    this.last = parseDay(`${sorted[sorted.length - 1]!.year}-12-31`);
    const size = this.last - this.first + 1;
    this.working = new Uint8Array(size);
    for (let i = 0; i < size; i++) this.working[i] = isWeekend(this.first + i) ? 0 : 1;
    for (const y of sorted) {
      for (const d of y.daysOff) this.working[parseDay(d.date) - this.first] = 0;
      for (const d of y.workedWeekendDays) this.working[parseDay(d.date) - this.first] = 1;
    }
    for (const c of corrections) {
      const day = parseDay(c.date, 'correction.date');
      if (day < this.first || day > this.last) throw new DomainError('calendar.year_missing', 'correction.date', { year: yearOf(day) });
      this.working[day - this.first] = c.working ? 1 : 0;
    }
    this.count = new Int32Array(size);
    let running = 0;
    for (let i = 0; i < size; i++) {
      running += this.working[i]!;
      this.count[i] = running;
    }
  }

  private index(day: DayNumber, field: string): number {
    if (day < this.first || day > this.last) throw new DomainError('calendar.year_missing', field, { year: yearOf(day) });
    return day - this.first;
  }

  isWorkingDay(date: string): boolean {
    return this.working[this.index(parseDay(date), 'date')] === 1;
  }

  /** The n-th working day after `from` (from itself not counted). n = 0 gives `from`. */
  addWorkingDays(from: string, n: number): string {
    return formatDay(this.addWorkingDaysToDay(parseDay(from, 'from'), n));
  }

  /** addWorkingDays on day numbers, for counting many deadlines without formatting dates. */
  addWorkingDaysToDay(fromDay: DayNumber, n: number): DayNumber {
    if (!Number.isInteger(n) || n < 0) throw new DomainError('workdays.count_invalid', 'n', { value: String(n) });
    const start = this.index(fromDay, 'from');
    if (n === 0) return fromDay;
    const target = this.count[start]! + n;
    // The first index whose running count reaches the target is that working day.
    let lo = start + 1;
    let hi = this.count.length - 1;
    if (this.count[hi]! < target) throw new DomainError('calendar.year_missing', 'n', { year: yearOf(this.last) + 1 });
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.count[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return this.first + lo;
  }

  /** Working days d with from < d ≤ to; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number {
    const a = this.index(parseDay(from, 'from'), 'from');
    const b = this.index(parseDay(to, 'to'), 'to');
    return this.count[b]! - this.count[a]!;
  }
}

let defaultCalendar: WorkCalendar | null = null;

/** The seeded reference calendar, 2012–2027, without corrections. */
export function seedCalendar(): WorkCalendar {
  defaultCalendar ??= new WorkCalendar((seed as { years: CalendarYear[] }).years);
  return defaultCalendar;
}

export function seedCalendarYears(): CalendarYear[] {
  return (seed as { years: CalendarYear[] }).years;
}
