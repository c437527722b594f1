/**
 * The e2e servers' schemas (e2e/server-schemas.ts): each says when it was made, and a run drops those that killed
 * workers of runs long gone left, never one of a run under way. The machine's PostgreSQL.
 */
import os from 'node:os';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { dropAbandonedSchemas, dropServerSchemas, serverDatabase } from '../e2e/server-schemas';

const u = new URL(process.env.JARDEM_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
const client = new pg.Client({ host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username) || process.env.PGUSER || os.userInfo().username });
const schemas = async () => new Set((await client.query<{ n: string }>("SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'e2e_%'")).rows.map((r) => r.n));

afterAll(async () => {
  await client.query('DROP SCHEMA IF EXISTS e2e_test_old CASCADE; DROP SCHEMA IF EXISTS e2e_test_unmarked CASCADE');
  await client.end();
});

test('a schema left long ago, or by a run from before schemas said when, goes; one of a run under way stays', async () => {
  await client.connect();
  const live = (await serverDatabase(`/tmp/e2e-schemas-test-${process.pid}`)).JARDEM_SERVER_SCHEMA!;
  await client.query("CREATE SCHEMA e2e_test_old; COMMENT ON SCHEMA e2e_test_old IS 'e2e 2026-01-01T00:00:00.000Z'");
  await client.query('CREATE SCHEMA e2e_test_unmarked');
  const dropped = await dropAbandonedSchemas();
  expect(dropped).toEqual(expect.arrayContaining(['e2e_test_old', 'e2e_test_unmarked']));
  expect(dropped).not.toContain(live);
  const left = await schemas();
  expect(left.has(live)).toBe(true);
  expect(left.has('e2e_test_old')).toBe(false);
  // Seven hours on, the same schema is one a killed worker left.
  expect(await dropAbandonedSchemas(Date.now() + 7 * 3600_000)).toContain(live);
  await dropServerSchemas();
});
