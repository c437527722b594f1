/**
 * Reports (group `reports`): the district report over a year of 100,000 cases (bench/reports-data.ts) through the
 * services' districtReport, p50 and p95, against a raw GROUP BY over the same rows: one grouped pass over each
 * table the report reads (cases, journal, case_deadlines, case_events), the least work that reads every row once.
 * Targets: ≤ 300 ms and ≤ 3× the raw pass.
 */
import Database from 'better-sqlite3';
import { createContext } from '../electron/services/context';
import { districtReport } from '../electron/services/reports/district';
import { cachedBenchDatabase } from './generate';
import { seedReportYear } from './reports-data';
import { percentile, report, timePaired } from './stats';

const log = (s: string) => process.stderr.write(`${s}\n`);
const TODAY = '2026-12-15';
const RAW = [
  'SELECT channel, stage, count(*) FROM cases GROUP BY 1, 2',
  'SELECT channel, decision, count(*), sum(children), sum(monthly_amount_tiyn) FROM journal GROUP BY 1, 2',
  'SELECT deadline, met, count(*) FROM case_deadlines GROUP BY 1, 2',
  'SELECT type, count(*) FROM case_events GROUP BY 1',
];

export function benchReports(n = 100_000) {
  const { dataDir, file, generatedMs } = cachedBenchDatabase(`reports-${n}`, (db) => {
    seedReportYear(db, { n, year: 2026, today: TODAY, seed: 11 });
    db.exec('ANALYZE');
  });
  if (generatedMs !== null) log(`[bench] reports: generated ${n} cases in ${Math.round(generatedMs)} ms`);
  const ctx = createContext({ dataDir, appVersion: 'bench', now: () => new Date(`${TODAY}T06:00:00Z`) });
  const raw = new Database(file, { readonly: true });
  const statements = RAW.map((sql) => raw.prepare(sql));
  const inputs = Array.from({ length: 15 }, (_, i) => i);
  const { a, b } = timePaired(
    inputs,
    () => districtReport(ctx, '2026-01-01', '2026-12-31'),
    () => statements.forEach((s) => s.all()),
    3,
  );
  const cases = (raw.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
  const events = (raw.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n;
  for (const p of [50, 95]) {
    report(`reports.district.year.p${p}`, percentile(a, p), 'ms', percentile(b, p), { cases, events, baselineIs: 'raw GROUP BY over cases, journal, case_deadlines, case_events', target: '≤ 300 ms and ≤ 3× baseline' });
  }
  const { a: qa, b: qb } = timePaired(inputs, () => districtReport(ctx, '2026-10-01', '2026-12-31'), () => statements.forEach((s) => s.all()), 3);
  report('reports.district.quarter.p50', percentile(qa, 50), 'ms', percentile(qb, 50), { cases, baselineIs: 'raw GROUP BY over cases, journal, case_deadlines, case_events' });
  raw.close();
  ctx.db.close();
}
