/**
 * The working-day calendar of 2012–2027 from its published sources. Table tests on every transfer of a
 * day of rest, on each holiday change across its first and last year and on Kurban Ait's first day of each year
 * (expected dates worked out by hand from the decrees, not by the code); every entry has its source; an
 * administrator's correction stays an override on top of the data; and the deadlines board flags an open deadline
 * whose span includes a day that changed, without rewriting its stored due date.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardList, BoardRow, RegisterResult } from '../shared/contract/types';
import { seedCalendar, seedCalendarYears, WorkCalendar } from '../shared/domain/calendar';
import { draftYear, GOVERNMENT_TRANSFERS, HOLIDAY_RULES, KURBAN_AIT, TRANSFER_YEARS, type GovernmentTransfer } from '../shared/domain/calendar-rules';
import { formatDay, isWeekend, parseDay } from '../shared/domain/dates';
import { calendarChangedSince, dueDate } from '../shared/domain/deadlines';
import { withCheckDigit } from '../shared/domain/iin';
import { officeDate } from '../shared/local-date';
import { makePki, makeWorkstation, tempDir } from './helpers';

const cal = seedCalendar();
const dayBefore = (iso: string) => formatDay(parseDay(iso) - 1);

/**
 * Each transfer: the day of rest moved (`from`, now worked) and the day it moved to (`to`, now off), with
 * addWorkingDays(day before, 1) for each, counted by hand on the decree's calendar.
 */
const TRANSFERS: { from: string; to: string; afterDayBeforeFrom: string; afterDayBeforeTo: string }[] = [
  // Sat 29 Dec 2012 worked, Mon 31 Dec off; 1–2 Jan 2013 holidays.
  { from: '2012-12-29', to: '2012-12-31', afterDayBeforeFrom: '2012-12-29', afterDayBeforeTo: '2013-01-03' },
  // Sat 4 May 2013 worked, Fri 10 May off after Victory Day (Thu).
  { from: '2013-05-04', to: '2013-05-10', afterDayBeforeFrom: '2013-05-04', afterDayBeforeTo: '2013-05-13' },
  { from: '2013-12-28', to: '2014-01-03', afterDayBeforeFrom: '2013-12-28', afterDayBeforeTo: '2014-01-06' },
  // Sun 4 May 2014 worked for Fri 2 May; Sun 11 May worked for Thu 8 May.
  { from: '2014-05-04', to: '2014-05-02', afterDayBeforeFrom: '2014-05-04', afterDayBeforeTo: '2014-05-04' },
  { from: '2014-05-11', to: '2014-05-08', afterDayBeforeFrom: '2014-05-11', afterDayBeforeTo: '2014-05-11' },
  // Sat 5 Mar 2016 worked, Mon 7 Mar off, Tue 8 Mar holiday.
  { from: '2016-03-05', to: '2016-03-07', afterDayBeforeFrom: '2016-03-05', afterDayBeforeTo: '2016-03-09' },
  // Sat 18 Mar 2017 worked, Mon 20 Mar off, then Nauryz Tue–Thu.
  { from: '2017-03-18', to: '2017-03-20', afterDayBeforeFrom: '2017-03-18', afterDayBeforeTo: '2017-03-24' },
  // Sat 1 Jul 2017 worked, Fri 7 Jul off after the Capital Day (Thu).
  { from: '2017-07-01', to: '2017-07-07', afterDayBeforeFrom: '2017-07-01', afterDayBeforeTo: '2017-07-10' },
  // 2018: five Saturdays worked.
  { from: '2018-03-03', to: '2018-03-09', afterDayBeforeFrom: '2018-03-03', afterDayBeforeTo: '2018-03-12' },
  { from: '2018-04-28', to: '2018-04-30', afterDayBeforeFrom: '2018-04-28', afterDayBeforeTo: '2018-05-02' },
  { from: '2018-05-05', to: '2018-05-08', afterDayBeforeFrom: '2018-05-05', afterDayBeforeTo: '2018-05-10' },
  { from: '2018-08-25', to: '2018-08-31', afterDayBeforeFrom: '2018-08-25', afterDayBeforeTo: '2018-09-03' },
  { from: '2018-12-29', to: '2018-12-31', afterDayBeforeFrom: '2018-12-29', afterDayBeforeTo: '2019-01-03' },
  // Sat 4 May 2019 worked, Fri 10 May off after Victory Day (Thu).
  { from: '2019-05-04', to: '2019-05-10', afterDayBeforeFrom: '2019-05-04', afterDayBeforeTo: '2019-05-13' },
  // Sun 5 Jan 2020 worked for Fri 3 Jan.
  { from: '2020-01-05', to: '2020-01-03', afterDayBeforeFrom: '2020-01-05', afterDayBeforeTo: '2020-01-05' },
  // Victory Day 2020 (Sat) was carried to Mon 11 May; the decree moved that day to Fri 8 May: 11 May is worked.
  { from: '2020-05-11', to: '2020-05-08', afterDayBeforeFrom: '2020-05-11', afterDayBeforeTo: '2020-05-11' },
  // Sun 20 Dec 2020 worked for Fri 18 Dec, after 16–17 Dec.
  { from: '2020-12-20', to: '2020-12-18', afterDayBeforeFrom: '2020-12-20', afterDayBeforeTo: '2020-12-20' },
  // Sat 3 Jul 2021 worked, Mon 5 Jul off before the Capital Day (Tue).
  { from: '2021-07-03', to: '2021-07-05', afterDayBeforeFrom: '2021-07-03', afterDayBeforeTo: '2021-07-07' },
  // 2022: decree No. 713 of 6 Oct 2021 and its October 2022 addition for Republic Day.
  { from: '2022-03-05', to: '2022-03-07', afterDayBeforeFrom: '2022-03-05', afterDayBeforeTo: '2022-03-09' },
  { from: '2022-08-27', to: '2022-08-29', afterDayBeforeFrom: '2022-08-27', afterDayBeforeTo: '2022-08-31' },
  { from: '2022-10-22', to: '2022-10-24', afterDayBeforeFrom: '2022-10-22', afterDayBeforeTo: '2022-10-26' },
  // Sat 1 Jul 2023 worked, Fri 7 Jul off.
  { from: '2023-07-01', to: '2023-07-07', afterDayBeforeFrom: '2023-07-01', afterDayBeforeTo: '2023-07-10' },
  // Sat 4 May 2024 worked, Wed 8 May off between 7 and 9 May.
  { from: '2024-05-04', to: '2024-05-08', afterDayBeforeFrom: '2024-05-04', afterDayBeforeTo: '2024-05-10' },
  // Sun 5 Jan 2025 worked for Fri 3 Jan (order No. 436 of 21 Nov 2024).
  { from: '2025-01-05', to: '2025-01-03', afterDayBeforeFrom: '2025-01-05', afterDayBeforeTo: '2025-01-05' },
];

