/**
 * `npm run bench`: one JSON object per line, {name, value, unit, baseline, ratio}, every baseline measured in the
 * same run on the same data. Sizes: BENCH_SIZES=100000,1000000 (default). Progress goes to stderr.
 *
 * - case search by IIN and by name prefix: the services' query (classify, fold, page + capped count, map)
 *   against a raw better-sqlite3 indexed SELECT, p50 and p95;
 * - the whole method call through the browser host (HTTP, secret check, validation, role check, worker hop):
 *   p50 and p95, against the raw SELECT;
 * - cold start of the host process to the first answered query, against a bare Node process that opens the
 *   same database with better-sqlite3 and answers one SELECT;
 * - resident memory of the host process after the queries, against that bare process after the same queries;
 * - the domain: addWorkingDays over a 10-year span and the deadlines of 100,000 cases (bench/domain.ts);
 * - ECP: CMS sign and verify of a 2 MB scan against crypto.sign / crypto.verify (bench/ecp.ts);
 * - intake: one A4 page captured and certified; Verify case for 60 events and 40 pages (bench/intake.ts);
 * - the printed journal (Appendix 21) of 1,000 rows, against a plain pdfmake table of the same texts (bench/journal.ts);
 * - a receipt signed inside (PAdES) and detached, against the same receipt not signed (bench/pades.ts);
 * - the deadlines board over 100,000 open cases: the query, and its first render in Chromium (bench/board.ts);
 * - the event catalogue: the commit of one event, the rebuild of 100,000 cases' projections, opening a case in
 *   Chromium (bench/events.ts);
 * - sync: a push of 10,000 events and 1,000 blobs against a bare Fastify, the pull into a fresh workstation, the
 *   server's ingest, and a commit on W1 visible on W2 (bench/sync.ts);
 * - the case view: cases.get over 100,000 cases against a raw SELECT of the view row (bench/caseview.ts); Verify
 *   case since the last check is in the intake group;
 * - the server's ingest with 200 workstations pushing at once: p50/p95 push latency and events/s against raw
 *   INSERTs into the same PostgreSQL (bench/ingest.ts);
 * - reports: the district report over a year of 100,000 cases against a raw GROUP BY over the same rows (bench/reports.ts).
 * - backup: an encrypted, verified backup of 10,000 cases and 40,000 pages against tar and cp -r; restore and
 *   verify of 1,000 cases (bench/backup.ts).
 */
import './throwaway-secrets';
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../db/open';
import { createCaseSearch } from '../db/repositories/case-search';
import { createContext } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import { foldName, prefixUpperBound } from '../shared/text';
import { benchDatabase, rng, SURNAMES } from './generate';
import { benchDomain } from './domain';
import { benchEcp } from './ecp';
import { benchIntake } from './intake';
import { benchBoard } from './board';
import { benchJournal } from './journal';
import { benchPades } from './pades';
import { benchCaseOpen, benchCommit, benchRebuild } from './events';
import { benchLatency, benchSync } from './sync';
import { benchIngest } from './ingest';
import { benchReconnect } from './reconnect';
import { benchReports } from './reports';
import { benchCityReport } from './city-reports';
import { benchBackup } from './backup';
import { benchCaseView } from './caseview';
import { benchKey } from './bench-pki';
import { percentile, report, timeEachAsync, timePaired } from './stats';

const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const COLUMNS = 'id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, birth_date, doc_language, created_at';
const log = (s: string) => process.stderr.write(`${s}\n`);


