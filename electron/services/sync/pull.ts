/**
 * The pull: the office's events after the cursor, page by page, each page's events applied through the one commit
 * path with the new cursor in the same transaction (a cursor saved ahead of the data loses data). Every pulled event
 * is verified first (./apply-page.ts); one that fails is held with its reason and never applied.
 *
 * Three things overlap so that a long first sync waits on neither the line nor the disk alone: the next page is asked
 * for as soon as a page comes; its signatures are checked on the threads and its files fetched (on the file thread,
 * ./blob-thread-host.ts) as soon as it comes, beside the last of the page before's; and the page before is applied
 * meanwhile. A file two pages name is fetched by the first of them only, so that no file is fetched twice into its
 * partial file.
 */
import { AppError } from '../../../shared/errors';
import { checkSignedEvent } from '../../../node/events';
import { eventOfWire, wireEventProblem, type PulledConflict, type PulledEvent, type PullResponse, type WireEvent } from '../../../shared/contract/sync-protocol';
import { startVerifyThreads, verifyOnPool } from '../../../node/verify-pool';
import type { SignatureVerdict } from '../../../node/verify-thread';
import { eventById } from '../../../db/repositories/events';
import { loadProjection } from '../../../db/commit';
import type { TrustStore } from '../../../node/pki/keyfile';
import type { ServicesContext } from '../context';
import { referenceCursor } from '../reference-sync';
import { blobsNamedBy, fetchPageBlobs } from './blob-download';
import type { BlobLine } from './blob-thread-wire';
import { startFileThread } from './blob-thread-host';
import { applyPage } from './apply-page';
import { pullAdvanced, pullPageArrived } from './progress';
import type { SyncClient } from './client';
import { markStep, saveState, syncState, type RoundReport } from './state';

/** Events a pulled page holds: one transaction each, with its blobs fetched before it. */
export const PULL_PAGE = 500;

type PageBlobs = Awaited<ReturnType<typeof fetchPageBlobs>>;

/**
 * A pulled conflict is kept only if every act in it verifies (hash, CMS signature to the trusted root, the actor's
 * certificate) and is of this office's conflicts' shape: a server that sends anything else is not believed.
 */
function checkConflicts(trust: TrustStore, conflicts: readonly PulledConflict[]): void {
  for (const c of conflicts) {
    const shaped =
      typeof c.id === 'string' && typeof c.caseId === 'string' && (c.kind === 'same_version' || c.kind === 'same_family') && (c.status === 'open' || c.status === 'resolved') && Array.isArray(c.losing) && c.losing.length > 0;
    if (!shaped) throw new AppError('sync.hostile_answer', { reason: 'malformed' });
    for (const e of c.losing) {
      if (e.caseId !== c.caseId) throw new AppError('sync.hostile_answer', { reason: 'conflict_case' });
      const problem = wireEventProblem(e);
      if (problem) throw new AppError('sync.hostile_answer', { reason: `conflict_${problem.reason}` });
      const checked = checkSignedEvent(eventOfWire(e), Buffer.from(e.signature, 'base64'), trust);
      if (!checked.ok) throw new AppError('sync.hostile_answer', { reason: `conflict_${checked.reason}` });
    }
  }
}

/** Pages of fewer new events are checked on the pull's own thread: a hop to a thread costs more than their check. */
const POOL_FROM = 32;

/**
 * The signatures of a page's events that are new here, checked on the verification threads, so that this thread
 * goes on receiving the page's files meanwhile and the page's transaction holds it for less. The threads check an
 * event's contents against its schema first (one that is not what it claims is held for that, by the page's
 * transaction); one already here is left to the transaction, which marks it acknowledged. If the threads fail,
 * nothing is lost: the transaction checks what has no verdict.
 */
async function signaturesOfPage(ctx: ServicesContext, trust: TrustStore, events: readonly PulledEvent[]): Promise<Map<string, SignatureVerdict>> {
  const fresh = events.filter((e) => !eventById(ctx.db, e.id));
  const verdicts = await verifyOnPool(fresh, trust, { here: fresh.length < POOL_FROM }).catch(() => null);
  return new Map(verdicts ? fresh.map((e, i) => [e.id, verdicts[i]!]) : []);
}

/** Why a page is refused whole (a hostile or broken answer: nothing of it is kept), or null. */
function pageProblem(value: PullResponse, cursor: string): string | null {
  if (!Array.isArray(value.events) || typeof value.cursor !== 'string') return 'malformed';
  if (!/^\d+$/.test(value.cursor) || Number(value.cursor) < Number(cursor)) return 'cursor_backwards';
  if (value.conflicts !== undefined && !Array.isArray(value.conflicts)) return 'malformed';
  return null;
}

/** The acts a page carries whose files this workstation needs: its events and its conflicts' losing acts. */
function actsOf(value: PullResponse): WireEvent[] {
  return [...value.events, ...(value.conflicts ?? []).flatMap((c) => c.losing)];
}

