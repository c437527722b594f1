import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedCalendar, seedCalendarYears, WorkCalendar } from '../shared/domain/calendar';
import { draftYear } from '../shared/domain/calendar-rules';
import { formatDay, parseDay } from '../shared/domain/dates';
import { DomainError } from '../shared/domain/errors';

const cal = seedCalendar();

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('working days on real dates', () => {
  it.each([
    // Nauryz 2013: Thu 21 – Sat 23 Mar off, Sun 24, so Mon 25 Mar is the carried day off.
    ['2013-03-20', 1, '2013-03-26'],
    // Nauryz 2026: Sat 21, Sun 22, Mon 23 off; carried to Tue 24 and Wed 25 (benefit.md §4).
    ['2026-03-20', 1, '2026-03-26'],
    ['2026-03-19', 3, '2026-03-27'],
    // 8 March 2026 is a Sunday, carried to Monday 9 March.
    ['2026-03-06', 1, '2026-03-10'],
    // December holidays 2013: 16–17 Dec (Mon, Tue).
    ['2013-12-13', 1, '2013-12-18'],
    // 2013: 1 Dec (Sun) carried to Mon 2 Dec.
    ['2013-11-29', 1, '2013-12-03'],
    // New Year transfer 2013–2014: Sat 28 Dec 2013 worked, Fri 3 Jan 2014 off.
    ['2013-12-27', 1, '2013-12-28'],
    ['2013-12-31', 1, '2014-01-06'],
    // 2014 May: Fri 2 May and Thu 8 May off, Sun 4 May and Sun 11 May worked.
    ['2014-04-30', 1, '2014-05-04'],
    ['2014-05-06', 1, '2014-05-11'],
    // New Year 2026: Thu 1, Fri 2 Jan off; Wed 7 Jan off.
    ['2025-12-31', 1, '2026-01-05'],
    ['2026-01-06', 1, '2026-01-08'],
    // 2026: 16 Dec (Wed) only, since 17 Dec was dropped in 2022.
    ['2026-12-15', 1, '2026-12-17'],
    // 7 deadlines of the regulation from a Friday before Nauryz 2026.
    ['2026-03-13', 7, '2026-03-27'],
  ])('addWorkingDays(%s, %i) = %s', (from, n, expected) => {
    expect(cal.addWorkingDays(from, n)).toBe(expected);
    expect(cal.workingDaysBetween(from, expected)).toBe(n);
  });

  it('knows the days off and the worked weekend days', () => {
    expect(cal.isWorkingDay('2013-12-28')).toBe(true); // worked Saturday
    expect(cal.isWorkingDay('2014-01-03')).toBe(false);
    expect(cal.isWorkingDay('2026-03-24')).toBe(false);
    expect(cal.isWorkingDay('2026-05-27')).toBe(false); // Kurban Ait
    expect(cal.isWorkingDay('2026-12-17')).toBe(true);
    expect(cal.isWorkingDay('2021-12-17')).toBe(false);
    expect(cal.isWorkingDay('2026-11-24')).toBe(true);
  });

  it('does not carry over 7 January or the first day of Kurban Ait', () => {
    // 7 Jan 2018 was a Sunday: Monday 8 Jan 2018 is a working day.
    expect(cal.isWorkingDay('2018-01-08')).toBe(true);
    // Kurban Ait 2014 fell on Saturday 4 Oct: Monday 6 Oct 2014 is a working day.
    expect(cal.isWorkingDay('2014-10-06')).toBe(true);
  });

  it('refuses a year without calendar data, an unknown date and a bad count, naming the field', () => {
    expect(domainError(() => cal.addWorkingDays('2028-01-10', 1))).toMatchObject({ code: 'calendar.year_missing', field: 'from', params: { year: 2028 } });
    expect(domainError(() => cal.addWorkingDays('2027-12-20', 30))).toMatchObject({ code: 'calendar.year_missing', field: 'n', params: { year: 2028 } });
    expect(domainError(() => cal.isWorkingDay('2026-02-30'))).toMatchObject({ code: 'date.invalid', field: 'date' });
    expect(domainError(() => cal.workingDaysBetween('2026-01-01', 'tomorrow'))).toMatchObject({ code: 'date.invalid', field: 'to' });
    expect(domainError(() => cal.addWorkingDays('2026-01-01', -1))).toMatchObject({ code: 'workdays.count_invalid', field: 'n' });
    expect(domainError(() => cal.addWorkingDays('2026-01-01', 1.5))).toMatchObject({ code: 'workdays.count_invalid' });
    expect(domainError(() => new WorkCalendar([draftYear(2020), draftYear(2022)]))).toMatchObject({ code: 'calendar.year_missing', params: { year: 2021 } });
    expect(domainError(() => new WorkCalendar([]))).toMatchObject({ code: 'calendar.empty' });
  });

  it('applies an administrator’s correction of a day', () => {
    const corrected = new WorkCalendar(seedCalendarYears(), [{ date: '2026-11-24', working: false, reason: 'Government decree' }]);
    expect(corrected.isWorkingDay('2026-11-24')).toBe(false);
    expect(corrected.addWorkingDays('2026-11-23', 1)).toBe('2026-11-25');
    expect(domainError(() => new WorkCalendar(seedCalendarYears(), [{ date: '2030-01-01', working: true, reason: '' }]))).toMatchObject({ code: 'calendar.year_missing' });
  });

  it('marks every entry sourced, sourced from a single source, or assumed, and covers 2012 to 2027', () => {
    const years = seedCalendarYears();
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: 16 }, (_, i) => 2012 + i));
    for (const y of years) for (const d of [...y.daysOff, ...y.workedWeekendDays]) expect(['sourced', 'sourced-single', 'assumed']).toContain(d.mark);
  });

  it('the rule reproduces the 2026 carry-overs listed in benefit.md', () => {
    expect(draftYear(2026).daysOff.filter((d) => d.kind === 'carry_over').map((d) => d.date)).toEqual(['2026-03-09', '2026-03-24', '2026-03-25', '2026-05-11', '2026-08-31', '2026-10-26']);
    expect(draftYear(2030).daysOff.length).toBeGreaterThan(10);
  });
});