describe('the transfers of days of rest, 2012–2026', () => {
  it('has a table row for every transfer in the data, and no other', () => {
    expect(GOVERNMENT_TRANSFERS.map((t) => `${t.from}>${t.to}`).sort()).toEqual(TRANSFERS.map((t) => `${t.from}>${t.to}`).sort());
  });

  it.each(TRANSFERS)('$from is worked and $to is off', ({ from, to, afterDayBeforeFrom, afterDayBeforeTo }) => {
    expect(cal.isWorkingDay(from)).toBe(true);
    expect(cal.isWorkingDay(to)).toBe(false);
    expect(cal.addWorkingDays(dayBefore(from), 1)).toBe(afterDayBeforeFrom);
    expect(cal.addWorkingDays(dayBefore(to), 1)).toBe(afterDayBeforeTo);
  });

  it('counts a regulation deadline across a transfer: 7 working days from Friday 2 March 2018', () => {
    // Sat 3 Mar worked (1), 5, 6, 7 (4), 8 holiday, 9 transfer off, 12, 13, 14 (7).
    expect(cal.addWorkingDays('2018-03-02', 7)).toBe('2018-03-14');
  });

  it('records each year 2015–2026: the acts found, or what was searched where nothing was', () => {
    expect(TRANSFER_YEARS.map((y) => y.year)).toEqual(Array.from({ length: 12 }, (_, i) => 2015 + i));
    for (const y of TRANSFER_YEARS) {
      const found = GOVERNMENT_TRANSFERS.filter((t) => t.to.startsWith(`${y.year}-`));
      expect(y.transfers, String(y.year)).toBe(found.length);
      if (found.length === 0) {
        expect(y.searched.length, String(y.year)).toBeGreaterThan(2);
        expect(y.note, String(y.year)).toMatch(/No transfer/);
      } else expect(y.acts.length, String(y.year)).toBeGreaterThan(0);
    }
    expect(TRANSFER_YEARS.filter((y) => y.transfers === 0).map((y) => y.year)).toEqual([2015, 2026]);
  });

  it('names the act, its public sources and a mark that matches how many sources were found', () => {
    for (const t of GOVERNMENT_TRANSFERS) {
      expect(t.act.text.length, t.from).toBeGreaterThan(20);
      expect(t.sources.length, t.from).toBeGreaterThan(0);
      for (const s of t.sources) expect(s, t.from).toMatch(/^(https?:\/\/\S+|benefit\.md §\d)$/);
      const publicSources = t.sources.filter((s) => s.startsWith('http')).length;
      if (t.mark === 'sourced-single') expect(publicSources, t.from).toBe(1);
      if (t.mark === 'sourced' && t.to >= '2015') expect(publicSources, t.from).toBeGreaterThanOrEqual(2);
      expect(t.workedWeekendDay, t.from).toBe(isWeekend(parseDay(t.from)) ? t.from : null);
      if (t.act.date) expect(formatDay(parseDay(t.act.date))).toBe(t.act.date);
    }
    // The acts whose number and date were found.
    expect(GOVERNMENT_TRANSFERS.filter((t) => t.act.number && t.act.date).map((t) => `${t.act.number} ${t.act.date}`)).toEqual(['713 2021-10-06', '713 2021-10-06', '436 2024-11-21']);
  });

  it('refuses a transfer that moves a day off to a weekend, or moves a weekday that was not a carried day off', () => {
    const base: GovernmentTransfer = { from: '2016-03-05', to: '2016-03-07', workedWeekendDay: '2016-03-05', act: { kind: 'government_decree', text: 'test', number: null, date: null }, mark: 'assumed', sources: [] };
    expect(() => draftYear(2016, { transfers: [{ ...base, to: '2016-03-06' }] })).toThrow(expect.objectContaining({ code: 'calendar.transfer_invalid', field: 'to' }));
    expect(() => draftYear(2016, { transfers: [{ ...base, to: '2016-03-08' }] })).toThrow(expect.objectContaining({ code: 'calendar.transfer_invalid', field: 'to' }));
    expect(() => draftYear(2016, { transfers: [{ ...base, from: '2016-03-04', workedWeekendDay: null }] })).toThrow(expect.objectContaining({ code: 'calendar.transfer_invalid', field: 'from' }));
    expect(() => draftYear(2016, { transfers: [{ ...base, workedWeekendDay: null }] })).toThrow(expect.objectContaining({ code: 'calendar.transfer_invalid', field: 'workedWeekendDay' }));
    // The 2020 carried-over Monday leaves the days off, and is listed as worked.
    const may2020 = draftYear(2020);
    expect(may2020.daysOff.find((d) => d.date === '2020-05-11')).toBeUndefined();
    expect(may2020.workedWeekendDays.find((d) => d.date === '2020-05-11')).toMatchObject({ reason: 'transfer:to 2020-05-08', mark: 'sourced' });
  });

  it('the stored reference calendar is exactly what the data drafts', () => {
    const stored = seedCalendarYears();
    for (const y of stored) {
      const drafted = draftYear(y.year);
      expect(y.daysOff.map((d) => `${d.date} ${d.kind} ${d.reason}`), String(y.year)).toEqual(drafted.daysOff.map((d) => `${d.date} ${d.kind} ${d.reason}`));
      expect(y.workedWeekendDays.map((d) => `${d.date} ${d.mark}`), String(y.year)).toEqual(drafted.workedWeekendDays.map((d) => `${d.date} ${d.mark}`));
    }
  });
});

