/**
 * Health as a load balancer sees it, on a real server process (dist/node/server.cjs, PGlite in a folder of its own
 * or a schema of its own on PostgreSQL): /healthz and /readyz answer; on SIGTERM /readyz turns 503 while a long
 * poll in flight finishes with its answer, then the process exits 0. And /readyz says which check fails. The operator
 * sets the cap of connections per address (a server behind a reverse proxy sees one address for every office).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL, type PullResponse } from '../shared/contract/sync-protocol';
import { loadDevice } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { migrate, SERVER_SCHEMA_VERSION } from '../server/src/migrations';
import { readiness } from '../server/src/ops/health';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation, onPostgres, testStore } from './server-helpers';
import { codeOf, send, trickle } from './abuse-helpers';
import { seedPgliteFolder } from './pglite-template';

const SERVER = path.resolve('dist/node/server.cjs');
const tmp = tempDir('server-health');
let pki: ReturnType<typeof makePki>;
const schema = `t_${randomBytes(6).toString('hex')}`;

interface Running {
  child: ChildProcess;
  url: string;
  events: string[];
  exited: Promise<number | null>;
}

function startProcess(env: Record<string, string>): Promise<Running> {
  if (!onPostgres) seedPgliteFolder(path.join(tmp.dir, 'server-data'));
  const child = spawn(process.execPath, [SERVER, '--pki', pki.dir, '--port', '0', '--families', '20', '--data-dir', path.join(tmp.dir, 'server-data')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(onPostgres ? { JARDEM_SERVER_SCHEMA: schema } : {}), ...env },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const events: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const j = JSON.parse(line) as { event?: string; url?: string };
      if (j.event) events.push(j.event);
      if (j.event === 'listening') resolve({ child, url: j.url!, events, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
});
afterAll(async () => {
  if (onPostgres) {
    const { store } = await testStore(tmp.dir);
    await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await store.close();
  }
  tmp.remove();
});

describe('health of a real server process', () => {
  it('is alive and ready; on SIGTERM it is not ready, finishes the long poll in flight, and exits 0', async () => {
    const server = await startProcess({ JARDEM_DRAIN_DELAY_MS: '1500', JARDEM_SYNC_WAIT_S: '0' });
    try {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { database: true, schema: SERVER_SCHEMA_VERSION, verification: true, draining: false } });

      const ws = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
      expect((await ws.sync()).completed).toBe(true);
      const client = syncClient(server.url, loadDevice(ws.ctx)!, () => new Date());
      // A long poll with nothing to wait for: it holds the connection for its full 3 s.
      const poll = client.json<PullResponse>('GET', '/sync/v1/pull?cursor=0&limit=10&wait=3', undefined, { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 300));
      server.child.kill('SIGTERM');
      let draining: { status: number; body: { checks?: { draining?: boolean } } } | null = null;
      while (!draining) {
        const r = await fetch(`${server.url}/readyz`).catch(() => null);
        if (r === null) break;
        if (r.status === 503) draining = { status: r.status, body: (await r.json()) as { checks?: { draining?: boolean } } };
        else await new Promise((x) => setTimeout(x, 50));
      }
      expect(draining).toMatchObject({ status: 503, body: { checks: { draining: true } } });
      const answer = await poll;
      expect(answer.value).toMatchObject({ protocol: SYNC_PROTOCOL, events: [] });
      expect({ code: await server.exited, events: server.events }).toMatchObject({ code: 0 });
      expect(server.events).toEqual(expect.arrayContaining(['listening', 'draining', 'stopped']));
      ws.ctx.db.close();
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);
});

describe('the operator\'s cap of connections per address', () => {
  it('JARDEM_CONNECTIONS_PER_ADDRESS sets it: above it a request is refused 429 with the cap it met', async () => {
    const server = await startProcess({ JARDEM_CONNECTIONS_PER_ADDRESS: '3' });
    const held = await Promise.all(Array.from({ length: 4 }, () => trickle(Number(new URL(server.url).port), { headers: false, everyMs: 200 })));
    try {
      const refused = await send(`${server.url}/healthz`, { method: 'GET' });
      expect([refused.status, codeOf(refused)]).toEqual([429, 'sync.too_many_connections']);
      expect(refused.body).toMatchObject({ error: { params: { limit: 3 } } });
    } finally {
      for (const h of held) h.socket.destroy();
      server.child.kill('SIGKILL');
    }
  }, 120_000);
});

describe('readiness says which check fails', () => {
  it('not ready when the schema is behind the server, or verification is not up, or it drains', async () => {
    const own = await testStore(path.join(tmp.dir, 'ready'));
    try {
      await migrate(own.store);
      const up = { draining: () => false, verificationReady: () => true };
      expect(await readiness(own.store, up)).toMatchObject({ ready: true });
      expect(await readiness(own.store, { ...up, verificationReady: () => false })).toMatchObject({ ready: false, checks: { verification: false, database: true } });
      expect(await readiness(own.store, { ...up, draining: () => true })).toMatchObject({ ready: false, checks: { draining: true } });
      await own.store.query('UPDATE server_schema SET version = $1', [SERVER_SCHEMA_VERSION - 1]);
      expect(await readiness(own.store, up)).toMatchObject({ ready: false, checks: { database: true, schema: SERVER_SCHEMA_VERSION - 1 } });
      await own.store.query('DROP TABLE server_schema');
      expect(await readiness(own.store, up)).toMatchObject({ ready: false, checks: { database: false } });
    } finally {
      await own.drop();
    }
  }, 120_000);
});
