/**
 * The city report on PostgreSQL (group `reports`): 8 districts × 100,000 cases, their events generated in SQL
 * (generate_series: intake, referral, decision with its outcome, a refusal to accept or a package returned now and
 * then) and their case states; the server's cityFigures for a year against a raw GROUP BY office_code, type over
 * the same events. Target ≤ 2 s. The deadlines missed and overdue per district (cityDeadlines, from the days migration
 * 7 derives from each state) against parsing every case's whole state for them, with states of about 4 kB (three
 * deadlines beside a padding that stands for the pages and documents). Without a reachable PostgreSQL the rows say
 * skipped. The whole city report (the route's three statements at once) against the same raw GROUP BY.
 */
import { migrate } from '../server/src/migrations';
import { cityDeadlines, cityFigures, districtOffices } from '../server/src/reports/store';
import { openStore } from '../server/src/store';
import { percentile, report, timePairedAsync } from './stats';

const log = (s: string) => process.stderr.write(`${s}\n`);
const SCHEMA = 'bench_reports_city';
const OFFICES = ['AUE', 'ALM', 'BOS', 'BOSTAN', 'JET', 'MED', 'NAU', 'TUR'];

export async function benchCityReport(perOffice = 100_000) {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
  let store;
  try {
    store = await openStore({ databaseUrl, schema: SCHEMA });
    await store.query('SELECT 1');
  } catch {
    report('reports.city.8x100000.p50', NaN, 'ms', null, { skipped: 'PostgreSQL unreachable' });
    return;
  }
  await migrate(store);
  const have = Number((await store.query<{ n: string }>('SELECT count(*) AS n FROM cases'))[0]!.n);
  if (have !== OFFICES.length * perOffice) {
    log(`[bench] reports: generating ${OFFICES.length} × ${perOffice} cases in PostgreSQL`);
    await store.query('TRUNCATE events, cases');
    for (const office of OFFICES) {
      await store.query(
        `INSERT INTO cases (office_code, case_id, case_number, channel, stage, version, head_hash, applicant_iin, state, updated_seq)
         SELECT $1, 'c' || i, 'n' || i, CASE WHEN i % 4 = 0 THEN 'center' ELSE 'district' END,
           (ARRAY['registered', 'at_commission', 'closed', 'closed', 'closed', 'refused_to_accept'])[1 + i % 6], 3, 'h', '850615300012',
           json_build_object('case', json_build_object('id', 'c' || i), 'pages', repeat('p', 4000), 'deadlines', json_build_array(
             json_build_object('id', 'decision', 'due', '2026-02-01', 'stoppedOn', to_char(date '2026-01-01' + (i % 360), 'YYYY-MM-DD'), 'met', i % 7 <> 0),
             json_build_object('id', 'commission', 'due', '2026-03-01', 'stoppedOn', CASE WHEN i % 5 = 0 THEN NULL ELSE '2026-02-20' END, 'met', CASE WHEN i % 5 = 0 THEN NULL ELSE true END),
             json_build_object('id', 'delivery', 'due', to_char(date '2026-01-01' + (i % 400), 'YYYY-MM-DD'), 'stoppedOn', NULL, 'met', NULL)))::text, i
         FROM generate_series(1, $2::int) AS i`,
        [office, perOffice],
      );
      // Three to four events a case: its intake, a referral, a decision (or a refusal to accept), some returns.
      await store.query(
        `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, hash, signature, device)
         SELECT $1, row_number() OVER (), 'e' || i || '-' || k, 'c' || i, k, k - 1,
           CASE k WHEN 1 THEN 'intake.registered' WHEN 2 THEN (CASE WHEN i % 9 = 0 THEN 'center.returned_incomplete' ELSE 'commission.referred' END)
             ELSE (CASE WHEN i % 6 = 5 THEN 'acceptance.refused' ELSE 'decision.signed' END) END,
           CASE WHEN k = 3 THEN '{"decision":{"outcome":"' || (CASE WHEN i % 3 = 0 THEN 'refuse' ELSE 'assign' END) || '","refusalGrounds":[]}}' ELSE '{"precinct":"P' || (i % 4) || '"}' END,
           '900512400018', 'specialist', 'x',
           to_char(timestamp '2026-01-01' + ((i % 360) || ' days')::interval + (k || ' hours')::interval, 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
           'h', '\\x00'::bytea, 'W1'
         FROM generate_series(1, $2::int) AS i, generate_series(1, 3) AS k`,
        [office, perOffice],
      );
    }
    await store.query('ANALYZE events');
    await store.query('ANALYZE cases');
  }
  const events = Number((await store.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0]!.n);
  const figures = await timePairedAsync(
    7,
    () => cityFigures(store, '2025-12-31T19:00:00.000Z', '2026-12-31T19:00:00.000Z'),
    () => store.query('SELECT office_code, type, count(*) FROM events GROUP BY 1, 2'),
  );
  report('reports.city.8x100000.p50', percentile(figures.a, 50), 'ms', percentile(figures.b, 50), { events, offices: OFFICES.length, baselineIs: 'raw GROUP BY office_code, type over events', target: '≤ 2000 ms' });
  const deadlines = await timePairedAsync(
    5,
    () => cityDeadlines(store, '2026-01-01', '2026-12-31', '2026-12-04'),
    () =>
      store.query(
        `SELECT office_code, count(*) FILTER (WHERE d->>'stoppedOn' BETWEEN '2026-01-01' AND '2026-12-31' AND d->>'met' = 'false'), count(*) FILTER (WHERE d->>'stoppedOn' IS NULL AND d->>'due' < '2026-12-04')
         FROM cases, json_array_elements(state::json -> 'deadlines') d GROUP BY 1`,
      ),
  );
  report('reports.city.deadlines.8x100000.p50', percentile(deadlines.a, 50), 'ms', percentile(deadlines.b, 50), { offices: OFFICES.length, baselineIs: "every case's whole state parsed for its deadlines", target: '≤ 2000 ms' });
  // What the route computes for one request: the offices, the figures and the deadlines, at once on the pool.
  const whole = await timePairedAsync(
    5,
    () => Promise.all([districtOffices(store), cityFigures(store, '2025-12-31T19:00:00.000Z', '2026-12-31T19:00:00.000Z'), cityDeadlines(store, '2026-01-01', '2026-12-31', '2026-12-04')]),
    () => store.query('SELECT office_code, type, count(*) FROM events GROUP BY 1, 2'),
  );
  report('reports.city.whole.8x100000.p50', percentile(whole.a, 50), 'ms', percentile(whole.b, 50), { offices: OFFICES.length, baselineIs: 'raw GROUP BY office_code, type over events', target: '≤ 2000 ms' });
  await store.close();
}
