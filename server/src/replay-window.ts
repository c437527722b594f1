/**
 * The replay window. A device signs the time it sends a request at (node/sync-auth.ts); the server answers a request
 * only when that time is within REPLAY_WINDOW_MS of its own clock, and remembers each nonce only that long. A request
 * captured on the way can so be replayed only within the window, where its nonce is still known and refused; the
 * store of nonces holds one window's requests, never all of them.
 */
import { CLOCK_TOLERANCE_MS } from '../../shared/contract/sync-protocol';

/**
 * Ten minutes: twice the clock tolerance beyond which an act is flagged (CLOCK_TOLERANCE_MS, 5 min), so a workstation
 * whose clock drifts enough to be flagged still syncs, and its acts reach the server to be flagged for a person
 * rather than lost; a workstation further off corrects the time it signs by the offset the server answered
 * (the sync agent), so a wrong clock never stops an office.
 */
export const REPLAY_WINDOW_MS = 2 * CLOCK_TOLERANCE_MS;

/** Why a signed time is refused (its distance from the server's clock), or null when it is within the window. */
export function outsideReplayWindow(signedTime: string, now: Date): { reason: 'unreadable' | 'outside_window'; windowMinutes: number; serverTime: string } | null {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(signedTime) ? Date.parse(signedTime) : NaN;
  const windowMinutes = REPLAY_WINDOW_MS / 60_000;
  if (!Number.isFinite(at)) return { reason: 'unreadable', windowMinutes, serverTime: now.toISOString() };
  if (Math.abs(at - now.getTime()) > REPLAY_WINDOW_MS) return { reason: 'outside_window', windowMinutes, serverTime: now.toISOString() };
  return null;
}
