/**
 * A probe of the whole server API, as an attacker sends it: every route gets an oversized request, a slow one, a
 * malformed one and an unsigned one. None is answered 500, no connection is dropped without an answer, and none
 * writes anything (every table's rows counted before and after). The route list is checked against the server's
 * own, so a route added later is probed too. Real HTTP, short time-outs of the test's own.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevice, type DeviceIdentity } from '../electron/services/device';
import { bodyLimitOf } from '../server/src/gate';
import { LIMITS, type ServerLimits } from '../server/src/limits';
import { rawRequest, signed, tableCounts, trickle, type RawAnswer } from './abuse-helpers';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-probe');
const SHORT: Partial<ServerLimits> = { headersTimeoutMs: 1000, requestTimeoutMs: 2000, checkIntervalMs: 250 };
let server: Awaited<ReturnType<typeof startServer>>;
let device: DeviceIdentity;

const SHA = 'ab'.repeat(32);
/** Every route of the server, with a path to send to it. */
const ROUTES: { method: string; route: string; path: string }[] = [
  { method: 'GET', route: '/health', path: '/health' },
  { method: 'GET', route: '/readyz', path: '/readyz' },
  { method: 'GET', route: '/metrics', path: '/metrics' },
  { method: 'POST', route: '/sync/v1/enrol', path: '/sync/v1/enrol' },
  { method: 'POST', route: '/sync/v1/blobs/missing', path: '/sync/v1/blobs/missing' },
  { method: 'POST', route: '/sync/v1/blobs/batch', path: '/sync/v1/blobs/batch' },
  { method: 'PUT', route: '/sync/v1/blobs/:sha256', path: `/sync/v1/blobs/${SHA}` },
  { method: 'GET', route: '/sync/v1/blobs/:sha256', path: `/sync/v1/blobs/${SHA}` },
  { method: 'POST', route: '/sync/v1/push', path: '/sync/v1/push' },
  { method: 'GET', route: '/sync/v1/pull', path: '/sync/v1/pull?cursor=0' },
  { method: 'POST', route: '/sync/v1/reference/push', path: '/sync/v1/reference/push' },
  { method: 'GET', route: '/sync/v1/reference/pull', path: '/sync/v1/reference/pull?cursor=0' },
  { method: 'POST', route: '/sync/v1/staff/push', path: '/sync/v1/staff/push' },
  { method: 'GET', route: '/sync/v1/staff/pull', path: '/sync/v1/staff/pull?office=AUE&cursor=0' },
  { method: 'GET', route: '/sync/v1/reports/city', path: '/sync/v1/reports/city?from=2026-01-01&to=2026-12-31&at=2026-12-04T06:00:00.000Z' },
  { method: 'GET', route: '/is/v1/families', path: '/is/v1/families?limit=50' },
  { method: 'POST', route: '/is/v1/requests', path: '/is/v1/requests' },
];

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir, { limits: SHORT });
  const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  expect((await w1.sync()).completed).toBe(true);
  device = loadDevice(w1.ctx)!;
  w1.ctx.db.close();
}, 120_000);
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

/** Answered, below 500, and (but for the health check's success) a typed refusal. */
function answeredTyped(a: RawAnswer, where: string) {
  expect(a.status, `${where}: ${JSON.stringify(a.body).slice(0, 200)}`).toBeGreaterThanOrEqual(200);
  expect(a.status, `${where}: ${JSON.stringify(a.body).slice(0, 200)}`).toBeLessThan(500);
  if (a.status >= 400) expect(typeof (a.body as { error?: { code?: unknown } })?.error?.code, `${where}: ${JSON.stringify(a.body).slice(0, 200)}`).toBe('string');
}

describe('every route under hostile requests', () => {
  it('the probe covers every route the server has', () => {
    const tree = server.app.printRoutes({ commonPrefix: false });
    const listed = new Set(ROUTES.map((r) => `${r.route} (${r.method})`));
    const found = [...tree.matchAll(/(\/\S*) \(([A-Z, ]+)\)/g)].flatMap((m) => m[2]!.split(', ').filter((x) => x !== 'HEAD').map((method) => `${m[1]} (${method})`));
    expect(new Set(found)).toEqual(listed);
  });

  it('oversized, malformed and unsigned: answered with a typed refusal, never 500, nothing written', async () => {
    const before = await tableCounts(server.store);
    for (const r of ROUTES) {
      const limit = bodyLimitOf(r.method, r.path, { ...LIMITS, ...SHORT });
      const json = { 'content-type': r.method === 'PUT' ? 'image/png' : 'application/json' };
      // Oversized: one byte over the route's limit (a GET may carry none), signed and unsigned.
      const over = Buffer.alloc(limit + 1, 0x20);
      answeredTyped(await rawRequest(server.url, r.method, r.path, { ...json, ...signed(device, r.method, r.path, over) }, over), `${r.method} ${r.path} oversized`);
      answeredTyped(await rawRequest(server.url, r.method, r.path, json, { size: limit + 1 }), `${r.method} ${r.path} oversized unsigned`);
      // Malformed: a body that is not JSON, and a query or path that is not one, signed.
      const junk = Buffer.from('{{"protocol":1,');
      const body = r.method === 'GET' ? Buffer.alloc(0) : junk;
      answeredTyped(await rawRequest(server.url, r.method, r.path, { ...json, ...signed(device, r.method, r.path, body) }, body), `${r.method} ${r.path} malformed`);
      const badPath = r.path.replace(SHA, 'zz').replace('cursor=0', 'cursor=-1').replace('limit=50', 'limit=1e400');
      answeredTyped(await rawRequest(server.url, r.method, badPath, { ...json, ...signed(device, r.method, badPath, body) }, body), `${r.method} ${badPath} malformed path`);
      // Unsigned, and signed by a device that is not enrolled.
      answeredTyped(await rawRequest(server.url, r.method, r.path, json, body), `${r.method} ${r.path} unsigned`);
      const stranger = { ...signed(device, r.method, r.path, body), 'x-jardem-device': `AUE/W9/${'c'.repeat(64)}` };
      answeredTyped(await rawRequest(server.url, r.method, r.path, { ...json, ...stranger }, body), `${r.method} ${r.path} unknown device`);
    }
    expect(await tableCounts(server.store)).toEqual(before);
  }, 300_000);

  it('slow: a body trickling into any route is answered or closed at the time-out, nothing written', async () => {
    const before = await tableCounts(server.store);
    const slow = await Promise.all(ROUTES.map((r) => trickle(Number(new URL(server.url).port), { headers: true, everyMs: 200, method: r.method, path: r.path })));
    try {
      await expect.poll(() => slow.filter((s) => s.closed()).length, { timeout: 20_000, interval: 100 }).toBe(ROUTES.length);
      // Each got an HTTP answer before the close (Node's 408, or the route's refusal), never a bare reset.
      for (const [i, s] of slow.entries()) expect(s.answer(), `${ROUTES[i]!.method} ${ROUTES[i]!.path}`).toMatch(/^HTTP\/1\.1 (408|4\d\d)/);
    } finally {
      for (const s of slow) s.socket.destroy();
    }
    expect(await tableCounts(server.store)).toEqual(before);
  }, 60_000);
});
