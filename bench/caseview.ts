/**
 * The case view: `cases.get` of the services (the stored view's text, this workstation's facts about the case's
 * acts, and the acts the person may do now) over a workstation of N whole district cases (BENCH_CASEVIEW_CASES, default 100,000), p50 and p95, against
 * a raw better-sqlite3 SELECT of the same case's view row (target p95 ≤ 3×). The fixture is the rebuild bench's
 * log (bench/events.ts), its projections and views built from it once.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { caseQueries } from '../electron/services/cases';
import { caseDetailOf } from '../shared/contract/case-detail';
import { createContext, type Session } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import { rebuildProjections } from '../db/rebuild';
import { rebuildDatabase } from './events';
import { percentile, report, timePaired } from './stats';

const log = (s: string) => process.stderr.write(`${s}\n`);

export function benchCaseView(pkiDir: string, n = Number(process.env.BENCH_CASEVIEW_CASES ?? 100_000)) {
  const tag = n >= 1000 ? `${n / 1000}k` : String(n);
  const source = rebuildDatabase(n);
  const dataDir = path.resolve('.bench-data', `caseview-${tag}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  cpSync(source.file, path.join(dataDir, 'jardem.sqlite'));
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  const t = performance.now();
  rebuildProjections(ctx.db, { compare: false });
  log(`[bench] caseview: ${n} cases' projections and views built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const raw = new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
  const rawView = raw.prepare('SELECT case_id, version, state FROM case_views WHERE case_id = ?');
  const ids = raw.prepare('SELECT case_id FROM case_views ORDER BY random() LIMIT 500').pluck().all() as string[];
  const get = caseQueries(ctx).get;
  // cases.get reads only the signed-in person's role (for the acts allowed now).
  const head = { identity: { role: 'head', iin: '780304300003' } } as Session;
  const pair = timePaired(ids, (caseId) => rawView.get(caseId), (caseId) => get({ caseId }, head), 50);
  for (const p of [50, 95]) {
    report(`caseview.cases_get.p${p}@${tag}`, percentile(pair.b, p), 'ms', percentile(pair.a, p), {
      baselineIs: 'raw better-sqlite3 SELECT of the case’s view row by its key',
      cases: n,
      target: p === 95 ? '≤ 3× the baseline' : undefined,
    });
  }
  // The services pass the view's text on; the screen parses it (caseDetailOf). Both, for the whole cost.
  const parsed = timePaired(ids, (caseId) => rawView.get(caseId), (caseId) => caseDetailOf(get({ caseId }, head)), 50);
  report(`caseview.cases_get_and_screen_parse.p95@${tag}`, percentile(parsed.b, 95), 'ms', percentile(parsed.a, 95), {
    baselineIs: 'raw better-sqlite3 SELECT of the case’s view row by its key',
    cases: n,
    measures: 'cases.get and the screen’s parse of its answer (caseDetailOf), in one thread',
  });
  raw.close();
  ctx.db.close();
}