describe('the holidays as they changed', () => {
  it.each([
    // First President's Day, 1 December, 2012–2021: Sat 1 Dec 2012 carried to Mon 3 Dec.
    ['first year of 1 December', '2012-11-30', '2012-12-04'],
    ['last year of 1 December', '2021-11-30', '2021-12-02'],
    ['1 December after it was removed', '2022-11-30', '2022-12-01'],
    // 17 December until 2021; from 2022 only 16 December, and Sat 17 Dec 2022 is not carried over.
    ['16–17 December in the first year of the calendar (Sun 16 carried to Tue 18)', '2012-12-14', '2012-12-19'],
    ['last year of 17 December', '2021-12-15', '2021-12-20'],
    ['first year without 17 December', '2022-12-15', '2022-12-19'],
    // Republic Day, 25 October, from 2022.
    ['25 October before Republic Day returned', '2021-10-22', '2021-10-25'],
    ['first year of Republic Day (with the transfer of 22 to 24 October)', '2022-10-23', '2022-10-26'],
    ['Republic Day on a Sunday, carried to Monday 26 October 2026', '2026-10-23', '2026-10-27'],
    ['last year of the calendar', '2027-10-22', '2027-10-26'],
  ])('%s: addWorkingDays(%s, 1) = %s', (_, from, expected) => {
    expect(cal.addWorkingDays(from, 1)).toBe(expected);
  });

  it('keeps the start and end years as data', () => {
    const rule = (id: string) => HOLIDAY_RULES.find((r) => r.id === id)!;
    expect(rule('first_president_day')).toMatchObject({ from: 2012, until: 2021 });
    expect(rule('republic_day')).toMatchObject({ from: 2022 });
    expect(rule('republic_day').until).toBeUndefined();
    expect(rule('independence_day_2')).toMatchObject({ until: 2021 });
    expect(rule('defender_day')).toMatchObject({ from: 2013 });
  });

  it.each([
    [2015, '2015-09-24', '2015-09-25'],
    [2016, '2016-09-12', '2016-09-13'],
    [2017, '2017-09-01', '2017-09-04'],
    [2018, '2018-08-21', '2018-08-22'],
    [2019, '2019-08-11', '2019-08-12'],
    [2020, '2020-07-31', '2020-08-03'],
    [2021, '2021-07-20', '2021-07-21'],
    [2022, '2022-07-09', '2022-07-11'],
    [2023, '2023-06-28', '2023-06-29'],
    // DUMK moved 2024 from the planned Monday 17 June to Sunday 16 June: no carry-over, 17 June is worked.
    [2024, '2024-06-16', '2024-06-17'],
    [2025, '2025-06-06', '2025-06-09'],
    [2026, '2026-05-27', '2026-05-28'],
  ])('Kurban Ait %i: %s is off, never carried over; addWorkingDays(the day before, 1) = %s', (year, date, expected) => {
    expect(KURBAN_AIT[year]).toMatchObject({ date, mark: 'sourced' });
    expect(cal.isWorkingDay(date)).toBe(false);
    expect(cal.addWorkingDays(dayBefore(date), 1)).toBe(expected);
    expect(cal.isWorkingDay(expected)).toBe(true);
  });

  it('gives every holiday rule and every Kurban Ait date a source', () => {
    for (const r of HOLIDAY_RULES) expect(r.source.length, r.id).toBeGreaterThan(10);
    for (const [year, k] of Object.entries(KURBAN_AIT)) expect(k.source.length, year).toBeGreaterThan(10);
    for (const y of seedCalendarYears()) for (const d of [...y.daysOff, ...y.workedWeekendDays]) expect(['sourced', 'sourced-single', 'assumed']).toContain(d.mark);
  });
});

