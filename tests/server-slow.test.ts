/**
 * The server under slow and many connections (real sockets against the real Fastify server, with short time-outs of
 * the test's own): headers or a body that trickle in are cut at their time-out, one address holds a bounded number
 * of connections, and a normal client is answered all along.
 */
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
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
// The server's own log, read back: a connection it closes says why.
const logLines: string[] = [];
const logStream = new PassThrough();
logStream.on('data', (c: Buffer) => logLines.push(...c.toString('utf8').split('\n').filter(Boolean)));
const closedBy = (reason: string) => logLines.map((l) => JSON.parse(l) as { event?: string; reason?: string; remotePort?: number }).filter((l) => l.event === 'connection_closed' && l.reason === reason);

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir, { limits: SHORT, ops: { log: { level: 'info', stream: logStream } } });
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
    const ports = slow.map((s) => s.socket.localPort);
    try {
      // Meanwhile a workstation syncs as usual.
      expect((await pull()).status).toBe(200);
      // Each is closed by the header or request time-out (1 s, 2 s here), checked every 250 ms; none stays open.
      await expect.poll(() => slow.filter((s) => s.closed()).length, { timeout: 15_000, interval: 100 }).toBe(40);
      // A trickled body is answered 408 by Node, or the request's own refusal once its head was read; never held.
      for (const s of slow.filter((_, i) => i % 2 === 1)) expect(s.answer()).toMatch(/^HTTP\/1\.1 (408|400|401)/);
      expect((await pull()).status).toBe(200);
      // The server's log names each one it cut, and why (Node's own time-out error; Fastify would log it at trace).
      const cut = new Set(closedBy('ERR_HTTP_REQUEST_TIMEOUT').map((l) => l.remotePort));
      for (const p of ports.filter((_, i) => i % 2 === 0)) expect(cut.has(p)).toBe(true);
    } finally {
      for (const s of slow) s.socket.destroy();
    }
  }, 60_000);

  it('a kept-alive connection left silent is closed after its keep-alive time-out, and the log says so', async () => {
    const socket = net.connect(port(), '127.0.0.1');
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
    await new Promise((resolve) => socket.once('connect', resolve));
    const localPort = socket.localPort;
    const began = performance.now();
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const at = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    // Node adds a second to the advertised keep-alive time-out before it closes.
    expect(at - began).toBeGreaterThanOrEqual(SHORT.keepAliveTimeoutMs!);
    expect(closedBy('socket_timeout').map((l) => l.remotePort)).toContain(localPort);
  }, 30_000);

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