/** Query inputs drawn from the data itself: existing IINs, and 3–5 letter lower-case surname prefixes. */
function queries(file: string, n: number) {
  const db = new Database(file, { readonly: true });
  const rand = rng(7);
  const iins: string[] = [];
  const byRowid = db.prepare('SELECT applicant_iin FROM cases WHERE rowid = ?');
  while (iins.length < QUERIES) {
    const row = byRowid.get(1 + Math.floor(rand() * n)) as { applicant_iin: string } | undefined;
    if (row) iins.push(row.applicant_iin);
  }
  db.close();
  const names = Array.from({ length: QUERIES }, () => {
    const s = SURNAMES[Math.floor(rand() * SURNAMES.length)]!.toLowerCase();
    return s.slice(0, Math.min(s.length, 3 + Math.floor(rand() * 3)));
  });
  return { iins, names };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function benchSize(n: number) {
  const { dataDir, file, generatedMs } = benchDatabase(n);
  log(`[bench] ${n} cases: ${generatedMs === null ? 'cached' : `generated in ${(generatedMs / 1000).toFixed(1)} s`} (${dataDir})`);
  const { iins, names } = queries(file, n);
  const tag = n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;

  // 1. The services' query against a raw indexed SELECT, in this process, same file.
  const raw = new Database(file, { readonly: true });
  const rawIin = raw.prepare(`SELECT ${COLUMNS} FROM cases WHERE applicant_iin = ? LIMIT 20`);
  const rawName = raw.prepare(`SELECT ${COLUMNS} FROM cases WHERE full_name_fold >= ? AND full_name_fold < ? ORDER BY full_name_fold LIMIT 20`);
  const servicesDb = openDatabase(file);
  const search = createCaseSearch(servicesDb);

  const iinPair = timePaired(iins, (q) => rawIin.all(q), (q) => search(q, 20));
  const namePair = timePaired(
    names,
    (q) => {
      const lo = foldName(q);
      return rawName.all(lo, prefixUpperBound(lo));
    },
    (q) => search(q, 20),
  );
  const [rawIinTimes, svcIinTimes, rawNameTimes, svcNameTimes] = [iinPair.a, iinPair.b, namePair.a, namePair.b];
  for (const p of [50, 95]) {
    report(`search.iin.services.p${p}@${tag}`, percentile(svcIinTimes, p), 'ms', percentile(rawIinTimes, p), { baselineIs: 'raw better-sqlite3 indexed SELECT' });
    report(`search.name_prefix.services.p${p}@${tag}`, percentile(svcNameTimes, p), 'ms', percentile(rawNameTimes, p), { baselineIs: 'raw better-sqlite3 indexed SELECT' });
  }
  servicesDb.close();
  raw.close();

  // 2–4. The browser host as a separate process: cold start, whole calls, memory.
  const { pkiDir, key } = benchKey();
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  ctx.db.close();

  const bareScript = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)}, { readonly: true });
    const s = db.prepare("SELECT ${COLUMNS} FROM cases WHERE applicant_iin = ? LIMIT 20");
    s.all(${JSON.stringify(iins[0])});
    const answeredAt = Date.now();
    for (const q of ${JSON.stringify(iins.slice(0, 500))}) s.all(q);
    console.log(JSON.stringify({ answeredAt, rssMb: process.memoryUsage().rss / 1048576 }));`;
  const bareStart = Date.now();
  const bare = spawnSync(process.execPath, ['-e', bareScript], { encoding: 'utf8' });
  const bareOut = JSON.parse(bare.stdout) as { answeredAt: number; rssMb: number };
  const bareColdMs = bareOut.answeredAt - bareStart;

  const started = Date.now();
  const child = spawn(process.execPath, [path.resolve('dist/node/browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`host exited ${code}`)));
  });
  const origin = new URL(url).origin;
  const secret = new URL(url).hash.replace('#secret=', '');
  const rpc = async (method: string, input: unknown, session?: string) => {
    const r = await fetch(`${origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': secret }, body: JSON.stringify({ method, input, session }) });
    const body = (await r.json()) as { ok: boolean; value: unknown; error?: unknown };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.value;
  };
  const signedIn = (await rpc('session.signIn', { p12Base64: readFileSync(key).toString('base64'), password: 'pw' })) as { token: string };
  await rpc('cases.search', { query: iins[0], limit: 20 }, signedIn.token);
  const coldMs = Date.now() - started;
  report(`services.cold_start_to_first_search@${tag}`, coldMs, 'ms', bareColdMs, {
    baselineIs: 'bare node + better-sqlite3 process to its first SELECT',
    includes: 'process start, worker, migrations check, HTTP listen, ECP sign-in, first search',
  });

  const hostIin = await timeEachAsync(iins, (q) => rpc('cases.search', { query: q, limit: 20 }, signedIn.token));
  const hostName = await timeEachAsync(names, (q) => rpc('cases.search', { query: q, limit: 20 }, signedIn.token));
  for (const p of [50, 95]) {
    report(`search.iin.through_host.p${p}@${tag}`, percentile(hostIin, p), 'ms', percentile(rawIinTimes, p), { baselineIs: 'raw better-sqlite3 indexed SELECT' });
    report(`search.name_prefix.through_host.p${p}@${tag}`, percentile(hostName, p), 'ms', percentile(rawNameTimes, p), { baselineIs: 'raw better-sqlite3 indexed SELECT' });
  }
  report(`services.rss_after_queries@${tag}`, rssOf(child.pid!), 'MB', bareOut.rssMb, { baselineIs: 'bare node + better-sqlite3 process after 500 SELECTs' });
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/**
 * The groups, in the order they run. `npm run bench -- --only sync,ingest` runs a subset; with no flag, all of them.
 * Every group runs on a fresh clone with no environment variables (throwaway keys and passphrases of its own).
 */
const GROUPS: Record<string, () => unknown> = {
  domain: () => benchDomain(),
  ecp: () => benchEcp(),
  intake: () => benchIntake(),
  board: () => benchBoard(),
  journal: () => benchJournal(),
  pades: () => benchPades(),
  events: async () => {
    benchCommit(benchKey().key);
    benchRebuild();
    await benchCaseOpen(benchKey().pkiDir, benchKey().key);
  },
  sync: async () => {
    await benchSync(benchKey().pkiDir);
    await benchLatency(benchKey().pkiDir);
  },
  ingest: () => benchIngest(benchKey().pkiDir),
  reconnect: () => benchReconnect(benchKey().pkiDir),
  reports: async () => {
    benchReports();
    await benchCityReport();
  },
  backup: () => benchBackup(benchKey().pkiDir),
  caseview: () => benchCaseView(benchKey().pkiDir),
  search: async () => {
    for (const n of SIZES) await benchSize(n);
  },
};

function selectedGroups(argv: readonly string[]): string[] {
  const i = argv.indexOf('--only');
  const only = i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : Object.keys(GROUPS);
  const unknown = only.filter((g) => !(g in GROUPS));
  if (unknown.length > 0) {
    log(`[bench] unknown group(s): ${unknown.join(', ')}; the groups are: ${Object.keys(GROUPS).join(', ')}`);
    process.exit(2);
  }
  return only;
}

for (const group of selectedGroups(process.argv.slice(2))) {
  log(`[bench] group ${group}`);
  await GROUPS[group]!();
}
