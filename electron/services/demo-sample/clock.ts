/**
 * The legal clock of a sample case: office working days only (the working-day calendar), acts between 09:00 and
 * 17:00 Almaty time, always moving forward.
 */
import type { WorkCalendar } from '../../../shared/domain/calendar';
import { officeDayStart } from '../../../shared/local-date';
import type { Random } from './families';

const OPEN = 9 * 60;
const CLOSE = 17 * 60;

export class SampleClock {
  private current: string;
  private minute: number;
  private second: number;

  constructor(
    private readonly calendar: WorkCalendar,
    day: string,
    private readonly r: Random,
  ) {
    this.current = calendar.isWorkingDay(day) ? day : calendar.addWorkingDays(day, 1);
    this.minute = OPEN + r.int(0, 6 * 60);
    this.second = r.int(0, 59);
  }

  day(): string {
    return this.current;
  }

  at(): Date {
    return new Date(officeDayStart(this.current).getTime() + this.minute * 60_000 + this.second * 1000);
  }

  /** Minutes later the same day; past closing time, the next working day's morning. */
  minutes(n: number): void {
    this.minute += n;
    this.second = this.r.int(0, 59);
    if (this.minute >= CLOSE) this.workingDays(1);
  }

  /** `n` working days later (0: later the same day), in the office's hours. */
  workingDays(n: number): void {
    if (n === 0) return this.minutes(this.r.int(20, 90));
    this.current = this.calendar.addWorkingDays(this.current, n);
    this.minute = OPEN + this.r.int(0, 7 * 60);
    this.second = this.r.int(0, 59);
  }
}
