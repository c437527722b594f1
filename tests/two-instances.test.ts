/**
 * Two server processes on one PostgreSQL behind a round-robin proxy (node:http, written here), as a city's load
 * balancer would run them. Both start at once on an empty schema (the migrations wait on one advisory lock, so only one
 * migrates); workstations sync through the proxy, every request on the other instance than the one before; nothing is
 * lost or numbered twice; and a push applied by instance A wakes a long poll waiting on instance B (LISTEN/NOTIFY).
 * PostgreSQL only: PGlite is one process's database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SYNC_PROTOCOL, type PullResponse } from '../shared/contract/sync-protocol';
import { loadDevice } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { SERVER_SCHEMA_VERSION } from '../server/src/migrations';
import { openStore, type Store } from '../server/src/store';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, onPostgres } from './server-helpers';

const tmp = tempDir('two-instances');
const schema = `server_two_${randomBytes(4).toString('hex')}`;
const children: ChildProcess[] = [];
let pki: ReturnType<typeof makePki>;
let urls: string[] = [];
let proxy: http.Server;
let proxyUrl: string;
let store: Store;
const served = [0, 0];

function startInstance(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('dist/node/server.cjs'), '--pki', pki.dir, '--data-dir', path.join(tmp.dir, name), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, JARDEM_SERVER_SCHEMA: schema },
    });
    children.push(child);
    createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{"event":"listening"') && resolve((JSON.parse(l) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`instance ${name} exited ${code}`)));
  });
}

/** Round robin, request by request: each request goes to the other instance than the one before. */
function roundRobin(): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next++ % 2;
    served[i]!++;
    const target = new URL(req.url ?? '/', urls[i]);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  if (!onPostgres) return;
  pki = makePki(path.join(tmp.dir, 'pki'));
  // Both at once, on a schema that does not exist yet.
  urls = await Promise.all([startInstance('a'), startInstance('b')]);
  proxy = await roundRobin();
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  store = await openStore({ databaseUrl: process.env.DATABASE_URL, schema });
}, 180_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  proxy?.close();
  if (store) {
    await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  }
  tmp.remove();
});

const applicant = (n: number) => ({ iin: nthIin('850615', 3, 40 + n), surname: `Екі${n}`, givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' });

async function signedIn(ws: ReturnType<typeof enrolledWorkstation>) {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: boolean; value: { token: string } };
  const token = r.value.token;
  return async (method: string, input: unknown) => {
    const x = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; error?: unknown };
    if (!x.ok) throw new Error(`${method}: ${JSON.stringify(x.error)}`);
  };
}

test.runIf(onPostgres)('both instances started at once on an empty schema: migrated once, to the current version', async () => {
  const version = await store.query<{ version: number }>('SELECT version FROM server_schema');
  expect(version).toEqual([{ version: SERVER_SCHEMA_VERSION }]);
});

test.runIf(onPostgres)('workstations syncing through the round robin: nothing lost, nothing numbered twice, both see everything', async () => {
  const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', proxyUrl);
  const w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', proxyUrl);
  try {
    const [act1, act2] = [await signedIn(w1), await signedIn(w2)];
    for (let i = 0; i < 3; i++) {
      await act1('cases.registerApplicant', applicant(i));
      await act2('cases.registerApplicant', applicant(10 + i));
      // Both sync at once: their requests interleave over both instances.
      const [r1, r2] = await Promise.all([w1.sync(), w2.sync()]);
      expect(r1).toMatchObject({ completed: true, refused: 0, conflicts: 0 });
      expect(r2).toMatchObject({ completed: true, refused: 0, conflicts: 0 });
    }
    await Promise.all([w1.sync(), w2.sync()]);
    expect(served[0]).toBeGreaterThan(5);
    expect(served[1]).toBeGreaterThan(5);
    const rows = await store.query<{ n: number; seqs: number; ids: number }>("SELECT count(*)::int AS n, count(DISTINCT server_seq)::int AS seqs, count(DISTINCT id)::int AS ids FROM events WHERE office_code = 'AUE'");
    const local = (ws: typeof w1) => (ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n;
    // Every act of both, once on the server, each with a number of its own; each workstation has all of them.
    expect(rows[0]!.n).toBe(rows[0]!.ids);
    expect(rows[0]!.seqs).toBe(rows[0]!.n);
    expect(local(w1)).toBe(rows[0]!.n);
    expect(local(w2)).toBe(rows[0]!.n);
    const cases = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE office_code = 'AUE'");
    expect(cases[0]!.n).toBe(6);
  } finally {
    w1.ctx.db.close();
    w2.ctx.db.close();
  }
}, 300_000);

test.runIf(onPostgres)("a push applied by instance A wakes a long poll waiting on instance B", async () => {
  const writer = enrolledWorkstation(path.join(tmp.dir, 'w3'), pki.dir, 'AUE', 'W3', urls[0]!);
  const reader = enrolledWorkstation(path.join(tmp.dir, 'w4'), pki.dir, 'AUE', 'W4', urls[1]!);
  try {
    await reader.sync();
    await writer.sync();
    const identity = loadDevice(reader.ctx)!;
    const onB = syncClient(urls[1]!, identity, () => new Date());
    const head = (await store.query<{ last: number }>("SELECT last FROM office_seq WHERE office_code = 'AUE'"))[0]?.last ?? 0;
    // The long poll is on B before the act exists; the act goes to A only.
    const waiting = onB.json<PullResponse>('GET', `/sync/v1/pull?cursor=${head}&limit=100&wait=25`, undefined, { timeoutMs: 60_000 });
    const act = await signedIn(writer);
    await act('cases.registerApplicant', applicant(30));
    const pushed = await writer.sync();
    expect(pushed).toMatchObject({ completed: true, pushed: 1 });
    const page = await waiting;
    // Woken with the act (a time-out would have answered an empty page after 25 s).
    expect(page.value.events.map((e) => e.type)).toContain('intake.registered');
    expect(page.value.protocol).toBe(SYNC_PROTOCOL);
  } finally {
    writer.ctx.db.close();
    reader.ctx.db.close();
  }
}, 300_000);