describe("an administrator's correction on top of the data", () => {
  it('overrides a decree day with its reason, and leaves the data as it is', () => {
    const corrected = new WorkCalendar(seedCalendarYears(), [{ date: '2016-03-07', working: true, reason: 'Поправка администратора: проверка' }]);
    expect(corrected.isWorkingDay('2016-03-07')).toBe(true);
    expect(corrected.addWorkingDays('2016-03-06', 1)).toBe('2016-03-07');
    expect(cal.isWorkingDay('2016-03-07')).toBe(false);
    expect(seedCalendarYears().find((y) => y.year === 2016)!.daysOff.find((d) => d.date === '2016-03-07')).toMatchObject({ kind: 'transfer' });
  });

  it('calendarChangedSince: only a change inside the span of a deadline flags it', () => {
    const deadline = { id: 'send_to_commission' as const, startedOn: '2026-11-23', due: dueDate('send_to_commission', '2026-11-23', cal) };
    expect(deadline.due).toBe('2026-11-25');
    expect(calendarChangedSince(deadline, cal)).toBe(false);
    expect(calendarChangedSince(deadline, new WorkCalendar(seedCalendarYears(), [{ date: '2026-11-24', working: false, reason: 'r' }]))).toBe(true);
    expect(calendarChangedSince(deadline, new WorkCalendar(seedCalendarYears(), [{ date: '2026-11-23', working: false, reason: 'r' }]))).toBe(false);
    expect(calendarChangedSince(deadline, new WorkCalendar(seedCalendarYears(), [{ date: '2026-11-26', working: false, reason: 'r' }]))).toBe(false);
    // Counted before this data landed: 2 working days from Thu 3 Mar 2016 were Fri 4 and Mon 7; Sat 5 is now worked.
    expect(calendarChangedSince({ id: 'send_to_commission', startedOn: '2016-03-03', due: '2016-03-07' }, cal)).toBe(true);
    expect(calendarChangedSince({ id: 'send_to_commission', startedOn: '2016-03-03', due: '2016-03-05' }, cal)).toBe(false);
    // From Fri 4 Mar the transfer's two days cancel out inside the span (Sat 5 worked, Mon 7 off): due Wed 9 either way.
    expect(calendarChangedSince({ id: 'send_to_commission', startedOn: '2016-03-04', due: '2016-03-09' }, cal)).toBe(false);
    expect(calendarChangedSince({ id: 'center_queue', startedOn: '2016-03-04', due: '2016-03-04' }, cal)).toBe(false);
    expect(calendarChangedSince({ id: 'send_to_commission', startedOn: '2027-12-30', due: '2028-01-04' }, cal)).toBe(true);
  });
});

