/**
 * The sync agent, inside the services (never in the UI). One round: enrol once; push the blobs the waiting events
 * name (the server is asked which it lacks), then the events in order per case; then pull the office's events after
 * the cursor, page by page, each page's events applied through the one commit path with the new cursor in the same
 * transaction (a cursor saved ahead of the data loses data). Every pulled event is verified first (hash, CMS
 * signature to the trusted root, the certificate being the actor's); one that fails, or whose type this version
 * does not know, is held with its reason and never applied. The log is the outbox: a restart or kill -9 loses
 * nothing, and a replay is a no-op on both sides.
 */
import { AppError } from '../../../shared/errors';
import { payloadIfValid } from '../../../shared/events/payloads';
import { blobsNamed, REFUSAL_REASONS, SYNC_PROTOCOL, type EnrolResponse, type PushResponse, type RefusalReason, type WireEvent } from '../../../shared/contract/sync-protocol';
import { loadProjection } from '../../../db/commit';
import { caseEventsFrom, saveConflict, saveFlags } from '../../../db/repositories/conflicts';
import { blobMediaType } from '../../../db/repositories/blobs';
import { eventById, toCaseEvent, type EventRow } from '../../../db/repositories/events';
import { rejoined } from '../../../db/repositories/settings';
import {
  legacyFactsOfCase,
  markAcked,
  markRefused,
  markRetry,
  pendingEvents,
  raiseSequences,
  syncCounts,
  takeOutOfLine,
} from '../../../db/repositories/sync';
import { sha256Hex } from '../../../node/events';
import type { ServicesContext } from '../context';
import { readBlob } from '../blob-store';
import { reproject } from './apply-page';
import { pullEnded } from './progress';
import { pull } from './pull';
import { loadDevice } from '../device';
import { ServerError, syncClient, type SyncClient } from './client';
import { busyPauseMs, busyRetryAfter } from './backoff';
import { fetchWithCa } from './tls-fetch';
import { APP_VERSION_HEADER } from '../../../node/sync-auth';
import { syncSettings } from './settings';
import { referenceRound } from '../reference-sync';
import { staffRound } from '../staff-sync';

import { markStep, saveState, syncState, type RoundReport } from './state';
export { forgetEnrolment, syncState, type RoundReport, type SyncState } from './state';

/** Reasons a push refuses that pass: the same event is tried again later (the others go on meanwhile). */
const RETRYABLE: readonly RefusalReason[] = ['blob_missing', 'chain_broken'];
const RETRY = { firstMs: 5_000, maxMs: 10 * 60_000 };

function toWire(ctx: ServicesContext, e: EventRow): WireEvent {
  const legacy = legacyFactsOfCase(ctx.db, e.case_id);
  const event: WireEvent = { ...toCaseEvent(e), signature: Buffer.from(e.signature ?? Buffer.alloc(0)).toString('base64') };
  if (legacy) event.legacy = { ...(e.seq === 1 && legacy.createdAt ? { createdAt: legacy.createdAt } : {}), dues: legacy.dues };
  return event;
}

/** The client, or why there is none (not configured, no device, its key locked). */
export function clientFor(ctx: ServicesContext, fetchImpl?: typeof fetch): { client: SyncClient; device: NonNullable<ReturnType<typeof loadDevice>> } {
  const settings = syncSettings(ctx.db);
  if (!settings) throw new AppError('sync.not_configured');
  const device = loadDevice(ctx);
  if (!device) throw new AppError('sync.not_enrolled');
  // Requests are signed at the server's time as this device estimates it (its clock less the offset measured at the
  // last round), within the server's replay window however far its clock is off; the offset travels beside it.
  const skew = { get: () => syncState(ctx).clockOffsetMs, set: (ms: number) => saveState(ctx, { clockOffsetMs: ms }) };
  // The app's version travels as metadata (the server's device list shows it).
  const inner = fetchImpl ?? fetch;
  const withVersion: typeof fetch = (url, init) => inner(url, { ...init, headers: { ...(init?.headers as Record<string, string>), [APP_VERSION_HEADER]: ctx.appVersion } });
  return { client: syncClient(settings.serverUrl, device, () => ctx.realNow(), withVersion, skew), device };
}

