/**
 * The browser host against hostile local callers, with the real services worker.
 * Deeply nested or oversized JSON is answered 400 with a typed error and leaves nothing waiting in the host's
 * pending map; slow-loris connections are closed by the header timeout; the connection cap holds; a normal call
 * keeps being answered meanwhile. The limits are made short here so the test runs in seconds.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_LIMITS, jsonTooDeep, startBrowserHost } from '../electron/browser-host/server';
import { ServicesHost } from '../electron/services/host';
import { tempDir } from './helpers';

const WORKER = path.resolve('dist/node/services-worker.cjs');
const SECRET = 'limits-secret-0123456789abcdef';
const tmp = tempDir('host-limits');
let services: ServicesHost;
let host: Awaited<ReturnType<typeof startBrowserHost>>;
const LIMITS = { maxBodyBytes: 1024 * 1024, headersTimeoutMs: 1000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000, maxConnections: 40 };

beforeAll(async () => {
  const rendererDir = path.join(tmp.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Jardem</title>');
  services = new ServicesHost({ dataDir: path.join(tmp.dir, 'data'), appVersion: 'test', workerPath: WORKER });
  expect(await services.ready).toBeNull();
  host = await startBrowserHost({ call: (e) => services.call(e), rendererDir, secret: SECRET, limits: LIMITS });
});
afterAll(async () => {
  await host.close();
  await services.close();
  tmp.remove();
});

const port = () => Number(new URL(host.origin).port);
function rpc(body: string) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      { host: '127.0.0.1', port: port(), path: '/rpc', method: 'POST', agent: false, headers: { host: `127.0.0.1:${port()}`, 'content-type': 'application/json', 'x-jardem-secret': SECRET } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const status = () => rpc(JSON.stringify({ method: 'office.status', input: {} }));

describe('point 6: JSON depth and size', () => {
  it('answers JSON nested 5,000 deep with 400 and a typed error; nothing waits in the pending map', async () => {
    const deep = `{"method":"office.status","input":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = await rpc(deep);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'request.too_deep', params: { max: HOST_LIMITS.maxJsonDepth } } });
    expect(services.pendingCalls).toBe(0);
    // Nested objects too, and brackets inside strings do not count.
    expect((await rpc(`{"method":"cases.search","input":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`)).status).toBe(400);
    expect(jsonTooDeep(`{"a":"${'['.repeat(100)}"}`, 4)).toBe(false);
    expect(jsonTooDeep(`{"a":"\\"${'['.repeat(100)}"}`, 4)).toBe(false);
    expect((await status()).status).toBe(200);
  });

  it('answers a body over the limit with 400 and a typed error, and keeps serving', async () => {
    const big = JSON.stringify({ method: 'office.status', input: { x: 'a'.repeat(LIMITS.maxBodyBytes) } });
    const r = await rpc(big);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'request.too_large', params: { mb: 1 } } });
    expect(services.pendingCalls).toBe(0);
    expect((await status()).status).toBe(200);
  });

  it('a call the services cannot be handed (nested past the structured clone) is answered, and leaves no pending entry', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const answer = await services.call({ method: 'office.status', input: deep });
    expect(answer.ok).toBe(false);
    expect(['request.too_deep', 'validation']).toContain((answer as { error: { code: string } }).error.code);
    expect(services.pendingCalls).toBe(0);
    // Nested within the clone but past any method's input: the dispatcher's own check, typed.
    let mid: unknown = 1;
    for (let i = 0; i < 100; i++) mid = [mid];
    expect(await services.call({ method: 'session.signIn', input: { p12Base64: mid, password: '' } })).toMatchObject({ ok: false, error: { code: 'request.too_deep' } });
    expect(services.pendingCalls).toBe(0);
  });
});

describe('point 8: server timeouts and a connection cap', () => {
  /** Opens a connection that sends its headers one byte at a time, never finishing them. */
  function slowLoris(): Promise<{ closedAt: () => number | null; socket: net.Socket }> {
    return new Promise((resolve) => {
      let closed: number | null = null;
      const socket = net.connect(port(), '127.0.0.1', () => {
        socket.write(`POST /rpc HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\n`);
        const drip = setInterval(() => socket.writable && socket.write('X'), 200);
        socket.on('close', () => {
          clearInterval(drip);
          closed = performance.now();
        });
        resolve({ closedAt: () => closed, socket });
      });
      socket.on('error', () => undefined);
    });
  }

  it('closes 30 slow-loris connections after the header timeout, answering a normal call meanwhile', async () => {
    const started = performance.now();
    const loris = await Promise.all(Array.from({ length: 30 }, () => slowLoris()));
    // Meanwhile, a person's call is answered at once.
    const normal = await status();
    expect(normal.status).toBe(200);
    expect(normal.ms).toBeLessThan(1000);
    await expect.poll(() => loris.filter((l) => l.closedAt() !== null).length, { timeout: 5000, interval: 100 }).toBe(30);
    const slowest = Math.max(...loris.map((l) => l.closedAt()! - started));
    // The header timeout (1 s here) plus Node's check interval (1 s): none stays open for the probe's 20 s.
    expect(slowest).toBeLessThan(LIMITS.headersTimeoutMs + 2500);
    expect((await status()).status).toBe(200);
  });

  it('holds at most the connection cap; the rest are closed at once and the host serves again once they go', async () => {
    const sockets = await Promise.all(
      Array.from({ length: LIMITS.maxConnections + 10 }, () => new Promise<{ s: net.Socket; closed: () => boolean }>((resolve) => {
        let closed = false;
        const s = net.connect(port(), '127.0.0.1', () => resolve({ s, closed: () => closed }));
        s.on('close', () => (closed = true));
        s.on('error', () => undefined);
      })),
    );
    await expect.poll(() => sockets.filter((x) => x.closed()).length, { timeout: 2000 }).toBeGreaterThanOrEqual(10);
    // Idle connections that never send a request are closed by the header timeout too.
    await expect.poll(() => sockets.every((x) => x.closed()), { timeout: 5000, interval: 100 }).toBe(true);
    expect((await status()).status).toBe(200);
  });

  it('uses the production limits by default', () => {
    expect(HOST_LIMITS).toMatchObject({ maxBodyBytes: 40 * 1024 * 1024, maxJsonDepth: 32, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnections: 64 });
  });
});