describe('the deadlines board flags a deadline whose span includes a day that changed', () => {
  const tmp = tempDir('calendar-sources');
  let ws: ReturnType<typeof makeWorkstation>;
  const tokens = { center: '', admin: '' };
  type Ok<T> = { ok: true; value: T };
  const ok = async <T>(who: keyof typeof tokens, method: string, input: unknown) => {
    const r = (await ws.dispatch({ method, input, session: tokens[who] })) as Ok<T> | { ok: false; error: unknown };
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const row = async (caseId: string) => (await ok<BoardList>('center', 'board.list', { limit: 500 })).rows.find((r: BoardRow) => r.caseId === caseId)!;

  beforeAll(async () => {
    const pki = makePki(path.join(tmp.dir, 'pki'));
    ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
    const signIn = async (p12Base64: string) => ((await ws.dispatch({ method: 'session.signIn', input: { p12Base64, password: 'pw' } })) as Ok<{ token: string }>).value.token;
    tokens.center = await signIn(pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна' }));
    tokens.admin = await signIn(pki.issue({ role: 'admin', iin: '820202300009', surname: 'Әкімші', givenName: 'Бақыт', patronymic: '' }));
  }, 120_000);
  afterAll(() => {
    ws.ctx.db.close();
    tmp.remove();
  });

  it('a correction inside the span raises the flag, one outside does not, and the stored due date stays', async () => {
    let iin: string | null = null;
    for (let serial = 0; !iin; serial++) iin = withCheckDigit(`8802014${String(serial).padStart(4, '0')}`);
    const c = (await ok<RegisterResult>('center', 'cases.registerApplicant', { iin, surname: 'Сәрсенова', givenName: 'Айгүл', patronymic: '', birthDate: '1988-02-01', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    const calendar = ws.ctx.calendar();
    const today = officeDate(ws.ctx.now());
    const before = await row(c.id);
    expect(before).toMatchObject({ deadline: 'center_send_request', startedOn: today, due: dueDate('center_send_request', today, calendar), calendarChanged: false });
    const storedDue = () => (ws.ctx.db.prepare('SELECT due FROM case_deadlines WHERE case_id = ?').get(c.id) as { due: string }).due;

    // A working day after the due date becomes a day off: outside the span, no flag.
    const outside = calendar.addWorkingDays(before.due, 3);
    await ok('admin', 'calendar.correctDay', { date: outside, working: false, reason: 'Проверка: день вне срока' });
    expect((await row(c.id)).calendarChanged).toBe(false);

    // The first working day inside the span becomes a day off: flagged, and the stored due date is unchanged.
    const inside = calendar.addWorkingDays(today, 1);
    await ok('admin', 'calendar.correctDay', { date: inside, working: false, reason: 'Постановление о переносе дня отдыха (проверка)' });
    const flagged = await row(c.id);
    expect(flagged).toMatchObject({ calendarChanged: true, due: before.due });
    expect(storedDue()).toBe(before.due);
    expect(ws.ctx.calendar().isWorkingDay(inside)).toBe(false);

    // The administrator puts the day back: the deadline counts as stored again.
    await ok('admin', 'calendar.correctDay', { date: inside, working: true, reason: 'Поправка отменена' });
    expect((await row(c.id)).calendarChanged).toBe(false);
  });
});
