/**
 * The sync agent's schedule in the services process: a round at once after a local commit; otherwise a long poll of
 * up to 25 s (another workstation's act arrives within seconds); after a failure, a growing pause (2 s doubling to a
 * minute); a round cut short after the server answered part of it, after a short pause (250 ms doubling to 10 s).
 * Never two rounds at once. The screens are told after each round (pushed event sync.changed).
 */
import type { ServicesContext } from '../context';
import { syncRound, type RoundReport } from './agent';
import { markStep, roundStep, syncState } from './state';
import { syncStatus } from './status';

export interface SyncLoop {
  /** Something was committed here: a round soon (the long poll in progress is cut short). */
  kick(): void;
  /** A round now, for "Sync now": its report. */
  now(): Promise<RoundReport>;
  stop(): void;
  /** Resolves once the loop has stopped and no round runs (so the database can be closed). */
  ended: Promise<void>;
}

const WAITING_CODES = new Set(['sync.not_configured', 'sync.not_enrolled', 'sync.device_locked']);
const LONG_POLL_SECONDS = Number(process.env.JARDEM_SYNC_WAIT_S ?? 25);
const BACKOFF = { firstMs: 2_000, maxMs: 60_000 };
const PARTIAL = { firstMs: 250, maxMs: 10_000 };
const HELD_S = 20;

export function startSyncLoop(ctx: ServicesContext): SyncLoop {
  let stopped = false;
  let kicked = false;
  let waiting: AbortController | null = null;
  let sleeping: (() => void) | null = null;
  let backoff = 0;
  let partial = 0;
  const finished: ((r: RoundReport) => void)[] = [];
  // Why rounds stopped completing, told once when it starts and once when it ends (for whoever reads the log: the
  // header tells the person), not at every attempt of an office that is offline for a day.
  let failing: string | null = null;
  const tell = (report: RoundReport) => {
    const error = report.completed ? null : syncState(ctx).lastError;
    // A workstation not set up for sync, or whose device key is locked, is waiting, not failing.
    if (error && WAITING_CODES.has(error.code)) return;
    const why = error ? `${error.code} ${JSON.stringify(error.params ?? {}).slice(0, 300)}` : null;
    if (why === failing) return;
    if (why) console.warn(`[services] sync: rounds do not complete: ${why}`);
    else console.warn('[services] sync: rounds complete again');
    failing = why;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      sleeping = () => {
        clearTimeout(t);
        resolve();
      };
    }).finally(() => (sleeping = null));

  const run = async () => {
    let last: RoundReport | null = null;
    while (!stopped) {
      const listen = last?.completed === true && last.waiting === 0 && !kicked && finished.length === 0;
      kicked = false;
      waiting = new AbortController();
      let report: RoundReport;
      // A round held 20 s past its long poll holds everything committed meanwhile: the log says so, and where it is
      // (a first sync of a large office is long by right, and says it is pulling).
      markStep(ctx, 'start');
      const held = setTimeout(() => console.warn(`[services] sync: a round has run ${HELD_S} s past its long poll, now at ${roundStep(ctx)}; what was committed since waits for it`), (listen ? LONG_POLL_SECONDS : 0) * 1000 + HELD_S * 1000);
      held.unref?.();
      try {
        report = await syncRound(ctx, { waitSeconds: listen ? LONG_POLL_SECONDS : 0, signal: waiting.signal });
      } catch (error) {
        console.error('[services] sync round', error);
        report = { pushed: 0, pulled: 0, refused: 0, conflicts: 0, held: 0, waiting: 0, completed: false, answered: 0 };
      } finally {
        clearTimeout(held);
      }
      waiting = null;
      last = report;
      // A round cut short by a kick tells nothing of the link, and a "Sync now" asked meanwhile wants what it committed
      // sent: the round that follows at once answers both.
      if (!kicked) tell(report);
      if (!kicked || stopped) for (const resolve of finished.splice(0)) resolve(report);
      ctx.push({ type: 'sync.changed', status: syncStatus(ctx) });
      if (stopped) return;
      if (kicked) continue;
      if (report.retryAfterMs) {
        // The server asked to come back later (busy, or too many requests): its time, jittered (./backoff.ts).
        backoff = partial = 0;
        await sleep(report.retryAfterMs);
      } else if (!report.completed && report.answered > 0) {
        // The server answered part of the round: the link works but loses requests (what each answered request
        // moved is kept). Pauses of their own, short (a lossy line would otherwise wait a minute between rounds)
        // and growing to 10 s (a server that keeps failing one request is not hammered).
        backoff = 0;
        partial = Math.min(partial ? partial * 2 : PARTIAL.firstMs, PARTIAL.maxMs);
        await sleep(partial);
      } else if (!report.completed) {
        backoff = Math.min(backoff ? backoff * 2 : BACKOFF.firstMs, BACKOFF.maxMs);
        await sleep(backoff);
      } else backoff = partial = 0;
    }
  };
  const ended = run();

  const kick = () => {
    kicked = true;
    waiting?.abort();
    sleeping?.();
  };
  return {
    kick,
    now: () =>
      new Promise<RoundReport>((resolve) => {
        finished.push(resolve);
        kick();
      }),
    stop: () => {
      stopped = true;
      kick();
    },
    ended,
  };
}