async function enrol(ctx: ServicesContext, client: SyncClient, device: NonNullable<ReturnType<typeof loadDevice>>): Promise<void> {
  if (syncState(ctx).enrolled) return;
  // Set up again after a disk loss (jardem setup --replace-device): this device replaces the one the code had.
  const replace = syncSettings(ctx.db)?.replaceDevice === true;
  const { value } = await client.json<EnrolResponse>('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: [device.certPem, ...device.chainPem].join(''), ...(replace ? { replace } : {}) });
  ctx.db.transaction(() => {
    // A workstation enrolled again (after a disk loss) continues its numbers above those the server holds.
    raiseSequences(ctx.db, value.highestNumbers);
    rejoined(ctx.db);
    saveState(ctx, { enrolled: { officeCode: value.officeCode, workstationCode: value.workstationCode, at: value.serverTime } });
  })();
}

/** Enrols this workstation's device unless it is already (the information-system client asks before it signs). */
export async function ensureEnrolled(ctx: ServicesContext, fetchImpl?: typeof fetch): Promise<void> {
  const { client, device } = clientFor(ctx, fetchImpl);
  await enrol(ctx, client, device);
}

async function pushBlobs(ctx: ServicesContext, client: SyncClient, events: readonly EventRow[]): Promise<void> {
  // Read through the catalogue: an act an older version wrote that the rules now refuse names no blob, and is sent
  // for the server to refuse with its reason (shown), never stopping the others.
  const shas = [...new Set(events.flatMap((e) => blobsNamed(payloadIfValid(e.type, e.payload))))];
  for (let i = 0; i < shas.length; i += 1000) {
    const { value } = await client.json<{ missing: string[] }>('POST', '/sync/v1/blobs/missing', { protocol: SYNC_PROTOCOL, sha256: shas.slice(i, i + 1000) });
    for (const sha of value.missing) {
      const bytes = readBlob(ctx.dataDir, sha);
      // A blob whose file is damaged is not sent: its event will be refused as naming a missing blob, and shown.
      if (!bytes || sha256Hex(bytes) !== sha) continue;
      await client.putBlob(sha, bytes, blobMediaType(ctx.db, sha) ?? 'application/octet-stream');
    }
  }
}

/**
 * The server kept our act as a conflict (another's holds its place): the act and those made on top of it (by the
 * hash chain) leave the line, are refused with the reason, and are kept as the conflict until the server's own
 * record of it arrives by pull.
 */
function lostPlace(ctx: ServicesContext, e: EventRow, r: PushResponse['results'][number]): number {
  const at = new Date().toISOString();
  const chain = new Set([e.hash]);
  const losing: string[] = [e.id];
  for (const x of caseEventsFrom(ctx.db, e.case_id, e.seq + 1)) {
    if (x.state === 'acked' || !x.prev_hash || !chain.has(x.prev_hash)) continue;
    chain.add(x.hash);
    losing.push(x.id);
  }
  for (const [i, id] of losing.entries()) {
    takeOutOfLine(ctx.db, { id, case_id: e.case_id }, i === 0 ? 'conflict' : 'after_conflict', r.params ?? {}, at);
    markRefused(ctx.db, id, i === 0 ? { code: 'conflict', params: r.params } : { code: 'after_conflict' });
  }
  if (r.conflictId && r.reason !== 'after_conflict') {
    const wire = losing.map((id) => toWire(ctx, eventById(ctx.db, id)!));
    saveConflict(ctx.db, { id: r.conflictId, case_id: e.case_id, kind: 'same_version', other_case_id: null, holding_event_id: '', losing: JSON.stringify(wire), status: 'open', resolved_by: null, resolution: null, detected_at: at });
  }
  reproject(ctx, e.case_id);
  return losing.length;
}

async function push(ctx: ServicesContext, client: SyncClient, report: RoundReport): Promise<void> {
  for (;;) {
    const pending = pendingEvents(ctx.db, new Date().toISOString(), 200);
    if (pending.length === 0) return;
    await pushBlobs(ctx, client, pending);
    const { value } = await client.json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: pending.map((e) => toWire(ctx, e)) });
    const byId = new Map(pending.map((e) => [e.id, e]));
    let progressed = false;
    // A case stopped in this push by a refusal that passes (a blob not there yet): its later acts were refused only
    // because of it (after_refusal), and are tried again with it, not refused for good.
    const retrying = new Set<string>();
    ctx.db.transaction(() => {
      for (const r of value.results) {
        const e = byId.get(r.id);
        if (!e) continue;
        if (r.status === 'applied' || r.status === 'duplicate') {
          markAcked(ctx.db, e, r.serverSeq ?? 0, new Date().toISOString());
          if (r.flags?.length) saveFlags(ctx.db, e.id, e.case_id, r.flags);
          report.pushed++;
          progressed = true;
        } else if (r.status === 'conflict') {
          // Its later acts come back as after_conflict: lostPlace took them out with the first.
          if (r.reason !== 'after_conflict') report.conflicts += lostPlace(ctx, e, r);
          progressed = true;
        } else if (r.reason && (RETRYABLE.includes(r.reason) || (r.reason === 'after_refusal' && retrying.has(e.case_id)))) {
          retrying.add(e.case_id);
          const delay = Math.min(RETRY.firstMs * 2 ** e.attempts, RETRY.maxMs);
          markRetry(ctx.db, e.id, new Date(Date.now() + delay).toISOString(), JSON.stringify({ code: r.reason, params: r.params }));
          // Nothing fails meanwhile, so only the log says why an act still waits (its type and the reason, no contents).
          console.warn(`[services] sync: ${e.type} of seq ${e.seq} goes again in ${Math.round(delay / 1000)} s: ${r.reason} ${JSON.stringify(r.params ?? {}).slice(0, 200)}`);
        } else {
          markRefused(ctx.db, e.id, { code: REFUSAL_REASONS.includes(r.reason as RefusalReason) ? r.reason! : 'not_allowed_now', params: r.params });
          report.refused++;
          progressed = true;
        }
      }
    })();
    for (const caseId of new Set(pending.map((e) => e.case_id))) ctx.push({ type: 'case.changed', caseId, version: loadProjection(ctx.db, caseId)?.case.version ?? 0, sync: true });
    if (!progressed) return;
  }
}

