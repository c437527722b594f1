/**
 * How far a long pull has come: a new or restored workstation joining an office of hundreds of thousands of
 * records waits minutes, and the header and the Sync tab show what has arrived of how much and the time left.
 * Kept in memory (it describes the round under way, nothing to keep) and told to the screens at most twice a second.
 */
import type { SyncProgress } from '../../../shared/contract/types';
import type { ServicesContext } from '../context';

interface Tracker {
  startCursor: number;
  total: number;
  received: number;
  blobsReceived: number;
  bytesReceived: number;
  startedAt: number;
  toldAt: number;
}

const trackers = new WeakMap<object, Tracker>();
const TELL_EVERY_MS = 500;

function snapshot(t: Tracker): SyncProgress {
  const elapsed = (Date.now() - t.startedAt) / 1000;
  const rate = t.received / Math.max(elapsed, 0.001);
  return {
    received: t.received,
    total: t.total,
    blobsReceived: t.blobsReceived,
    bytesReceived: t.bytesReceived,
    startedAt: new Date(t.startedAt).toISOString(),
    secondsLeft: t.received > 0 && elapsed >= 1 ? Math.round((t.total - t.received) / rate) : null,
  };
}

/** The pull under way, or null. */
export function pullProgress(ctx: ServicesContext): SyncProgress | null {
  const t = trackers.get(ctx.db);
  return t ? snapshot(t) : null;
}

function tell(ctx: ServicesContext, t: Tracker | null, force = false): void {
  if (t && !force && Date.now() - t.toldAt < TELL_EVERY_MS) return;
  if (t) t.toldAt = Date.now();
  ctx.push({ type: 'sync.progress', progress: t ? snapshot(t) : null });
}

/**
 * A page came that says more follow: from then on the round is a long pull with a total (the office's last number
 * when the page was read, counted from the cursor the round started at).
 */
export function pullPageArrived(ctx: ServicesContext, startCursor: number, head: string | undefined): void {
  if (head === undefined || trackers.has(ctx.db)) return;
  const t = { startCursor, total: Math.max(Number(head) - startCursor, 0), received: 0, blobsReceived: 0, bytesReceived: 0, startedAt: Date.now(), toldAt: 0 };
  trackers.set(ctx.db, t);
  tell(ctx, t, true);
}

export function pullAdvanced(ctx: ServicesContext, cursor: number): void {
  const t = trackers.get(ctx.db);
  if (!t) return;
  t.received = Math.min(cursor - t.startCursor, t.total);
  tell(ctx, t);
}

export function blobBytesArrived(ctx: ServicesContext, bytes: number): void {
  const t = trackers.get(ctx.db);
  if (!t) return;
  t.bytesReceived += bytes;
  tell(ctx, t);
}

export function blobsArrived(ctx: ServicesContext, count: number): void {
  const t = trackers.get(ctx.db);
  if (t) t.blobsReceived += count;
}

export function pullEnded(ctx: ServicesContext): void {
  if (!trackers.delete(ctx.db)) return;
  tell(ctx, null, true);
}
