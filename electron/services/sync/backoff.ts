/**
 * When the server says it is busy (503 `sync.server_busy`, its event loop lagging) or that this device asks too
 * often (429 `sync.rate_limited`), the agent waits at least the Retry-After it was given, plus a random share of a
 * pause that doubles with each busy answer in a row (up to five minutes): 300 workstations that reconnect
 * together after an outage spread out instead of coming back together. The header shows when it tries again.
 */
import { ServerError } from './client';

export const BUSY_CODES: ReadonlySet<string> = new Set(['sync.server_busy', 'sync.rate_limited']);
const MAX_PAUSE_MS = 5 * 60_000;
const DEFAULT_RETRY_AFTER_S = 10;

/** The server's answer as "busy, come back in N seconds", or null for any other failure. */
export function busyRetryAfter(error: unknown): number | null {
  if (!(error instanceof ServerError)) return null;
  const busy = BUSY_CODES.has(error.code) || error.status === 429 || (error.status === 503 && error.params.retryAfter !== undefined);
  if (!busy) return null;
  const s = Number(error.params.retryAfter);
  return Number.isFinite(s) && s > 0 ? Math.min(s, MAX_PAUSE_MS / 1000) : DEFAULT_RETRY_AFTER_S;
}

/** The pause after the `streak`-th busy answer in a row (1 for the first): never below Retry-After. */
export function busyPauseMs(retryAfterS: number, streak: number, random: () => number = Math.random): number {
  const base = Math.max(1, retryAfterS) * 1000;
  const ceiling = Math.min(base * 2 ** Math.min(Math.max(streak - 1, 0), 10), MAX_PAUSE_MS);
  // At least half the base as spread, so that even the first busy answers do not come back in step.
  const spread = Math.max(ceiling - base, base / 2);
  return Math.round(base + random() * spread);
}
