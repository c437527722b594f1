/**
 * A kill -9 harness for the workstation (also reused by the sync tests): it runs the browser
 * host (dist/node/browser-host.cjs, the services worker inside it) as a real process, calls it over HTTP as the
 * renderer does, kills it with SIGKILL at a moment chosen by a seeded random delay, starts it again on the same
 * data folder, and checks what the kill left:
 *
 * - integrity: SQLite's `PRAGMA integrity_check` is "ok";
 * - lost: an operation whose HTTP answer arrived (acknowledged) is in the log;
 * - duplicated: no operation is in the log twice (each carries a token of its own: page bytes, a bank name);
 * - orphan blobs, precisely: (a) a row of `blobs` that no committed event names (nor an information-system
 *   request, whose answer's signature only it names), or (b) a committed event naming a blob whose file is
 *   missing or no longer hashes to its name. A file with no row is not an orphan: it is what a kill between the
 *   file's write and its commit leaves, named by nothing and harmless; it is counted apart (`unnamedFiles`), and
 *   so are the temporary files, which the start removes (`tmpFiles` after a start must be 0);
 * - Verify case: every case verifies clean through the restarted services.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const HOST = path.resolve('dist/node/browser-host.cjs');

export type Answer<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; params?: Record<string, unknown> } };

/** One browser host process on a data folder. */
export interface RunningHost {
  pid: number;
  origin: string;
  call: <T = unknown>(method: string, input: unknown, session?: string) => Promise<Answer<T>>;
  /** SIGKILL: no shutdown, no flush, as a power cut or the OOM killer. Resolves once the process is gone. */
  kill9: () => Promise<void>;
  /** SIGTERM, waiting for the exit. */
  stop: () => Promise<void>;
  exited: Promise<number | null>;
}

/** Starts the browser host on `dataDir` and resolves once it listens (its JSON "listening" line). */
export function startHost(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [HOST, '--data-dir', dataDir, '--no-open', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1', ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event: string; url: string };
      if (event.event !== 'listening') return;
      const url = new URL(event.url);
      const secret = /secret=([^&]+)/.exec(url.hash)![1]!;
      const call = async <T>(method: string, input: unknown, session?: string): Promise<Answer<T>> => {
        const r = await fetch(`${url.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': secret }, body: JSON.stringify({ method, input, session }) });
        return (await r.json()) as Answer<T>;
      };
      const signal = (s: NodeJS.Signals) => async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(s);
        await exited;
      };
      resolve({ pid: child.pid!, origin: url.origin, call, kill9: signal('SIGKILL'), stop: signal('SIGTERM'), exited });
    });
    void exited.then((code) => reject(new Error(`browser host exited with ${code} before listening: ${stderr}`)));
  });
}

/** An operation the harness sent: acknowledged once its HTTP answer arrived (ok or not). */
export interface Operation {
  id: number;
  kind: string;
  /** What marks it in the log: the number of events that carry it. */
  inLog: (db: Database.Database) => number;
  acknowledged: boolean;
  /** The answer was ok: the operation must be in the log exactly once. */
  succeeded: boolean;
}

export interface FolderCheck {
  integrity: string;
  /** Rows of `blobs` that no committed event (nor an information-system request) names. */
  orphanRows: string[];
  /** Blobs a committed event names whose file is missing or changed. */
  missingOrChanged: string[];
  /** Files in blobs/ with no row: left by a kill between the file and its commit, harmless. */
  unnamedFiles: number;
  tmpFiles: number;
  events: number;
  cases: number;
}

const SHA = /\b[0-9a-f]{64}\b/g;

/** What the kill left in the data folder (read with a connection of its own, read-only). */
export function checkFolder(dataDir: string): FolderCheck {
  const db = new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    const named = new Set<string>();
    for (const payload of db.prepare('SELECT payload FROM case_events').pluck().all() as string[]) for (const m of payload.match(SHA) ?? []) named.add(m);
    const byRequests = new Set((db.prepare('SELECT answer_sha256, signature_sha256 FROM is_requests').raw().all() as (string | null)[][]).flat().filter((x): x is string => x !== null));
    const rows = db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[];
    const rowSet = new Set(rows);
    const orphanRows = rows.filter((sha) => !named.has(sha) && !byRequests.has(sha));
    const missingOrChanged = [...named].filter((sha) => {
      if (!rowSet.has(sha)) return false; // a hash in a payload that is not a blob (an event's own hash chain is not in payloads)
      const file = path.join(dataDir, 'blobs', sha.slice(0, 2), sha);
      return !existsSync(file) || createHash('sha256').update(readFileSync(file)).digest('hex') !== sha;
    });
    const root = path.join(dataDir, 'blobs');
    const files = existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]).map((f) => path.basename(f)) : [];
    const tmpFiles = files.filter((f) => f.endsWith('.tmp')).length;
    const unnamedFiles = files.filter((f) => /^[0-9a-f]{64}$/.test(f) && !rowSet.has(f)).length;
    return {
      integrity,
      orphanRows,
      missingOrChanged,
      unnamedFiles,
      tmpFiles,
      events: db.prepare('SELECT count(*) FROM case_events').pluck().get() as number,
      cases: db.prepare('SELECT count(*) FROM cases').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

/** Acknowledged operations the log does not hold, and operations the log holds more than once. */
export function lostAndDuplicated(dataDir: string, ops: readonly Operation[]): { lost: Operation[]; duplicated: Operation[] } {
  const db = new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
  try {
    const counts = ops.map((op) => ({ op, n: op.inLog(db) }));
    return { lost: counts.filter((c) => c.op.succeeded && c.n === 0).map((c) => c.op), duplicated: counts.filter((c) => c.n > 1).map((c) => c.op) };
  } finally {
    db.close();
  }
}

const SERVER = path.resolve('dist/node/server.cjs');

/** One central server process (dist/node/server.cjs) on PostgreSQL, in its own schema. */
export interface RunningServer {
  pid: number;
  url: string;
  port: number;
  /** SIGKILL: mid-transaction, mid-answer; PostgreSQL rolls back what was not committed. */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
  exited: Promise<number | null>;
  /** What it wrote to stderr so far (an internal error is logged there). */
  stderr: () => string;
  /** Whether it is still running. */
  alive: () => boolean;
}

/**
 * Starts the server on DATABASE_URL in `schema` (JARDEM_SERVER_SCHEMA), its connections named `applicationName`
 * (PGAPPNAME, so that a test ends only its own backends), and resolves once it listens. `port` 0 picks one; a
 * restart passes the old one so that a balancer in front keeps its address.
 */
export function startServerProcess(opts: { pkiDir: string; schema: string; applicationName: string; port?: number }): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [SERVER, '--pki', opts.pkiDir, '--port', String(opts.port ?? 0), '--families', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, JARDEM_SERVER_SCHEMA: opts.schema, PGAPPNAME: opts.applicationName },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event: string; url: string };
      if (event.event !== 'listening') return;
      const signal = (s: NodeJS.Signals) => async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(s);
        await exited;
      };
      resolve({ pid: child.pid!, url: event.url, port: Number(new URL(event.url).port), kill9: signal('SIGKILL'), stop: signal('SIGTERM'), exited, stderr: () => stderr, alive: () => child.exitCode === null && child.signalCode === null });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}