describe('working-day properties', () => {
  const day = fc.integer({ min: parseDay('2012-01-01'), max: parseDay('2026-06-30') }).map(formatDay);
  const count = fc.integer({ min: 0, max: 120 });

  it('addWorkingDays lands on a working day after `from`, and counting back gives n', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 120 }), (from, n) => {
        const to = cal.addWorkingDays(from, n);
        expect(to > from).toBe(true);
        expect(cal.isWorkingDay(to)).toBe(true);
        expect(cal.workingDaysBetween(from, to)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotonic in n and in from', () => {
    fc.assert(
      fc.property(day, day, count, count, (a, b, n, m) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.addWorkingDays(lo, n) <= cal.addWorkingDays(hi, n)).toBe(true);
        const [k, l] = n <= m ? [n, m] : [m, n];
        expect(cal.addWorkingDays(a, k) <= cal.addWorkingDays(a, l)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('composes: adding n then m equals adding n + m (n ≥ 1)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), (from, n, m) => {
        expect(cal.addWorkingDays(cal.addWorkingDays(from, n), m)).toBe(cal.addWorkingDays(from, n + m));
      }),
    );
  });

  it('workingDaysBetween is antisymmetric and additive', () => {
    fc.assert(
      fc.property(day, day, day, (a, b, c) => {
        expect(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, a)).toBe(0);
        expect(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c)).toBe(cal.workingDaysBetween(a, c));
      }),
    );
  });

  it('agrees with a day-by-day count', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 40 }), (from, n) => {
        let d = parseDay(from);
        let left = n;
        while (left > 0) {
          d++;
          if (cal.isWorkingDay(formatDay(d))) left--;
        }
        expect(cal.addWorkingDays(from, n)).toBe(formatDay(d));
      }),
      { numRuns: 500 },
    );
  });
});