/**
 * One round: enrol, push, pull. It "completed" when every step answered (refusals included); a broken link or a
 * server error leaves everything as it was committed, to be tried again.
 */
export async function syncRound(ctx: ServicesContext, opts: { fetch?: typeof fetch; waitSeconds?: number; signal?: AbortSignal; pageSize?: number } = {}): Promise<RoundReport> {
  const report: RoundReport = { pushed: 0, pulled: 0, refused: 0, conflicts: 0, held: 0, waiting: 0, completed: false, answered: 0 };
  const attemptAt = new Date().toISOString();
  // A server set up with its own CA is reached only through a connection that chains to it (./tls-fetch.ts).
  const caPem = syncSettings(ctx.db)?.serverCaPem;
  const fetchImpl = opts.fetch ?? (caPem ? fetchWithCa(caPem) : fetch);
  const counting: typeof fetch = async (url, init) => {
    const response = await fetchImpl(url, init);
    if (response.ok) report.answered++;
    return response;
  };
  try {
    const { client, device } = clientFor(ctx, counting);
    markStep(ctx, 'enrol');
    await enrol(ctx, client, device);
    // The registers first: the server checks each pushed event's signer against its office's register, and so does
    // this workstation each pulled one.
    markStep(ctx, 'registers');
    report.staff = await staffRound(ctx, client);
    markStep(ctx, 'push');
    await push(ctx, client, report);
    try {
      // The files come on a thread of their own, reaching the server as this round does; a round given its own fetch
      // (a test's faulty link) fetches them here, through it.
      const line = opts.fetch ? null : { serverUrl: syncSettings(ctx.db)!.serverUrl, device, caPem: caPem ?? null, appVersion: ctx.appVersion };
      await pull(ctx, client, report, opts.waitSeconds ?? 0, opts.signal, opts.pageSize, line);
    } finally {
      pullEnded(ctx);
    }
    markStep(ctx, 'reference');
    report.reference = await referenceRound(ctx, client);
    saveState(ctx, { lastSuccessAt: new Date().toISOString(), lastAttemptAt: attemptAt, lastError: null, retryAt: null, busyStreak: 0 });
    report.completed = true;
  } catch (error) {
    // Cut short here (a commit on this workstation ends the long poll, to push at once): the link did not fail, and
    // the header must not say it did; what the round moved before is kept, and the next round starts at once.
    if (opts.signal?.aborted) {
      report.waiting = syncCounts(ctx.db).pending;
      return report;
    }
    const value = error instanceof AppError ? error.toValue() : error instanceof ServerError ? { code: error.code, params: error.params } : { code: 'sync.offline', params: { reason: (error as Error).message?.slice(0, 200) ?? '' } };
    const busy = busyRetryAfter(error);
    const streak = busy === null ? 0 : (syncState(ctx).busyStreak ?? 0) + 1;
    if (busy !== null) report.retryAfterMs = busyPauseMs(busy, streak);
    saveState(ctx, { lastAttemptAt: attemptAt, lastError: value, retryAt: report.retryAfterMs ? new Date(Date.now() + report.retryAfterMs).toISOString() : null, busyStreak: streak });
    if (error instanceof AppError && (error.code === 'sync.not_configured' || error.code === 'sync.not_enrolled' || error.code === 'sync.device_locked')) {
      report.waiting = syncCounts(ctx.db).pending;
      return report;
    }
  }
  report.waiting = syncCounts(ctx.db).pending;
  return report;
}
