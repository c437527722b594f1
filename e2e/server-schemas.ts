/**
 * The e2e servers' schemas in the machine's PostgreSQL. A test's own information-system simulator (the `host`
 * fixture's, one workstation's) keeps its server's data there, as a city's server does: a schema of its own, named by
 * its data folder. On PGlite each start cost three seconds of a core, and each query ran in WebAssembly on the
 * server's thread. (The specs of several offices start their servers on PGlite, `npm run server`'s database.)
 * The worker drops its schemas when it ends; a worker killed before (a run stopped halfway) leaves them, so each
 * schema says when it was made, and a run drops those left by runs long gone.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';

const DATABASE_URL = process.env.JARDEM_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
/** No run lasts this long (CI stops one at 90 minutes): an older schema is one a killed worker left. */
const ABANDONED_AFTER_MS = 6 * 3600_000;
const PREFIX = 'e2e_';
const made = new Set<string>();

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const u = new URL(DATABASE_URL);
  const client = new pg.Client({ host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username) || process.env.PGUSER || os.userInfo().username, password: decodeURIComponent(u.password) || undefined });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server's environment for a schema of its own, made now and marked with the time it was made. */
export async function serverDatabase(dataDir: string): Promise<NodeJS.ProcessEnv> {
  const schema = `${PREFIX}${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  await withClient(async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`COMMENT ON SCHEMA ${schema} IS 'e2e ${new Date().toISOString()}'`);
  });
  made.add(schema);
  return { DATABASE_URL, JARDEM_SERVER_SCHEMA: schema };
}

/** This worker's schemas, when it ends. */
export async function dropServerSchemas(): Promise<void> {
  if (made.size === 0) return;
  await withClient(async (client) => {
    for (const schema of made) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  made.clear();
}

/** Before a run: the schemas of workers killed long ago (older than any run, or made before schemas said when). */
export async function dropAbandonedSchemas(now = Date.now()): Promise<string[]> {
  return withClient(async (client) => {
    const rows = (await client.query<{ name: string; note: string | null }>(`SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS note FROM pg_namespace WHERE nspname LIKE '${PREFIX}%'`)).rows;
    const gone = rows.filter((r) => {
      const at = Date.parse(/^e2e (\S+)$/.exec(r.note ?? '')?.[1] ?? '');
      return !Number.isFinite(at) || now - at > ABANDONED_AFTER_MS;
    });
    for (const r of gone) await client.query(`DROP SCHEMA IF EXISTS ${r.name} CASCADE`);
    return gone.map((r) => r.name);
  });
}
