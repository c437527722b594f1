/**
 * The server's schema is ready for Citus, distributed by office (server/README.md): every primary key and unique
 * constraint of a table that holds an office's data includes office_code (Citus refuses to distribute it otherwise),
 * and the reference tables are the small shared ones. Checked over the real catalog, on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../server/src/migrations';
import { tempDir } from './helpers';
import { testStore } from './server-helpers';

const REFERENCE = ['offices', 'is_answers', 'server_schema', 'reference_acts'];
const tmp = tempDir('server-schema');
let own: Awaited<ReturnType<typeof testStore>>;

beforeAll(async () => {
  own = await testStore(tmp.dir);
  await migrate(own.store);
}, 60_000);
afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

describe('the server schema on a distributed engine', () => {
  it('includes office_code in every primary key and unique constraint of every distributed table', async () => {
    const rows = await own.store.query<{ table_name: string; constraint_name: string; type: string; columns: string }>(
      `SELECT c.relname AS table_name, k.conname AS constraint_name, k.contype AS type,
              string_agg(a.attname, ',' ORDER BY a.attnum) AS columns
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey)
       WHERE k.contype IN ('p', 'u')
       GROUP BY c.relname, k.conname, k.contype`,
    );
    const tables = [...new Set(rows.map((r) => r.table_name))].sort();
    expect(tables).toEqual(['blobs', 'cases', 'center_events', 'conflicts', 'devices', 'events', 'is_answers', 'number_highs', 'office_seq', 'offices', 'reference_acts', 'refusals', 'request_nonces', 'server_schema', 'staff_acts', 'staff_register']);
    const offending = rows.filter((r) => !REFERENCE.includes(r.table_name) && !r.columns.split(',').includes('office_code'));
    expect(offending).toEqual([]);
    // Every distributed table carries the column at all.
    const withColumn = await own.store.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'office_code'",
    );
    expect(withColumn.map((r) => r.table_name).sort()).toEqual(tables.filter((t) => !REFERENCE.includes(t)));
  });

  it('has no foreign key between distributed tables that Citus could not keep', async () => {
    const fks = await own.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace AND n.nspname = current_schema() WHERE k.contype = 'f'",
    );
    expect(fks[0]!.n).toBe(0);
  });
});
