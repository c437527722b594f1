/**
 * The server under slow and many connections (real sockets against the real Fastify server, with short time-outs of
 * the test's own): headers or a body that trickle in are cut at their time-out, one address holds a bounded number
 * of connections, and a normal client is answered all along.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevice, type DeviceIdentity } from '../electron/services/device';
import { LIMITS, type ServerLimits } from '../server/src/limits';
import { codeOf, send, signed, trickle } from './abuse-helpers';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-slow');
const SHORT: Partial<ServerLimits> = { headersTimeoutMs: 1000, requestTimeoutMs: 2000, idleTimeoutMs: 4000, keepAliveTimeoutMs: 1000, connectionsPerAddress: 45, checkIntervalMs: 250 };
let server: Awaited<ReturnType<typeof startServer>>;
let device: DeviceIdentity;

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir, { limits: SHORT });
  const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  expect((await w1.sync()).completed).toBe(true);
  device = loadDevice(w1.ctx)!;
  w1.ctx.db.close();
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const port = () => Number(new URL(server.url).port);
const pull = () => send(`${server.url}/sync/v1/pull?cursor=0`, { method: 'GET', headers: signed(device, 'GET', '/sync/v1/pull?cursor=0', Buffer.alloc(0)) });

describe('slow connections', () => {
  it('40 connections trickling their headers or their body are closed at the time-outs; a normal client is answered meanwhile', async () => {
    const slow = await Promise.all(Array.from({ length: 40 }, (_, i) => trickle(port(), { headers: i % 2 === 0, everyMs: 200 })));
    try {
      // Meanwhile a workstation syncs as usual.
      expect((await pull()).status).toBe(200);
      // Each is closed by the header or request time-out (1 s, 2 s here), checked every 250 ms; none stays open.
      await expect.poll(() => slow.filter((s) => s.closed()).length, { timeout: 15_000, interval: 100 }).toBe(40);
      // A trickled body is answered 408 by Node, or the request's own refusal once its head was read; never held.
      for (const s of slow.filter((_, i) => i % 2 === 1)) expect(s.answer()).toMatch(/^HTTP\/1\.1 (408|400|401)/);
      expect((await pull()).status).toBe(200);
    } finally {
      for (const s of slow) s.socket.destroy();
    }
  }, 60_000);

  it('one address holds at most its share of connections: the next requests are refused 429 with the reason, and served again once they go', async () => {
    const slow = await Promise.all(Array.from({ length: SHORT.connectionsPerAddress! + 5 }, () => trickle(port(), { headers: false, everyMs: 100 })));
    try {
      const refused = await send(`${server.url}/health`, { method: 'GET' });
      expect([refused.status, codeOf(refused)]).toEqual([429, 'sync.too_many_connections']);
      expect(refused.body).toMatchObject({ error: { params: { limit: SHORT.connectionsPerAddress } } });
      await expect.poll(() => slow.every((s) => s.closed()), { timeout: 15_000, interval: 100 }).toBe(true);
      await expect.poll(async () => (await send(`${server.url}/health`, { method: 'GET' })).status, { timeout: 5000, interval: 200 }).toBe(200);
    } finally {
      for (const s of slow) s.socket.destroy();
    }
  }, 60_000);

  it('the production time-outs: headers within 10 s, a whole request within 5 min, idle connections closed after a minute', () => {
    expect(LIMITS).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 300_000, idleTimeoutMs: 60_000, keepAliveTimeoutMs: 10_000, connectionsPerAddress: 100 });
    // A long poll waits 25 s with its request already read: the idle time-out must leave it room.
    expect(LIMITS.idleTimeoutMs).toBeGreaterThan(25_000 + 5_000);
  });
});
