/**
 * Ready for Citus, distributed by office: read from the real catalogue (pg_constraint and pg_index, on PGlite and on
 * PostgreSQL), every table that holds an office's data (it has office_code) must keep what Citus 13 enforces
 * (../shared/setup-notes.md, "For the central server and sync"):
 *  - every PRIMARY KEY, UNIQUE constraint and unique index includes the distribution column, or
 *    create_distributed_table fails;
 *  - a foreign key between distributed tables includes it on both sides, paired (office_code to office_code);
 *  - a reference table never points at a distributed one.
 * The same check is run on a schema made wrong on purpose, so a check that can no longer fail is caught too.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { migrate } from '../server/src/migrations';
import type { Queryable } from '../server/src/store';
import { tempDir } from './helpers';
import { testStore } from './server-helpers';

const COLUMN = 'office_code';
const tmp = tempDir('citus-schema');
let own: Awaited<ReturnType<typeof testStore>>;
let schema: string;

beforeAll(async () => {
  own = await testStore(tmp.dir);
  await migrate(own.store);
  schema = (await own.store.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
}, 120_000);
afterAll(async () => {
  await own?.store.query('DROP SCHEMA IF EXISTS citus_probe CASCADE').catch(() => undefined);
  await own?.drop();
  tmp.remove();
});

/** What Citus would refuse in `schema`, one line each (empty: it distributes as it is). */
async function citusProblems(q: Queryable, schema: string): Promise<string[]> {
  const distributed = new Set(
    (
      await q.query<{ t: string }>(
        `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
        [schema, COLUMN],
      )
    ).map((r) => r.t),
  );
  const problems: string[] = [];
  // Unique indexes cover PRIMARY KEY and UNIQUE constraints and a bare CREATE UNIQUE INDEX alike.
  const unique = await q.query<{ t: string; i: string; cols: string | null }>(
    `SELECT c.relname AS t, ic.relname AS i,
            (SELECT string_agg(a.attname, ',') FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (x.indkey::int2[])) AS cols
     FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class ic ON ic.oid = x.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND x.indisunique`,
    [schema],
  );
  for (const u of unique) {
    if (distributed.has(u.t) && !(u.cols ?? '').split(',').includes(COLUMN)) problems.push(`${u.t}: unique index ${u.i} (${u.cols ?? 'an expression'}) lacks ${COLUMN}`);
  }
  const fks = await q.query<{ t: string; k: string; ref: string; cols: string; refcols: string }>(
    `SELECT c.relname AS t, k.conname AS k, r.relname AS ref,
            (SELECT string_agg(a.attname, ',' ORDER BY p.i) FROM unnest(k.conkey) WITH ORDINALITY AS p(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = p.n) AS cols,
            (SELECT string_agg(a.attname, ',' ORDER BY p.i) FROM unnest(k.confkey) WITH ORDINALITY AS p(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = p.n) AS refcols
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND k.contype = 'f'`,
    [schema],
  );
  for (const f of fks) {
    const from = distributed.has(f.t);
    const to = distributed.has(f.ref);
    if (!from && to) problems.push(`${f.t}: foreign key ${f.k} from a reference table to the distributed ${f.ref}`);
    if (from && to) {
      const cols = f.cols.split(',');
      const refcols = f.refcols.split(',');
      const at = cols.indexOf(COLUMN);
      if (at < 0 || refcols[at] !== COLUMN) problems.push(`${f.t}: foreign key ${f.k} (${f.cols}) → ${f.ref} (${f.refcols}) does not pair ${COLUMN}`);
    }
  }
  return problems.sort();
}

test("the server's schema distributes by office as it is", async () => {
  expect(await citusProblems(own.store, schema)).toEqual([]);
}, 60_000);

test('a schema that breaks each rule is caught, rule by rule', async () => {
  const q = own.store;
  await q.query('DROP SCHEMA IF EXISTS citus_probe CASCADE');
  await q.query('CREATE SCHEMA citus_probe');
  for (const sql of [
    'CREATE TABLE citus_probe.ref (code TEXT PRIMARY KEY)',
    // A distributed table keyed without the office, with a bare unique index without it too.
    'CREATE TABLE citus_probe.a (office_code TEXT NOT NULL, id TEXT PRIMARY KEY, n INT)',
    'CREATE UNIQUE INDEX a_n ON citus_probe.a (n)',
    'CREATE UNIQUE INDEX a_office_id ON citus_probe.a (office_code, id)',
    // A foreign key between distributed tables without the office, and one with it: only the first is wrong.
    'CREATE TABLE citus_probe.b (office_code TEXT NOT NULL, id TEXT NOT NULL, a_id TEXT, PRIMARY KEY (office_code, id), FOREIGN KEY (a_id) REFERENCES citus_probe.a (id))',
    'CREATE TABLE citus_probe.c (office_code TEXT NOT NULL, id TEXT NOT NULL, b_id TEXT, PRIMARY KEY (office_code, id), FOREIGN KEY (office_code, b_id) REFERENCES citus_probe.b (office_code, id))',
    // Distributed to reference is allowed; reference to distributed is not.
    'CREATE TABLE citus_probe.d (office_code TEXT NOT NULL REFERENCES citus_probe.ref (code), id TEXT NOT NULL, PRIMARY KEY (office_code, id))',
    'CREATE TABLE citus_probe.ref2 (code TEXT PRIMARY KEY, office TEXT, d_id TEXT, FOREIGN KEY (office, d_id) REFERENCES citus_probe.d (office_code, id))',
  ]) {
    await q.query(sql);
  }
  const problems = await citusProblems(q, 'citus_probe');
  expect(problems).toEqual([
    'a: unique index a_n (n) lacks office_code',
    'a: unique index a_pkey (id) lacks office_code',
    'b: foreign key b_a_id_fkey (a_id) → a (id) does not pair office_code',
    'ref2: foreign key ref2_office_d_id_fkey from a reference table to the distributed d',
  ]);
}, 60_000);
