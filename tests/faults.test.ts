/**
 * Sync that survives the real network ("Faults" and "Scale: server instances"), on PostgreSQL only:
 * three server processes (dist/node/server.cjs) share one schema behind a round-robin balancer of our own
 * (tests/fault-proxy.ts).
 *
 * - The fault run: three workstations (in-process services, each its own SQLite file and device key) take cases
 *   and scans while syncing through the fault proxy (drops, resets, 5xx, cut bodies, delays up to 2 s, answers lost
 *   after the server applied the request, duplicated requests). Then every workstation and the server hold the same
 *   events for every case (hashes compared), nothing lost or duplicated, every signature verifies, pending is 0.
 * - kill -9 during sync, 20 of each kind against the same servers: a workstation's services process (the browser
 *   host, its own sync loop), a server instance (restarted on its port), and the servers' PostgreSQL connections
 *   (pg_terminate_backend, only the backends named by this file's application_name). After each: SQLite's
 *   integrity_check, the server's counts for the office, and what was acknowledged compared with the server's log.
 *
 * JARDEM_SOAK=1 runs more seeds, longer, off CI.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random';
import type { CaseVerification } from '../shared/contract/types';
import { syncCounts } from '../db/repositories/sync';
import { migrate } from '../server/src/migrations';
import { syncState } from '../electron/services/sync/agent';
import { startSyncLoop } from '../electron/services/sync/loop';
import { checkFolder, lostAndDuplicated, startHost, startServerProcess, type Operation, type RunningHost, type RunningServer } from './crash-harness';
import { startBalancer, startFaultProxy, type Balancer, type FaultProxy } from './fault-proxy';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation, onPostgres, testStore } from './server-helpers';
import { actCase, badSignatures, caseInputs, countOf, lineDifference, lineKey, localLog, serverLog, signedIn, type Act, type Call } from './fault-run';
import { ackedOnServer, installedFolder, settledFolder } from './fault-host';
import { busyOffice, requestInFlight } from './fault-busy-office';

const SOAK = process.env.JARDEM_SOAK === '1';
const SEEDS = SOAK ? [20261201, 20261202, 1, 2, 3, 4, 5, 6] : [20261201, 20261202];
/**
 * Cases per workstation in one seed's run: each registered and its application recorded; every fourth with a scanned
 * page too (its blobs: the page as scanned and what the intake derives from it). Two seeds: ~300 acts, ~100 blobs.
 */
const CASES_PER_WS = Number(process.env.JARDEM_FAULT_CASES ?? (SOAK ? 60 : 22));
const WITH_PAGE = (i: number) => i % 4 === 0;
const KILLS = Number(process.env.JARDEM_KILLS ?? 20);

