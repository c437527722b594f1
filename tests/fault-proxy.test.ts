/**
 * The fault proxy's own test (tests/fault-proxy.ts): each kind of fault happens and a client sees it as the sync
 * agent would (a broken link, a 5xx page, a cut body, an answer that never came although the server applied the
 * request, a request the server got twice); a seed draws the same faults for the same sequence of requests; the
 * balancer spreads requests round-robin and passes over an instance that is down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, startBalancer, startFaultProxy, type FaultKind } from './fault-proxy';

let upstream: http.Server;
let upstreamUrl = '';
const received: string[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: body, pad: 'x'.repeat(2000) }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

/** What the client saw: an answer read whole, or the error it got. */
async function call(url: string, token: string): Promise<{ status?: number; body?: string; error?: string }> {
  try {
    const r = await fetch(`${url}/x`, { method: 'POST', body: token, headers: { 'content-type': 'text/plain' } });
    try {
      return { status: r.status, body: await r.text() };
    } catch (error) {
      return { status: r.status, error: String((error as Error).message) };
    }
  } catch (error) {
    return { error: String(((error as Error).cause as Error | undefined)?.message ?? (error as Error).message) };
  }
}

describe('the fault proxy', () => {
  it('injects each kind of fault and the client sees it', async () => {
    const seen: Record<string, { client: Awaited<ReturnType<typeof call>>; serverGot: number }> = {};
    for (const kind of FAULT_KINDS) {
      const proxy = await startFaultProxy({ target: upstreamUrl, seed: 1, only: kind, maxDelayMs: 300 });
      const token = `t-${kind}`;
      const client = await call(proxy.url, token);
      // A lost answer or a duplicate reaches the server before the client learns anything; give it a moment.
      await new Promise((r) => setTimeout(r, 50));
      seen[kind] = { client, serverGot: received.filter((b) => b === token).length };
      expect(proxy.counts[kind]).toBe(1);
      await proxy.close();
    }
    const expected: Record<FaultKind, (s: (typeof seen)[string]) => void> = {
      drop: (s) => expect(s).toMatchObject({ client: { error: expect.any(String) }, serverGot: 0 }),
      reset: (s) => expect(s).toMatchObject({ client: { error: expect.stringMatching(/ECONNRESET|reset|socket/i) }, serverGot: 0 }),
      http5xx: (s) => expect(s.client.status! >= 502 && s.serverGot === 0 && !s.client.body!.startsWith('{')).toBe(true),
      delay: (s) => expect(s).toMatchObject({ client: { status: 200, body: expect.stringContaining('t-delay') }, serverGot: 1 }),
      truncated: (s) => expect(s).toMatchObject({ client: { status: 200, error: expect.any(String) }, serverGot: 1 }),
      lostAnswer: (s) => expect(s).toMatchObject({ client: { error: expect.any(String) }, serverGot: 1 }),
      duplicate: (s) => expect(s).toMatchObject({ client: { status: 200, body: expect.stringContaining('t-duplicate') }, serverGot: 2 }),
    };
    for (const kind of FAULT_KINDS) expected[kind](seen[kind]!);
  });

  it('draws every kind at its rates from a seed, the same draws for the same seed', async () => {
    const run = async (seed: number) => {
      const proxy = await startFaultProxy({ target: upstreamUrl, seed, maxDelayMs: 5 });
      for (let i = 0; i < 300; i++) await call(proxy.url, `s${seed}-${i}`);
      await proxy.close();
      return proxy.counts;
    };
    const a = await run(7);
    for (const kind of FAULT_KINDS) expect(a[kind], kind).toBeGreaterThan(0);
    expect(a.none).toBeGreaterThan(150);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('the balancer takes turns and passes over an instance that is down', async () => {
    const down = http.createServer();
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const downUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    await new Promise<void>((r) => down.close(() => r()));
    const balancer = await startBalancer([upstreamUrl, downUrl, upstreamUrl]);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await call(balancer.url, `b${i}`));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Turns 0 and 2 on the live ones; turn 1 found its instance down and went on to the next.
    expect(balancer.sent[0]! + balancer.sent[2]!).toBeGreaterThanOrEqual(6);
    expect(balancer.sent[1]).toBeGreaterThan(0);
    expect(balancer.inFlight).toEqual([0, 0, 0]);
    await balancer.close();
  });
});
