/**
 * The replay window (server/src/replay-window.ts): a request signed at a time outside the window of the server's
 * clock is refused with its reason before its nonce is looked at, a nonce is answered once within it, the nonce store
 * is pruned of what is older than the window, and a workstation whose clock is far off still syncs (it signs at the
 * server's time as it measured it). Real server, real signatures; PGlite, and PostgreSQL when DATABASE_URL is set.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL, type PullResponse } from '../shared/contract/sync-protocol';
import { loadDevice, type DeviceIdentity } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { REPLAY_WINDOW_MS } from '../server/src/replay-window';
import { freshNonce, nonceCount } from '../server/src/store-nonces';
import { codeOf, send, signed, tableCounts } from './abuse-helpers';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-replay');
let server: Awaited<ReturnType<typeof startServer>>;
let device: DeviceIdentity;
const PULL = '/sync/v1/pull?cursor=0';

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  expect((await w1.sync()).completed).toBe(true);
  device = loadDevice(w1.ctx)!;
  w1.ctx.db.close();
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('the replay window', () => {
  it('is ten minutes, twice the clock tolerance at which an act is flagged', () => {
    expect(REPLAY_WINDOW_MS).toBe(10 * 60_000);
  });

  it('refuses a request signed in 2001 with a fresh nonce, and one signed an hour ahead, with the reason and the server’s time', async () => {
    const before = await tableCounts(server.store);
    const nonces = await nonceCount(server.store);
    for (const at of [new Date('2001-09-01T09:00:00Z'), new Date(Date.now() + 3_600_000)]) {
      const a = await send(`${server.url}${PULL}`, { method: 'GET', headers: signed(device, 'GET', PULL, Buffer.alloc(0), at) });
      expect([a.status, codeOf(a)]).toEqual([401, 'sync.request_time']);
      expect(a.body).toMatchObject({ error: { params: { reason: 'outside_window', windowMinutes: 10 } } });
      expect(Math.abs(Date.parse((a.body as { error: { params: { serverTime: string } } }).error.params.serverTime) - Date.now())).toBeLessThan(60_000);
    }
    const unreadable = await send(`${server.url}${PULL}`, { method: 'GET', headers: { ...signed(device, 'GET', PULL, Buffer.alloc(0)), 'x-jardem-time': 'yesterday' } });
    expect([unreadable.status, codeOf(unreadable)]).toEqual([401, 'sync.request_time']);
    // Refused before the nonce was looked at: nothing kept, nothing written.
    expect(await nonceCount(server.store)).toBe(nonces);
    expect(await tableCounts(server.store)).toEqual(before);
  });

  it('answers a request within the window once: the same request again is a replay', async () => {
    const headers = signed(device, 'GET', PULL, Buffer.alloc(0), new Date(Date.now() - 4 * 60_000));
    expect((await send(`${server.url}${PULL}`, { method: 'GET', headers })).status).toBe(200);
    const again = await send(`${server.url}${PULL}`, { method: 'GET', headers });
    expect([again.status, codeOf(again)]).toEqual([409, 'sync.replay']);
  });

  it('answers the same request sent eight times at once once: the seven others are replays, whichever statement admits them', async () => {
    const headers = signed(device, 'GET', PULL, Buffer.alloc(0));
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(`${server.url}${PULL}`, { method: 'GET', headers })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && codeOf(a) === 'sync.replay')).toHaveLength(7);
  });

  it('admits requests of one office that come together with one statement between them, each with its own nonce', async () => {
    const statements: string[] = [];
    const query = server.store.query.bind(server.store);
    // The first admission takes a second on its way (a busy database): the other requests come meanwhile.
    server.store.query = (async (sql: string, params?: unknown[]) => {
      statements.push(sql);
      if (sql.includes('request_nonces') && statements.filter((x) => x.includes('request_nonces')).length === 1) await new Promise((r) => setTimeout(r, 1000));
      return query(sql, params);
    }) as typeof server.store.query;
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => send(`${server.url}${PULL}`, { method: 'GET', headers: signed(device, 'GET', PULL, Buffer.alloc(0)) })));
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
      const admissions = statements.filter((sql) => sql.includes('request_nonces'));
      expect(admissions.length).toBeGreaterThanOrEqual(2);
      expect(admissions.length).toBeLessThanOrEqual(3);
    } finally {
      server.store.query = query;
    }
  });

  it('keeps the nonce store to the window: older nonces are pruned as requests come', async () => {
    await server.store.query(
      "INSERT INTO request_nonces (office_code, workstation_code, nonce, seen_at) SELECT 'AUE', 'W1', 'old-' || g, now() - interval '3 hours' FROM generate_series(1, 500) g",
    );
    await server.store.query("INSERT INTO request_nonces (office_code, workstation_code, nonce, seen_at) SELECT 'AUE', 'W1', 'recent-' || g, now() - interval '5 minutes' FROM generate_series(1, 20) g");
    const before = await nonceCount(server.store);
    expect(before).toBeGreaterThanOrEqual(520);
    // The next request after the prune interval prunes: what is older than two windows goes, the window's stay.
    expect(await freshNonce(server.store, { officeCode: 'AUE', workstationCode: 'W1' }, 'a-nonce-of-this-test-0001', Date.now() + 120_000)).toBe(true);
    const left = await server.store.query<{ old: number; recent: number }>("SELECT count(*) FILTER (WHERE nonce LIKE 'old-%')::int AS old, count(*) FILTER (WHERE nonce LIKE 'recent-%')::int AS recent FROM request_nonces");
    expect(left[0]).toEqual({ old: 0, recent: 20 });
    expect(await nonceCount(server.store)).toBeLessThanOrEqual(before - 500 + 1);
  });

  it('a client whose clock is two hours behind is refused once, corrects the time it signs by the server’s, and is answered', async () => {
    const behind = syncClient(server.url, device, () => new Date(Date.now() - 2 * 3_600_000));
    const page = await behind.json<PullResponse>('GET', PULL);
    expect(page.value.protocol).toBe(SYNC_PROTOCOL);
    // Measured on its own clock: the offset it now signs with is about two hours.
    expect(Math.abs(page.sentAt - (page.serverTime ?? 0) + 2 * 3_600_000)).toBeLessThan(60_000);
  });
});
