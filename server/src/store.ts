/**
 * The server's only state: PostgreSQL (`pg`, when DATABASE_URL is set) or an embedded PGlite database in the
 * server's data folder. The same SQL runs on both (PostgreSQL 15). PGlite has one connection: every query and
 * transaction waits its turn, and a transaction's queries go through its own handle.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface TransactionStart {
  isolation: string;
  settings: string;
}

export interface Store extends Queryable {
  kind: 'pg' | 'pglite';
  /**
   * `start`: the transaction's isolation (e.g. 'REPEATABLE READ, READ ONLY') and settings (SET LOCAL …), sent with
   * its BEGIN in one round trip on PostgreSQL (PGlite sets them as the transaction's first statement).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, start?: TransactionStart): Promise<T>;
  /**
   * LISTEN on `channel` (a lower-case name): `onNotify` runs for every NOTIFY committed on it, by this instance or
   * another on the same database. `onLost` runs when the listening connection ends (missed wake-ups: re-read).
   */
  listen(channel: string, onNotify: () => void, onLost?: () => void): Promise<void>;
  close(): Promise<void>;
  /** The connection pool's use, for the metrics: connections open, idle, and requests waiting for one. */
  poolUse?(): { total: number; idle: number; waiting: number };
}

/** A unique or exclusion violation (PostgreSQL SQLSTATE 23505): another transaction wrote the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

export class StoreLockedError extends Error {}

export async function openStore(opts: { databaseUrl?: string; dataDir?: string; schema?: string }): Promise<Store> {
  if (opts.databaseUrl) return openPg(opts.databaseUrl, opts.schema);
  if (!opts.dataDir) throw new Error('give DATABASE_URL or a data folder for the embedded database');
  return openPglite(opts.dataDir);
}

/**
 * A statement with parameters as a named prepared statement: each connection parses and plans it once, not on every
 * call (the set-based CTEs of a push cost more to plan than to run for a few rows). Named by the text's hash.
 */
const names = new Map<string, string>();
function prepared(text: string, values?: unknown[]): { text: string; values?: unknown[]; name?: string } {
  if (!values || values.length === 0) return { text };
  let name = names.get(text);
  if (!name) {
    name = `j${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return { text, values, name };
}

async function openPg(url: string, schema?: string): Promise<Store> {
  const pg = (await import('pg')).default;
  // bigint (server_seq, counts) as numbers: they stay far below 2^53.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  // A URL without a user (postgres://127.0.0.1:5432/test) connects as the OS user, as psql does.
  const u = new URL(url);
  const pool = new pg.Pool({
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    user: decodeURIComponent(u.username) || process.env.PGUSER || os.userInfo().username,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    max: 8,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection the database ends (a restart, pg_terminate_backend) must not take the server down.
  pool.on('error', () => undefined);
  if (schema) {
    const c = await pool.connect();
    try {
      // Two instances starting together both try to create it; IF NOT EXISTS is not safe against that race, so
      // the creation is serialised by an advisory lock held for the statement's transaction.
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(770100002)');
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
  }
  const listener = pgListener(() => new pg.Client({ ...pool.options }));
  return {
    kind: 'pg',
    query: async (sql, params) => (await pool.query(prepared(sql, params))).rows,
    transaction: async (fn, start) => {
      const client = await pool.connect();
      // A connection ended under a checked-out client (pg_terminate_backend, a database restart) emits 'error' on it,
      // which with no listener took the whole server process down; it fails this transaction instead, and the
      // broken connection is discarded from the pool rather than handed to the next request.
      let broken: Error | undefined;
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        // One simple query for the BEGIN and its settings: one round trip, not three.
        await client.query(start ? `BEGIN ISOLATION LEVEL ${start.isolation}; ${start.settings}` : 'BEGIN');
        const result = await fn({ query: async (sql, params) => (await client.query(prepared(sql, params))).rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    listen: (channel, onNotify, onLost) => listener.listen(channel, onNotify, onLost),
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * One connection per process for LISTEN, outside the pool (a listening connection is never handed to a query). When
 * it ends, every listener hears onLost and the next listen() connects again and re-subscribes.
 */
function pgListener(connect: () => import('pg').Client) {
  let client: Promise<import('pg').Client> | null = null;
  const channels = new Map<string, { onNotify: Set<() => void>; onLost: Set<() => void> }>();
  const open = () => {
    client ??= (async () => {
      const c = connect();
      c.on('notification', (n) => channels.get(n.channel)?.onNotify.forEach((f) => f()));
      const lost = () => {
        client = null;
        const all = [...channels.values()];
        channels.clear();
        all.forEach((ch) => ch.onLost.forEach((f) => f()));
      };
      c.on('error', lost);
      c.on('end', lost);
      await c.connect();
      return c;
    })().catch((error: unknown) => {
      client = null;
      throw error;
    });
    return client;
  };
  return {
    listen: async (channel: string, onNotify: () => void, onLost?: () => void) => {
      const c = await open();
      const known = channels.get(channel);
      if (known) {
        known.onNotify.add(onNotify);
        if (onLost) known.onLost.add(onLost);
        return;
      }
      channels.set(channel, { onNotify: new Set([onNotify]), onLost: new Set(onLost ? [onLost] : []) });
      await c.query(`LISTEN ${channel}`);
    },
    close: async () => {
      const c = client;
      client = null;
      channels.clear();
      if (c) await (await c).end().catch(() => undefined);
    },
  };
}

/** Two servers on one PGlite folder would corrupt it: the folder is locked by the process that holds it. */
function lockFolder(dir: string): () => void {
  const file = path.join(dir, 'server.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive) throw new StoreLockedError(`the server's data folder ${dir} is in use by process ${pid}`);
  }
  writeFileSync(file, String(process.pid), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

async function openPglite(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const unlock = lockFolder(dataDir);
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(path.join(dataDir, 'pgdata'));
  await db.waitReady;
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => undefined);
    return run;
  };
  const asRows = async <T>(p: Promise<{ rows: unknown[] }>) => (await p).rows as T[];
  return {
    kind: 'pglite',
    query: (sql, params) => inTurn(() => asRows(db.query(sql, params as unknown[]))),
    transaction: (fn, start) =>
      inTurn(() =>
        db.transaction(async (tx) => {
          if (start) await tx.exec(`SET TRANSACTION ISOLATION LEVEL ${start.isolation}; ${start.settings}`);
          return fn({ query: (sql, params) => asRows(tx.query(sql, params as unknown[])) });
        }),
      ),
    listen: async (channel, onNotify) => {
      await inTurn(() => db.listen(channel, () => onNotify()));
    },
    close: async () => {
      await turn;
      await db.close();
      unlock();
    },
  };
}
