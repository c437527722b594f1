/**
 * The server's schema, as numbered migrations run from code (PGlite has no migration CLI; the list is in
 * migration-list.ts): all pending ones in one transaction, under an advisory lock so that two instances starting
 * together never migrate at once. A schema newer than this server is refused.
 */
import { MIGRATIONS } from './migration-list';
import type { Queryable, Store } from './store';


export const SERVER_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
export class SchemaNewerError extends Error {}

/** One advisory lock key for the server's migrations (any constant; two instances take the same). */
const MIGRATION_LOCK = 770_100_001;

async function currentVersion(q: Queryable): Promise<number> {
  const exists = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'server_schema'");
  if (exists[0]!.n === 0) return 0;
  return (await q.query<{ version: number }>('SELECT version FROM server_schema WHERE id = 1'))[0]?.version ?? 0;
}

export async function migrate(store: Store): Promise<number> {
  return store.transaction(async (tx) => {
    // Held until this transaction ends: a second instance waits here, then finds the schema current.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const current = await currentVersion(tx);
    if (current > SERVER_SCHEMA_VERSION) throw new SchemaNewerError(`the database's schema (${current}) is newer than this server's (${SERVER_SCHEMA_VERSION}): update the server`);
    if (current === 0) await tx.query('CREATE TABLE server_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version > current)) {
      for (const statement of m.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
    }
    await tx.query('INSERT INTO server_schema (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version', [SERVER_SCHEMA_VERSION]);
    return SERVER_SCHEMA_VERSION;
  });
}
