/**
 * Tools of the server abuse tests: the real server process (dist/node/server.cjs, on PGlite in its own folder or on
 * PostgreSQL in its own schema) with its memory read from /proc, requests signed by a device as its agent signs
 * them, raw sockets that trickle, and the counts of every table a refused request must not write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import { deviceId, signRequest } from '../node/sync-auth';
import type { DeviceIdentity } from '../electron/services/device';
import { openStore, type Queryable } from '../server/src/store';
import { onPostgres } from './server-helpers';
import { seedPgliteFolder } from './pglite-template';

const SERVER = path.resolve('dist/node/server.cjs');

export interface ServerProcess {
  pid: number;
  url: string;
  port: number;
  /** The process's resident memory now (kB, VmRSS of /proc/PID/status). */
  rssKb: () => number;
  stderr: () => string;
  /** The last lines the process logged (its JSON log on standard output): what it did with a request that failed. */
  logTail: (lines?: number) => string;
  /** Whether the process still runs. */
  alive: () => boolean;
  stop: () => Promise<void>;
}

/** Starts `node dist/node/server.cjs` with `args` and resolves when it prints that it listens. */
export function startServerProcess(pkiDir: string, dataDir: string, args: string[] = []): Promise<ServerProcess> {
  const schema = onPostgres ? `abuse_${randomBytes(5).toString('hex')}` : null;
  if (!schema) seedPgliteFolder(dataDir);
  const child: ChildProcess = spawn(process.execPath, [SERVER, '--pki', pkiDir, '--data-dir', dataDir, '--port', '0', '--families', '20', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(schema ? { JARDEM_SERVER_SCHEMA: schema } : { DATABASE_URL: '' }) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
      if (!line.startsWith('{"event":"listening"')) return;
      const url = (JSON.parse(line) as { url: string }).url;
      resolve({
        pid: child.pid!,
        url,
        port: Number(new URL(url).port),
        rssKb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN),
        stderr: () => stderr,
        logTail: (lines = 40) => log.slice(-lines).join('\n'),
        alive: () => child.exitCode === null && child.signalCode === null,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
          if (schema) {
            const store = await openStore({ databaseUrl: process.env.DATABASE_URL });
            await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
            await store.close();
          }
        },
      });
    });
    void exited.then(() => reject(new Error(`the server exited before it listened: ${stderr}`)));
  });
}

/** Headers of a request signed by `device` as its sync agent signs one; `now` for a clock of the test's own. */
export function signed(device: DeviceIdentity, method: string, pathWithQuery: string, body: Buffer, now?: Date): Record<string, string> {
  return signRequest({ method, pathWithQuery, body, device: deviceId(device), privateKeyPem: device.privateKeyPem, protocol: SYNC_PROTOCOL, now });
}

export interface RawAnswer {
  status: number;
  body: unknown;
}

/**
 * A request as fetch sends it; the answer's body parsed when it is JSON. Rejects when the connection broke, saying
 * how (fetch's own message is only "fetch failed") and how long after it began.
 */
export async function send(url: string, init: { method: string; headers?: Record<string, string>; body?: Buffer }): Promise<RawAnswer> {
  const began = performance.now();
  const res = await fetch(url, { method: init.method, headers: init.headers, body: init.body ? new Uint8Array(init.body) : undefined }).catch((e: unknown) => {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`${init.method} ${url}: ${cause?.code ?? ''} ${cause?.message ?? String(e)} after ${Math.round(performance.now() - began)} ms`, { cause: e });
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}

/** The typed refusal's code, or null. */
export const codeOf = (a: RawAnswer) => ((a.body as { error?: { code?: string } })?.error?.code ?? null);

/**
 * A connection that sends a request's head and then its body one byte at a time (or, with `headers` false, its head
 * one byte at a time), until the server closes it. `closed()` says whether it was closed and `answer()` what it got.
 */
export function trickle(port: number, opts: { headers: boolean; everyMs: number; method?: string; path?: string }): Promise<{ closed: () => boolean; answer: () => string; socket: net.Socket }> {
  return new Promise((resolve) => {
    let closed = false;
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      const head = `${opts.method ?? 'POST'} ${opts.path ?? '/sync/v1/push'} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n`;
      if (opts.headers) socket.write(`${head}\r\n`);
      else socket.write(head);
      const drip = setInterval(() => socket.writable && socket.write(opts.headers ? '{' : 'X'), opts.everyMs);
      socket.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
      resolve({ closed: () => closed, answer: () => answer, socket });
    });
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', () => undefined);
  });
}

const TABLES = ['events', 'cases', 'blobs', 'devices', 'offices', 'office_seq', 'number_highs', 'is_answers', 'reference_acts', 'refusals', 'conflicts', 'center_events'];

/** The row count of every table a request could write (the nonces aside: a signed refusal may record its nonce). */
export async function tableCounts(store: Queryable): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n);
  return out;
}

/**
 * Any request, a GET with a body included, over one fresh connection: `size` bytes of filler when no body is given.
 * Rejects when the connection is broken before an answer (a dropped connection is what these tests look for).
 */
export function rawRequest(url: string, method: string, pathWithQuery: string, headers: Record<string, string>, body: Buffer | { size: number }): Promise<RawAnswer> {
  const u = new URL(url);
  const size = Buffer.isBuffer(body) ? body.length : body.size;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: pathWithQuery, method, agent: false, headers: { ...headers, 'content-length': String(size) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
    });
    req.on('error', reject);
    if (Buffer.isBuffer(body)) return void req.end(body);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}
