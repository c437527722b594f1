/**
 * On PostgreSQL the server's statements with parameters are named prepared statements (server/src/store.ts): each
 * connection parses and plans one once and runs it again by name; a statement without parameters (a BEGIN with its
 * settings, a LISTEN) goes as it is. Read from the connection's own pg_prepared_statements.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { onPostgres, testStore } from './server-helpers';
import { tempDir } from './helpers';

const tmp = tempDir('server-prepared');
let own: Awaited<ReturnType<typeof testStore>> | null = null;

beforeAll(async () => {
  if (onPostgres) own = await testStore(tmp.dir);
}, 60_000);

afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

test.runIf(onPostgres)('a statement with parameters is prepared once on its connection and run again by name', async () => {
  const prepared = await own!.store.transaction(async (tx) => {
    expect(await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [1])).toEqual([{ n: 2 }]);
    expect(await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [41])).toEqual([{ n: 42 }]);
    await tx.query('SELECT 7 AS n');
    return tx.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
  });
  expect(prepared.map((p) => p.statement).filter((s) => s === 'SELECT $1::int + 1 AS n')).toHaveLength(1);
  expect(prepared.map((p) => p.statement)).not.toContain('SELECT 7 AS n');
});
