/**
 * One pulled page applied in one transaction with the cursor after it (a cursor saved ahead of the data loses
 * data). Every event is verified first (hash, CMS signature to the trusted root, the certificate being the actor's)
 * and checked against the catalogue by folding its case's state forward in memory; one that fails, or whose type
 * this version does not know, is held with its reason and never applied. Then each case's run of events goes
 * through the one commit path at once: its state read once, its tables written once per page.
 */
import { AppError } from '../../../shared/errors';
import { DomainError } from '../../../shared/domain/errors';
import { projectEvent, type CaseProjection } from '../../../shared/events/projection';
import { eventOfWire, wireEventProblem, type PulledEvent, type PullResponse } from '../../../shared/contract/sync-protocol';
import { actorHoldsRole, commitEvents, loadProjection, reprojectLine } from '../../../db/commit';
import { saveConflict, saveFlags } from '../../../db/repositories/conflicts';
import { recordBlob } from '../../../db/repositories/blobs';
import { eventById, legacyFacts, type SignedEvent } from '../../../db/repositories/events';
import type { RegisterEntries } from '../../../db/repositories/staff';
import { caseHeld, casesWithUnacked, holdPulled, lineFrom, markAcked, takeOutOfLine } from '../../../db/repositories/sync';
import type { TrustStore } from '../../../node/pki/keyfile';
import { signatureVerdict, type SignatureVerdict } from '../../../node/verify-thread';
import type { ServicesContext } from '../context';
import type { Downloaded } from './blob-fetch';

export interface PageReport {
  pulled: number;
  held: number;
  conflicts: number;
}

/** The case's tables as its line says: what a lost place leaves behind must not show. */
export function reproject(ctx: ServicesContext, caseId: string): void {
  reprojectLine(ctx.db, caseId);
}

/**
 * This workstation's waiting acts of a case from a place on leave its line: another workstation's act holds that
 * place on the server (pulled before ours was pushed). They stay waiting, so the server receives them and keeps them
 * as a conflict that every workstation of the office sees; the case's tables are rewritten from its line.
 */
function yieldPlace(ctx: ServicesContext, caseId: string, seq: number, reason: { code: string; params?: Record<string, unknown> }): number {
  const at = new Date().toISOString();
  const losing = lineFrom(ctx.db, caseId, seq).filter((e) => e.state !== 'acked');
  for (const [i, e] of losing.entries()) takeOutOfLine(ctx.db, { id: e.id, case_id: caseId }, i === 0 ? 'conflict' : 'after_conflict', reason.params ?? {}, at);
  if (losing.length > 0) reproject(ctx, caseId);
  return losing.length;
}

/**
 * A pulled event checked before it is applied; the reason when it cannot be. Its signature's verdict as the
 * verification threads gave it before the page's transaction (./pull.ts), its contents found its schema's then
 * (wireEventProblem); else both checked here.
 */
function verifyPulled(trust: TrustStore, e: PulledEvent, checkedBefore: SignatureVerdict | undefined): { reason: string; params?: Record<string, unknown> } | null {
  const problem = checkedBefore ? null : wireEventProblem(e);
  if (problem) return problem;
  const checked = checkedBefore ?? signatureVerdict(e, trust);
  if (checked.ok) return null;
  return { reason: checked.reason, ...(checked.params ? { params: checked.params } : checked.algorithm ? { params: { algorithm: checked.algorithm } } : {}) };
}

/** A case's events of this page that apply, from the state it had before them. */
interface Run {
  base: CaseProjection | null;
  state: CaseProjection | null;
  events: SignedEvent[];
  seqs: Map<string, number>;
}

/**
 * Applies one pulled page and the cursor after it, in one transaction. Returns the cases it changed. `signatures`:
 * the verdicts of the page's events checked before it (their contents, then their signatures), by event id; an event
 * without one is checked here.
 */
export function applyPage(ctx: ServicesContext, trust: TrustStore, page: PullResponse, blobs: Map<string, Downloaded>, report: PageReport, saveCursor: (cursor: string) => void, signatures: ReadonlyMap<string, SignatureVerdict> = new Map()): Set<string> {
  // A pulled page is committed without waiting for the disk to confirm it (the WAL written, not flushed): a power cut
  // may take back the last pages, and their cursor with them in the same transaction, so they are pulled again from
  // the server that holds them. The next act made here is flushed as every act is, and the pages before it with it.
  const flushed = ctx.db.pragma('synchronous', { simple: true }) as number;
  ctx.db.pragma('synchronous = NORMAL');
  try {
    return applyInOneTransaction(ctx, trust, page, blobs, report, saveCursor, signatures);
  } finally {
    ctx.db.pragma(`synchronous = ${flushed}`);
  }
}

