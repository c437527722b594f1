/**
 * A commit on the workstation cuts its long poll short, to push at once (electron/services/sync/loop.ts). That is
 * not the link failing: the header stays "online" through it, and a "Sync now" asked during the long poll answers
 * with the round that sent what was committed, not with the cut one. A real server and real HTTP.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PushEvent } from '../shared/contract/push';
import { syncRound, syncState } from '../electron/services/sync/agent';
import { startSyncLoop } from '../electron/services/sync/loop';
import { syncStatus } from '../electron/services/sync/status';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('sync-kick');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  pki = makePki(tmp.dir);
  server = await startServer(pki.dir, path.join(tmp.dir, 'server'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

test('a long poll cut short here leaves the workstation online, with no error recorded', async () => {
  const w = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  expect((await syncRound(w.ctx)).completed).toBe(true);
  const cut = new AbortController();
  const round = syncRound(w.ctx, { waitSeconds: 20, signal: cut.signal });
  // Long enough for the round to be waiting in its long poll on the server.
  await new Promise((resolve) => setTimeout(resolve, 500));
  cut.abort();
  const report = await round;
  expect(report.completed).toBe(false);
  expect(syncState(w.ctx).lastError).toBeNull();
  expect(syncStatus(w.ctx).online).toBe(true);
  w.ctx.db.close();
}, 60_000);

test('"Sync now" during the long poll answers with the round after it; no status in between says offline', async () => {
  const w = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  const told: boolean[] = [];
  w.ctx.push = (event: PushEvent) => {
    if (event.type === 'sync.changed') told.push(event.status.online);
  };
  const loop = startSyncLoop(w.ctx);
  try {
    // The first round completes; the next is the long poll.
    await expect.poll(() => told.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await loop.now();
    expect(now.completed).toBe(true);
    expect(told.every((online) => online)).toBe(true);
  } finally {
    loop.stop();
    await loop.ended;
    w.ctx.db.close();
  }
}, 60_000);