const tmp = tempDir('faults');
let pki: ReturnType<typeof makePki>;
let db: Awaited<ReturnType<typeof testStore>>;
const servers: RunningServer[] = [];
let balancer: Balancer;
const appName = `jardem-faults-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  if (!onPostgres) return;
  pki = makePki(path.join(tmp.dir, 'pki'));
  db = await testStore(tmp.dir);
  await migrate(db.store);
  // The first instance issues the gateway's key into the PKI folder; the other two find it there.
  servers.push(await startServerProcess({ pkiDir: pki.dir, schema: db.schema!, applicationName: appName }));
  servers.push(...(await Promise.all([1, 2].map(() => startServerProcess({ pkiDir: pki.dir, schema: db.schema!, applicationName: appName })))));
  balancer = await startBalancer(servers.map((s) => s.url));
}, 180_000);
afterAll(async () => {
  await balancer?.close();
  await Promise.all(servers.map((s) => s.stop()));
  await db?.drop();
  tmp.remove();
});

const reason = 'PostgreSQL only (DATABASE_URL): three server processes share one database, and PGlite is one process\'s embedded database, not built to survive a kill mid-transaction';

describe.skipIf(!onPostgres)(`the fault run: three workstations through the fault proxy, three server instances behind a balancer (${reason})`, () => {
  for (const [runIndex, seed] of SEEDS.entries()) {
    it(`seed ${seed}: every workstation and the server hold the same signed events, none lost or duplicated, pending 0`, async () => {
      const started = performance.now();
      const office = runIndex % 2 ? 'BOS' : 'AUE';
      const proxy: FaultProxy = await startFaultProxy({ target: balancer.url, seed });
      const random = seededRandom(seed);
      const p12 = pki.issue({ officeCode: office });
      const wss = [1, 2, 3].map((k) => enrolledWorkstation(path.join(tmp.dir, `run${runIndex}-w${k}`), pki.dir, office, `W${runIndex * 3 + k}`, proxy.url));
      const acts: Act[] = [];
      let rounds = 0;
      let failedRounds = 0;
      // The services' own sync loop on each workstation (electron/services/sync/loop.ts), kicked by each commit
      // as the services worker kicks it; it tells of each round by the pushed event the screens listen to.
      const loops = wss.map((ws) => {
        ws.ctx.push = (event) => {
          if (event.type === 'case.changed') loop.kick();
          if (event.type === 'sync.changed') {
            rounds++;
            if (event.status.lastError) failedRounds++;
          }
        };
        const loop = startSyncLoop(ws.ctx);
        return loop;
      });
      try {
        const acting = wss.map(() => true);
        /** The run ends by itself: every act sent and every workstation holding what the server holds. */
        const converged = (async () => {
          for (;;) {
            await new Promise((res) => setTimeout(res, 200));
            const server = await db.store.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE office_code = $1', [office]);
            if (!acting.some(Boolean) && wss.every((w) => syncCounts(w.ctx.db).pending === 0 && localLog(w.ctx.db).length === server[0]!.n)) return;
            if (performance.now() - started > Number(process.env.JARDEM_FAULT_LIMIT_MS ?? (SOAK ? 540_000 : 110_000))) {
              throw new Error(`seed ${seed}: did not converge: ${JSON.stringify({ server: server[0]!.n, ws: wss.map((w) => ({ counts: syncCounts(w.ctx.db), lastError: syncState(w.ctx).lastError, local: localLog(w.ctx.db).length })), faults: proxy.counts })}`);
            }
          }
        })();
        const counter = wss.map(async (ws, k): Promise<Call> => {
          const call = await signedIn(ws, p12);
          for (let i = 0; i < CASES_PER_WS; i++) {
            await new Promise((res) => setTimeout(res, Math.floor(random() * 40)));
            await actCase(call, 1000 * (runIndex * 3 + k) + i, acts, WITH_PAGE(i));
          }
          acting[k] = false;
          return call;
        });
        const calls = await Promise.all(counter);
        await converged;
        for (const loop of loops) loop.stop();
        await Promise.all(loops.map((l) => l.ended));

        // The same events for every case everywhere, by id and hash, in the same place of the case's line.
        const server = await serverLog(db.store, office);
        for (const ws of wss) {
          expect(lineDifference(localLog(ws.ctx.db), server), ws.ctx.dataDir).toEqual({ onlyHere: [], onlyOnServer: [] });
          expect(lineKey(localLog(ws.ctx.db))).toBe(lineKey(server));
          expect(syncCounts(ws.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
          expect(ws.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
        }
        // Nothing lost, nothing twice: each answered act is once on the server and once on every workstation.
        expect(acts.filter((a) => countOf(server, a) !== 1)).toEqual([]);
        for (const ws of wss) {
          const local = localLog(ws.ctx.db);
          expect(acts.filter((a) => countOf(local, a) !== 1)).toEqual([]);
        }
        expect(new Set(server.map((e) => e.id)).size).toBe(server.length);
        // Every signature verifies: the server's copies with node:crypto against the PKI, every workstation's by Verify case.
        expect(badSignatures(server, pki.dir)).toEqual([]);
        const caseIds = [...new Set(server.map((e) => e.case_id))];
        for (const [k, call] of calls.entries()) {
          for (const caseId of caseIds) expect((await call<CaseVerification>('cases.verify', { caseId })).problems, `W${k + 1} ${caseId}`).toEqual([]);
        }
        const blobs = await db.store.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs WHERE office_code = $1', [office]);
        const seconds = Math.round((performance.now() - started) / 100) / 10;
        console.log(JSON.stringify({ faultRun: { seed, office, workstations: 3, serverInstances: servers.length, acts: acts.length, events: server.length, cases: caseIds.length, blobs: blobs[0]!.n, requests: proxy.requests, faults: proxy.counts, rounds, failedRounds, balancer: balancer.sent, seconds } }));
        expect(acts.length).toBe(3 * (2 * CASES_PER_WS + Array.from({ length: CASES_PER_WS }, (_, i) => i).filter(WITH_PAGE).length));
      } catch (error) {
        console.error(`fault run failed with seed ${seed} (faults so far: ${JSON.stringify(proxy.counts)})`);
        throw error;
      } finally {
        for (const loop of loops) loop.stop();
        await Promise.all(loops.map((l) => l.ended));
        await proxy.close();
        for (const ws of wss) ws.ctx.db.close();
      }
    }, 600_000);
  }
});

describe.skipIf(!onPostgres)(`kill -9 during sync, ${KILLS} of each kind, one shared set of server instances (${reason})`, () => {
  it(`a server instance killed mid-request and restarted, then the servers' PostgreSQL connections ended (pg_terminate_backend), ${KILLS} times each: 0 lost, 0 duplicated`, async () => {
    const busy = busyOffice({ store: db.store, pki, dir: tmp.dir, url: balancer.url }, 'AUE', ['K1', 'K2'], 60_000);
    const random = seededRandom(12);
    const report = { serverKills: 0, serverKilledMidRequest: 0, serverSeconds: 0, backendKills: 0, backendsEnded: 0, backendsEndedMidQuery: 0, backendSeconds: 0, lost: 0, duplicated: 0, events: 0, acts: 0 };
    try {
      let started = performance.now();
      // An instance restarts while the others serve (and may be killed next): kills come faster than restarts.
      const restarting: (Promise<void> | null)[] = servers.map(() => null);
      while (report.serverKills < KILLS) {
        const up = servers.map((_, j) => j).filter((j) => !restarting[j]);
        if (up.length === 0) {
          await Promise.race(restarting);
          continue;
        }
        const busyAt = await requestInFlight(balancer, 500, up);
        const i = busyAt >= 0 ? busyAt : up[Math.floor(random() * up.length)]!;
        await new Promise((r) => setTimeout(r, Math.floor(random() * 15)));
        if (balancer.inFlight[i]! > 0) report.serverKilledMidRequest++;
        await servers[i]!.kill9();
        report.serverKills++;
        restarting[i] = startServerProcess({ pkiDir: pki.dir, schema: db.schema!, applicationName: appName, port: servers[i]!.port }).then((s) => {
          servers[i] = s;
          restarting[i] = null;
        });
        const c = await busy.check();
        report.lost += c.lost;
        report.duplicated += c.duplicated;
        await new Promise((r) => setTimeout(r, 200 + Math.floor(random() * 300)));
      }
      await Promise.all(restarting);
      report.serverSeconds = Math.round((performance.now() - started) / 100) / 10;
      started = performance.now();
      while (report.backendKills < KILLS) {
        await requestInFlight(balancer, 500);
        await new Promise((r) => setTimeout(r, Math.floor(random() * 10)));
        // Only this file's servers' connections: other tests share the database.
        const ended = await db.store.query<{ state: string | null; ended: boolean }>('SELECT state, pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [appName]);
        report.backendKills++;
        report.backendsEnded += ended.filter((e) => e.ended).length;
        report.backendsEndedMidQuery += ended.filter((e) => e.ended && e.state !== 'idle').length;
        await new Promise((r) => setTimeout(r, 150));
        const c = await busy.check();
        report.lost += c.lost;
        report.duplicated += c.duplicated;
      }
      report.backendSeconds = Math.round((performance.now() - started) / 100) / 10;
      // Every instance outlived the ended connections (each request on one failed alone, with a typed 500).
      expect(servers.map((x) => x.alive())).toEqual(servers.map(() => true));
      report.events = await busy.settle();
      report.acts = busy.acts.length;
      console.log(JSON.stringify({ killServer: { ...report, rounds: busy.rounds() } }));
      expect(report.serverKilledMidRequest).toBeGreaterThanOrEqual(KILLS / 2);
      expect(report.backendsEndedMidQuery).toBeGreaterThan(0);
    } finally {
      await busy.close();
    }
  }, 600_000);

  it(`a workstation's services process killed mid-sync and started again, ${KILLS} times: 0 lost, 0 duplicated, the server holds what it acknowledged`, async () => {
    const started = performance.now();
    const random = seededRandom(14);
    const office = 'BOS';
    const dataDir = path.join(tmp.dir, 'killed-ws');
    installedFolder(dataDir, pki.dir, office, 'H1', balancer.url);
    const env = { JARDEM_SYNC_WAIT_S: '1' };
    let host: RunningHost = await startHost(dataDir, env);
    const p12 = pki.issue({ officeCode: office });
    const signInHost = async () => ((await host.call<{ token: string }>('session.signIn', { p12Base64: p12, password: 'pw' })) as { ok: true; value: { token: string } }).value.token;
    const eventsLike = (d: Database.Database, type: string, text: string) => d.prepare('SELECT count(*) FROM case_events WHERE type = ? AND instr(payload, ?) > 0').pluck().get(type, text) as number;
    const ops: Operation[] = [];
    const tokens = new Map<number, string>();
    const report = { kills: 0, killedMidRequest: 0, operations: 0, answered: 0, lost: 0, duplicated: 0, lostOnServer: 0, events: 0, serverEvents: 0, seconds: 0 };
    let token = await signInHost();
    let n = 120_000;
    try {
      while (report.kills < KILLS) {
        // The counter registers applicants while the services sync each act at once; the kill comes when a
        // request of theirs is on its way to a server (or after a seeded moment).
        let alive = true;
        void host.exited.then(() => (alive = false));
        const killing = (async () => {
          await new Promise((r) => setTimeout(r, 100 + Math.floor(random() * 400)));
          if ((await requestInFlight(balancer, 800)) >= 0) report.killedMidRequest++;
          await host.kill9();
        })();
        while (alive) {
          const inputs = caseInputs(n++);
          const op: Operation = { id: n, kind: 'register', acknowledged: false, succeeded: false, inLog: (d) => eventsLike(d, 'intake.registered', `"iin":"${inputs.iin}"`) };
          ops.push(op);
          tokens.set(op.id, `"iin":"${inputs.iin}"`);
          try {
            const r = await host.call('cases.registerApplicant', inputs.register, token);
            op.acknowledged = true;
            op.succeeded = r.ok;
            if (!r.ok) throw new Error(JSON.stringify(r.error));
          } catch (error) {
            if (op.acknowledged) throw error;
            break;
          }
        }
        await killing;
        report.kills++;
        host = await startHost(dataDir, env);
        token = await signInHost();
        const folder = checkFolder(dataDir);
        expect(folder.integrity).toBe('ok');
        expect(folder.orphanRows).toEqual([]);
        const { lost, duplicated } = lostAndDuplicated(dataDir, ops);
        expect(lost.map((o) => o.id)).toEqual([]);
        expect(duplicated.map((o) => o.id)).toEqual([]);
        const c = await ackedOnServer(db.store, office, dataDir);
        expect(c.lost, 'acknowledged to the workstation but not on the server').toEqual([]);
        expect(c.duplicated).toEqual([]);
        report.lostOnServer += c.lost.length;
      }
      // The restarted services finish on their own: everything sent, the server's log the same as the workstation's.
      const { local, counts, server } = await settledFolder(db.store, office, dataDir);
      expect(lineKey(local)).toBe(lineKey(server));
      expect(counts).toEqual({ refused: 0, held: 0, conflicts: 0 });
      // Each answered act once on the server; one cut short by the kill at most once (it committed or it did not).
      const answered = ops.filter((o) => o.succeeded);
      expect(answered.filter((o) => countOf(server, { type: 'intake.registered', token: tokens.get(o.id)! }) !== 1).map((o) => o.id)).toEqual([]);
      expect(ops.filter((o) => countOf(server, { type: 'intake.registered', token: tokens.get(o.id)! }) > 1).map((o) => o.id)).toEqual([]);
      report.operations = ops.length;
      report.answered = answered.length;
      report.events = local.length;
      report.serverEvents = server.length;
      report.seconds = Math.round((performance.now() - started) / 100) / 10;
      console.log(JSON.stringify({ killWorkstation: report }));
      expect(report.killedMidRequest).toBeGreaterThanOrEqual(KILLS / 2);
    } finally {
      await host.stop();
    }
  }, 600_000);
});
