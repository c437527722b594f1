/**
 * Back-pressure end to end: the agent's jittered pause (unit), and a real server (Fastify with
 * @fastify/under-pressure and @fastify/rate-limit, real HTTP) forced busy, then limiting one device: the agent
 * stops, keeps everything, says when it tries again, and completes once the server lets it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyPauseMs, busyRetryAfter } from '../electron/services/sync/backoff';
import { ServerError } from '../electron/services/sync/client';
import { syncStatus } from '../electron/services/sync/status';
import { syncCounts } from '../db/repositories/sync';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

describe('the pause after a busy answer', () => {
  it('is never below Retry-After, grows with busy answers in a row up to five minutes, and is spread by chance', () => {
    expect(busyPauseMs(10, 1, () => 0)).toBe(10_000);
    expect(busyPauseMs(10, 1, () => 1)).toBe(15_000);
    expect(busyPauseMs(10, 3, () => 1)).toBe(40_000);
    expect(busyPauseMs(10, 30, () => 1)).toBe(300_000);
    expect(busyPauseMs(0, 1, () => 0)).toBe(1000);
    // 300 workstations told the same Retry-After come back spread over the window, not together.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const pauses = Array.from({ length: 300 }, () => busyPauseMs(10, 1, random));
    expect(Math.min(...pauses)).toBeGreaterThanOrEqual(10_000);
    expect(new Set(pauses.map((p) => Math.floor(p / 500))).size).toBeGreaterThan(8);
  });

  it('is asked for by a busy or limited answer only', () => {
    expect(busyRetryAfter(new ServerError(503, 'sync.server_busy', { retryAfter: 4 }))).toBe(4);
    expect(busyRetryAfter(new ServerError(429, 'sync.rate_limited', { retryAfter: 60 }))).toBe(60);
    expect(busyRetryAfter(new ServerError(429, 'http_429'))).toBe(10);
    expect(busyRetryAfter(new ServerError(503, 'http_503'))).toBeNull();
    expect(busyRetryAfter(new ServerError(403, 'sync.device_revoked'))).toBeNull();
    expect(busyRetryAfter(new Error('fetch failed'))).toBeNull();
  });
});

const tmp = tempDir('sync-backoff');
let pki: ReturnType<typeof makePki>;
let busy = false;
let server: Awaited<ReturnType<typeof startServer>>;
let limited: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, path.join(tmp.dir, 'a'), { ops: { pressure: { maxEventLoopDelayMs: 0, retryAfterSeconds: 2, busy: () => busy, checkIntervalMs: 50 } } });
  limited = await startServer(pki.dir, path.join(tmp.dir, 'b'), { ops: { pressure: { maxEventLoopDelayMs: 0, perDevicePerMinute: 4 } } });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await limited?.close();
  tmp.remove();
});

/** Until the server's state switch shows in its answers (its check runs every 50 ms). */
async function answersWith(url: string, busyNow: boolean) {
  for (;;) {
    const r = await fetch(`${url}/sync/v1/pull`);
    if ((r.status === 503) === busyNow) return r;
    await new Promise((x) => setTimeout(x, 50));
  }
}

async function registered(ws: ReturnType<typeof enrolledWorkstation>, n: number) {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { value: { token: string } };
  const input = { iin: nthIin('850615', 3, n), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
  const c = (await ws.dispatch({ method: 'cases.registerApplicant', input, session: r.value.token })) as { ok: boolean };
  expect(c.ok).toBe(true);
}

describe('a server forced busy', () => {
  it('answers 503 with Retry-After; the agent keeps its events, says when it retries, and completes once the server is free', async () => {
    const ws = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
    await registered(ws, 21);
    busy = true;
    const answer = await answersWith(server.url, true);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(await answer.json()).toEqual({ error: { code: 'sync.server_busy', params: { retryAfter: 2 } } });
    // Health and metrics still answer: a busy instance is alive, and its figures matter most now.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);

    const before = Date.now();
    const report = await ws.sync();
    expect(report).toMatchObject({ completed: false, waiting: 1 });
    expect(report.retryAfterMs).toBeGreaterThanOrEqual(2000);
    const status = syncStatus(ws.ctx);
    expect(status.lastError).toMatchObject({ code: 'sync.server_busy' });
    expect(Date.parse(status.busyRetryAt!)).toBeGreaterThanOrEqual(before + 2000);
    // A second busy answer in a row: a longer ceiling (the streak grows).
    expect((await ws.sync()).retryAfterMs).toBeGreaterThanOrEqual(2000);

    busy = false;
    await answersWith(server.url, false);
    expect(await ws.sync()).toMatchObject({ completed: true, pushed: 1, waiting: 0 });
    expect(syncStatus(ws.ctx)).toMatchObject({ busyRetryAt: null, lastError: null });
    expect(syncCounts(ws.ctx.db).pending).toBe(0);
    ws.ctx.db.close();
  }, 120_000);
});

describe('a device over its limit', () => {
  it('is answered 429 with Retry-After; the agent waits that long at least, and nothing is lost', async () => {
    const ws = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', limited.url);
    await registered(ws, 22);
    // A round is several requests (enrol, blobs, push, pull, reference): the fifth within the minute is refused.
    let report = await ws.sync();
    if (report.completed) report = await ws.sync();
    expect(report.completed).toBe(false);
    expect(syncStatus(ws.ctx).lastError).toMatchObject({ code: 'sync.rate_limited' });
    const retryAfter = Number((syncStatus(ws.ctx).lastError!.params as { retryAfter: number }).retryAfter);
    expect(retryAfter).toBeGreaterThan(0);
    expect(report.retryAfterMs).toBeGreaterThanOrEqual(retryAfter * 1000);
    expect(syncStatus(ws.ctx).busyRetryAt).not.toBeNull();
    // What was acknowledged stays acknowledged; what was not waits: every event is either on the server or pending.
    const onServer = (await limited.store.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE office_code = 'AUE'"))[0]!.n;
    expect(onServer + syncCounts(ws.ctx.db).pending).toBe(1);
    ws.ctx.db.close();
  }, 120_000);
});