function applyInOneTransaction(ctx: ServicesContext, trust: TrustStore, page: PullResponse, blobs: Map<string, Downloaded>, report: PageReport, saveCursor: (cursor: string) => void, signatures: ReadonlyMap<string, SignatureVerdict>): Set<string> {
  const changed = new Set<string>();
  const at = new Date().toISOString();
  ctx.db.transaction(() => {
    for (const [sha, b] of blobs) recordBlob(ctx.db, sha, b.mediaType, b.size, at);
    for (const c of page.conflicts ?? []) {
      saveConflict(ctx.db, { id: c.id, case_id: c.caseId, kind: c.kind, other_case_id: c.otherCaseId, holding_event_id: c.holdingEventId, losing: JSON.stringify(c.losing), status: c.status, resolved_by: c.resolvedBy, resolution: c.resolution, server_seq: c.serverSeq, detected_at: c.detectedAt });
      changed.add(c.caseId);
    }
    const legacy = legacyFacts(ctx.db);
    // The registers do not change within a page (staff acts travel on their own channel).
    const registerEntries: RegisterEntries = new Map();
    const runs = new Map<string, Run>();
    const runOf = (caseId: string): Run => {
      let run = runs.get(caseId);
      if (!run) {
        const base = loadProjection(ctx.db, caseId);
        run = { base, state: base, events: [], seqs: new Map() };
        runs.set(caseId, run);
      }
      return run;
    };
    // Writes what a case's run folded so far: before anything reads or rewrites its tables.
    const flush = (caseId: string) => {
      const run = runs.get(caseId);
      runs.delete(caseId);
      if (!run || run.events.length === 0) return;
      commitEvents(ctx.db, caseId, run.base?.case.version ?? 0, run.events, { from: run.base, folded: run.state ?? undefined, registerEntries, sync: { state: 'acked', serverSeq: (id) => run.seqs.get(id)!, ackedAt: at } });
      changed.add(caseId);
    };
    const waitingHere = casesWithUnacked(ctx.db);
    const hold = (e: PulledEvent, reason: string, params: Record<string, unknown>) => {
      holdPulled(ctx.db, e, JSON.stringify(e), reason, params, at);
      report.held++;
    };
    for (const e of page.events) {
      if (e.flags?.length) saveFlags(ctx.db, e.id, e.caseId, e.flags);
      // Our own act come back (or one pulled before): the server holds it, that is all.
      const row = eventById(ctx.db, e.id);
      if (row) {
        if (row.hash !== e.hash) holdPulled(ctx.db, e, JSON.stringify(e), 'hash_mismatch', {}, at);
        else markAcked(ctx.db, row, e.serverSeq, at);
        continue;
      }
      // A case set aside waits whole: its later events cannot be applied before the held one.
      if (caseHeld(ctx.db, e.caseId)) {
        hold(e, 'case_held', {});
        continue;
      }
      const problem = verifyPulled(trust, e, signatures.get(e.id));
      if (problem) {
        hold(e, problem.reason, problem.params ?? {});
        continue;
      }
      // The register this workstation holds decides the signer's role on the act's day, as the server's did at push.
      if (!actorHoldsRole(ctx.db, e.actor, e.at, registerEntries)) {
        hold(e, 'no_role', { role: e.actor.role });
        continue;
      }
      // This workstation's own waiting acts at that place lose: the server's line holds another's.
      if (waitingHere.has(e.caseId)) {
        flush(e.caseId);
        report.conflicts += yieldPlace(ctx, e.caseId, e.seq, { code: 'conflict', params: { by: e.actor.iin } });
      }
      const run = runOf(e.caseId);
      if ((run.state?.case.version ?? 0) !== e.caseVersion) {
        hold(e, 'chain_broken', { version: run.state?.case.version ?? 0 });
        continue;
      }
      const event = { ...eventOfWire(e), signature: Buffer.from(e.signature, 'base64') };
      try {
        // Its contents were checked against its schema above (verifyPulled), here or on the threads: not again.
        run.state = projectEvent(run.state, event, legacy, { trusted: true });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        hold(e, error.code, error.params);
        continue;
      }
      run.events.push(event);
      run.seqs.set(e.id, e.serverSeq);
      report.pulled++;
    }
    for (const caseId of [...runs.keys()]) {
      try {
        flush(caseId);
      } catch (error) {
        // Checked above by the same projection: a refusal here is a defect, and the page is not applied.
        if (error instanceof AppError) throw new AppError('sync.hostile_answer', { reason: error.code });
        throw error;
      }
    }
    saveCursor(page.cursor);
  })();
  return changed;
}
