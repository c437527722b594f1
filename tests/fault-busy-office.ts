/**
 * The load the kill loops of tests/faults.test.ts run under: two workstations of one office that act and sync on
 * their own until told to stop, and a wait for a request in flight at some server instance (so a kill lands mid-request).
 */
import path from 'node:path';
import { expect } from 'vitest';
import { syncCounts } from '../db/repositories/sync';
import { syncRound, syncState } from '../electron/services/sync/agent';
import type { Store } from '../server/src/store';
import type { Balancer } from './fault-proxy';
import type { makePki } from './helpers';
import { enrolledWorkstation } from './server-helpers';
import { actCase, compareAcked, countOf, lineKey, localLog, serverLog, signedIn, type Act } from './fault-run';

/** Two workstations of one office that act and sync on their own until told to stop (in-process services). */
export function busyOffice(at: { store: Store; pki: ReturnType<typeof makePki>; dir: string; url: string }, office: string, codes: readonly string[], base: number) {
  const wss = codes.map((code) => enrolledWorkstation(path.join(at.dir, `busy-${code}`), at.pki.dir, office, code, at.url));
  const acts: Act[] = [];
  let stopped = false;
  let rounds = 0;
  const p12 = at.pki.issue({ officeCode: office });
  const running = wss.map(async (ws, k) => {
    const call = await signedIn(ws, p12);
    const syncing = (async () => {
      while (!stopped) {
        await syncRound(ws.ctx);
        rounds++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    for (let i = 0; !stopped; i++) {
      await actCase(call, base + 10_000 * k + i, acts);
      await new Promise((r) => setTimeout(r, 30));
    }
    await syncing;
  });
  return {
    wss,
    acts,
    rounds: () => rounds,
    /** After every kill: integrity, what each workstation was told the server holds, the server's own line. */
    async check() {
      const out = { lost: 0, duplicated: 0, serverEvents: 0, acked: 0 };
      for (const ws of wss) {
        expect(ws.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const c = await compareAcked(at.store, office, ws.ctx.db);
        expect(c.lost, `acknowledged to ${ws.ctx.dataDir} but not on the server`).toEqual([]);
        expect(c.duplicated, 'a case whose line on the server has a place twice or a gap').toEqual([]);
        expect(c.distinctIds).toBe(c.server);
        out.lost += c.lost.length;
        out.duplicated += c.duplicated.length;
        out.serverEvents = c.server;
        out.acked += c.acked;
      }
      return out;
    },
    /** Stops acting, then syncs until every workstation holds what the server holds, and compares. */
    async settle() {
      stopped = true;
      await Promise.all(running);
      for (let round = 0; ; round++) {
        for (const ws of wss) await syncRound(ws.ctx);
        const server = await serverLog(at.store, office);
        if (wss.every((ws) => syncCounts(ws.ctx.db).pending === 0 && localLog(ws.ctx.db).length === server.length)) {
          for (const ws of wss) {
            expect(lineKey(localLog(ws.ctx.db))).toBe(lineKey(server));
            // None of its own acts taken for another's (a conflict), refused or held by the kills.
            expect(syncCounts(ws.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
          }
          expect(acts.filter((a) => countOf(server, a) !== 1)).toEqual([]);
          return server.length;
        }
        if (round >= 50) {
          const state = wss.map((ws) => ({ counts: syncCounts(ws.ctx.db), lastError: syncState(ws.ctx).lastError, local: localLog(ws.ctx.db).length, server: server.length, waiting: ws.ctx.db.prepare("SELECT s.event_id, s.attempts, s.next_attempt_at, s.last_error FROM event_sync s WHERE s.state = 'pending' LIMIT 5").all() }));
          throw new Error(`the workstations did not settle after the kills: ${JSON.stringify(state)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: async () => {
      stopped = true;
      await Promise.allSettled(running);
      for (const ws of wss) ws.ctx.db.close();
    },
  };
}

/** Resolves when one of the balancer's upstreams (`among`, all by default) has a request in flight, or after `maxMs`: its index, or -1. */
export async function requestInFlight(balancer: Balancer, maxMs: number, among: readonly number[] = balancer.inFlight.map((_, i) => i)): Promise<number> {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    const busy = among.find((i) => balancer.inFlight[i]! > 0) ?? -1;
    if (busy >= 0) return busy;
    await new Promise((r) => setImmediate(r));
  }
  return -1;
}
