/**
 * Domain benchmarks: addWorkingDays over a 10-year span, and the current deadlines of 100,000 cases.
 * Baseline in the same run: the naive count, stepping one day at a time through the same calendar.
 */
import { seedCalendar } from '../shared/domain/calendar';
import { formatDay, parseDay } from '../shared/domain/dates';
import { currentDeadlines, DEADLINES, type DeadlineId } from '../shared/domain/deadlines';
import { rng } from './generate';
import { percentile, report } from './stats';

const cal = seedCalendar();

function naiveAddWorkingDays(from: string, n: number): string {
  let d = parseDay(from);
  let left = n;
  while (left > 0) {
    d++;
    if (cal.isWorkingDay(formatDay(d))) left--;
  }
  return formatDay(d);
}

function median(xs: number[]) {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

export function benchDomain() {
  const rand = rng(42);
  // 10-year spans: from a day in 2013–2016 add about ten years of working days (≈ 2,490).
  const starts = Array.from({ length: 2000 }, () => formatDay(parseDay('2013-01-01') + Math.floor(rand() * 1400)));
  const n = 2490;
  for (const s of starts.slice(0, 100)) if (cal.addWorkingDays(s, n) !== naiveAddWorkingDays(s, n)) throw new Error('mismatch');
  const fastRounds: number[] = [];
  const naiveRounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    let t = performance.now();
    for (const s of starts) cal.addWorkingDays(s, n);
    fastRounds.push(((performance.now() - t) * 1000) / starts.length);
    t = performance.now();
    for (const s of starts.slice(0, 200)) naiveAddWorkingDays(s, n);
    naiveRounds.push(((performance.now() - t) * 1000) / 200);
  }
  report('domain.addWorkingDays.10y_span.median', median(fastRounds), 'µs/call', median(naiveRounds), { baselineIs: 'day-by-day count on the same calendar', target: '≤ 20 µs' });

  // 100,000 open cases, each with its current deadlines (as after registration: 3 deadlines).
  const ids: DeadlineId[] = ['service_total', 'decision', 'send_to_commission'];
  const starts100k = Array.from({ length: 100_000 }, () => formatDay(parseDay('2026-01-05') + Math.floor(rand() * 300)));
  const cases = starts100k.map((startedOn, i) => ({ caseId: String(i), deadlines: ids.map((id) => ({ id, startedOn })) }));
  const today = '2026-11-24';
  const deadlinesRounds: number[] = [];
  const naiveRounds2: number[] = [];
  currentDeadlines(cases, today, cal); // warm-up: the JIT compiles the hot path once
  for (let round = 0; round < 7; round++) {
    const t = performance.now();
    currentDeadlines(cases, today, cal);
    deadlinesRounds.push(performance.now() - t);
  }
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (const startedOn of starts100k) {
      for (const id of ids) {
        const due = naiveAddWorkingDays(startedOn, DEADLINES[id].limit);
        if (today > due) continue;
        naiveAddWorkingDays(today, 1);
      }
    }
    naiveRounds2.push(performance.now() - t);
  }
  report('domain.deadlines.100k_cases.median', median(deadlinesRounds), 'ms', median(naiveRounds2), { baselineIs: 'day-by-day counting of the same deadlines', target: '≤ 200 ms' });
}