/** `line`: how the file thread reaches the server (./blob-thread-host.ts), or null to fetch the files on this thread. */
export async function pull(ctx: ServicesContext, client: SyncClient, report: RoundReport, waitSeconds = 0, signal?: AbortSignal, pageSize = PULL_PAGE, line: BlobLine | null = null): Promise<void> {
  // A page and its files, asked for ahead. What is asked for ahead and then not wanted must not fail the process.
  const ask = (cursor: string, wait: number, before: { named: Promise<ReadonlySet<string>>; blobs: Promise<PageBlobs | null> } | null) => {
    // A long poll names the city's reference act this workstation has last: one that came after it answers the poll at
    // once (the round goes on to take it), even when it reached the server before the poll began.
    const reference = wait > 0 ? `&ref=${encodeURIComponent(referenceCursor(ctx))}` : '';
    const answer = client.json<PullResponse>('GET', `/sync/v1/pull?cursor=${encodeURIComponent(cursor)}&limit=${pageSize}&wait=${wait}${reference}`, undefined, { signal, timeoutMs: (wait + 30) * 1000 });
    // The files each of its acts names, once it comes (an answer refused names none).
    const byAct = answer.then((measured) => (pageProblem(measured.value, cursor) === null ? blobsNamedBy(actsOf(measured.value)) : []));
    // Its files are asked for as soon as it comes, beside the last of the page before's: a file that page names is
    // that page's to fetch (never one file twice at once).
    const blobs = Promise.all([answer, byAct, before?.named]).then(async ([measured, named, theirs]) => {
      if (pageProblem(measured.value, cursor) !== null) return null;
      const own = fetchPageBlobs(ctx, client, named, theirs, line);
      const [earlier, got] = await Promise.all([before?.blobs, own]);
      // The page before came short (the link is likely down): this one's files wait for the next round's.
      return earlier && earlier.error !== null ? null : got;
    });
    // Its signatures are checked as soon as it comes, on the threads, while the page before is applied here.
    const signatures = answer.then((measured) => {
      if (pageProblem(measured.value, cursor) !== null) return null;
      const trust = ctx.trust();
      return signaturesOfPage(ctx, trust, measured.value.events).then((verdicts) => ({ trust, verdicts }));
    });
    const named = byAct.then((n) => new Set(n.flat()));
    answer.catch(() => undefined);
    byAct.catch(() => undefined);
    named.catch(() => undefined);
    blobs.catch(() => undefined);
    signatures.catch(() => undefined);
    return { cursor, answer, blobs, signatures, named };
  };
  let ahead: ReturnType<typeof ask> | null = null;
  // The threads start while the first page is on its way.
  startVerifyThreads();
  if (line) startFileThread();
  try {
    for (;;) {
      const cursor = syncState(ctx).cursor;
      const asked = ahead?.cursor === cursor ? ahead : ask(cursor, waitSeconds, null);
      ahead = null;
      markStep(ctx, 'pull: page');
      const measured = await asked.answer;
      const value = measured.value;
      const problem = pageProblem(value, cursor);
      if (problem) throw new AppError('sync.hostile_answer', { reason: problem });
      // The trust store (roots, intermediates, every CRL checked) is read once per page, not once per event.
      const trust = ctx.trust();
      checkConflicts(trust, value.conflicts ?? []);
      // The offset of this device's clock from the server's (a warning over 5 minutes; it decides nothing).
      if (measured.serverTime !== null) saveState(ctx, { clockOffsetMs: Math.round((measured.sentAt + measured.receivedAt) / 2 - measured.serverTime) });
      const conflicts = value.conflicts ?? [];
      if (value.events.length === 0 && conflicts.length === 0) return;
      pullPageArrived(ctx, Number(cursor), value.head);
      // The next page is asked for now, and its files as soon as it comes: they come while this page is applied.
      if (value.more) ahead = ask(value.cursor, 0, asked);
      markStep(ctx, 'pull: files');
      const blobs = (await asked.blobs)!;
      // Verdicts found against another trust store (a CRL loaded since) are not used: the transaction checks again.
      markStep(ctx, 'pull: signatures');
      const found = await asked.signatures.catch(() => null);
      const checked = found?.trust === trust ? found.verdicts : new Map<string, SignatureVerdict>();
      // One turn of the event loop first: the next page's files are asked for before this page holds the thread.
      if (ahead) await new Promise((resolve) => setImmediate(resolve));
      // Cut short: the events whose blobs came are applied, the cursor after the last of them (never ahead of the data).
      // Conflicts share the cursor's numbers: a cut page keeps only what lies below the first conflict, which comes again.
      const firstConflict = Math.min(...conflicts.map((c) => c.serverSeq));
      const kept = value.events.slice(0, Math.min(blobs.upTo, value.events.length)).filter((e) => e.serverSeq < firstConflict);
      const page = blobs.error === null ? value : { ...value, events: kept, conflicts: [], cursor: String(kept[kept.length - 1]?.serverSeq ?? cursor) };
      const changed = page.events.length > 0 || (page.conflicts ?? []).length > 0 ? applyPage(ctx, trust, page, blobs.fetched, report, (cursor) => saveState(ctx, { cursor }), checked) : new Set<string>();
      for (const caseId of changed) ctx.push({ type: 'case.changed', caseId, version: loadProjection(ctx.db, caseId)?.case.version ?? 0 });
      pullAdvanced(ctx, Number(page.cursor));
      if (blobs.error !== null) throw blobs.error;
      if (!value.more) return;
      waitSeconds = 0;
    }
  } finally {
    // No download or check outlives its round: a round that failed while the next page's files came waits for them.
    markStep(ctx, 'pull: the page asked ahead');
    if (ahead) await Promise.allSettled([ahead.blobs, ahead.signatures]);
  }
}
