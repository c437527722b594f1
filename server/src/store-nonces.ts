/**
 * The nonces of the requests answered, in the server's store, kept for the replay window only (./replay-window.ts):
 * a request older than the window is refused for its time before its nonce is looked at, so an older nonce is of no
 * use and is pruned. The store so holds about one window's requests, however long the server runs.
 */
import { REPLAY_WINDOW_MS } from './replay-window';
import type { Queryable } from './store';

/** How often one server process prunes: a minute's requests at most wait for it. */
const PRUNE_EVERY_MS = 60_000;
let prunedAt = 0;

/** Records the nonce; false when it was seen within the window (a replay). Prunes older nonces now and then. */
export async function freshNonce(q: Queryable, id: { officeCode: string; workstationCode: string }, nonce: string, nowMs = Date.now()): Promise<boolean> {
  await pruneWhenDue(q, nowMs);
  const fresh = await q.query('INSERT INTO request_nonces (office_code, workstation_code, nonce) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce', [id.officeCode, id.workstationCode, nonce]);
  return fresh.length > 0;
}

/** Prunes the nonces older than the window, once a minute per process. */
export async function pruneWhenDue(q: Queryable, nowMs = Date.now()): Promise<void> {
  if (nowMs - prunedAt < PRUNE_EVERY_MS) return;
  prunedAt = nowMs;
  await pruneNonces(q);
}

/** Deletes the nonces seen before the window (with a margin for clocks between instances); returns how many. */
export async function pruneNonces(q: Queryable): Promise<number> {
  const gone = await q.query<{ n: number }>("WITH gone AS (DELETE FROM request_nonces WHERE seen_at < now() - ($1::bigint * interval '1 millisecond') RETURNING 1) SELECT count(*)::int AS n FROM gone", [2 * REPLAY_WINDOW_MS]);
  return Number(gone[0]?.n ?? 0);
}

export async function nonceCount(q: Queryable): Promise<number> {
  return Number((await q.query<{ n: number }>('SELECT count(*)::int AS n FROM request_nonces'))[0]!.n);
}
