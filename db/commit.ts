/**
 * The one commit path. Every change to a case is a signed event; in one transaction this checks the version the
 * act was made on (optimistic concurrency: a stale version is a typed error, never an overwrite), checks the
 * event against the catalogue (type, payload, role, stage) by projecting it, appends it to the log, writes the
 * projection's changes to the current-state tables, and marks it for sync. Nothing else writes those tables.
 */
import { AppError, type ErrorCode } from '../shared/errors';
import { DomainError } from '../shared/domain/errors';
import { projectCase, projectEvent, type CaseProjection } from '../shared/events/projection';
import type { Db } from './connection';
import { appendEventRow, caseLog, legacyFacts, toCaseEvent, type SignedEvent } from './repositories/events';
import { replaceProjection, writeProjection } from './repositories/projection';
import { lineHead, logReplays, viewState } from './repositories/views';
import { personEntriesOnce, type RegisterEntries } from './repositories/staff';
import { rolesHeld } from '../shared/contract/staff-protocol';
import { dayText, officeDateOf } from '../shared/local-date';

/**
 * Whether the event's actor held its role on the day of the act by a staff register this workstation holds (its
 * office's, its Centers', the city's): the register, not the certificate, decides a role.
 */
export function actorHoldsRole(db: Db, actor: { iin: string; role: string }, at: string, known: RegisterEntries = new Map()): boolean {
  return (rolesHeld(personEntriesOnce(db, actor.iin, known), actor.iin, officeDateOf(at)) as string[]).includes(actor.role);
}

/**
 * The state of a case, or null when the case has no events here: its stored view when that stands on the line's
 * last event, else the log replayed (counted: the read path should not need it).
 */
export function loadProjection(db: Db, caseId: string): CaseProjection | null {
  const stored = viewState(db, caseId);
  if (stored) return stored;
  if (!lineHead(db, caseId)) return null;
  logReplays.add();
  return replayProjection(db, caseId);
}

/** The state of a case as its log's line says, replayed from the first event (a rebuild, a line that changed). */
export function replayProjection(db: Db, caseId: string): CaseProjection | null {
  return projectCase(caseLog(db, caseId).map(toCaseEvent), legacyFacts(db));
}

/**
 * The case's tables and view rewritten from its line, in the caller's transaction: after this workstation's act
 * lost its place on the server, what it left behind must not show.
 */
export function reprojectLine(db: Db, caseId: string): void {
  replaceProjection(db, caseId, replayProjection(db, caseId));
}

/** Catalogue refusals become typed errors; the workflow's own refusals keep their field (shown beside it). */
const TYPED: Record<string, ErrorCode> = {
  'event.unknown_type': 'event.unknown_type',
  'event.payload_invalid': 'event.payload_invalid',
  'event.role_not_allowed': 'event.role_not_allowed',
  'event.stale_version': 'case.stale_version',
  'event.chain_broken': 'case.stale_version',
  'event.case_exists': 'case.stale_version',
  'event.case_missing': 'not_found',
};

export interface CommitOptions {
  /** Events pulled from the server are acknowledged already, with the server's order (a number each). */
  sync?: { state: 'acked'; serverSeq: number | ((eventId: string) => number); ackedAt: string };
  /** Runs first inside the transaction (e.g. the blob rows the events name, an information-system request). */
  before?: () => void;
  /**
   * The case's state as the caller has already folded it inside the same transaction (a pulled page applies many
   * events of one case): used instead of reading it again. Undefined: read here.
   */
  from?: CaseProjection | null;
  /** The signers' register entries the caller read in the same transaction. */
  registerEntries?: RegisterEntries;
  /**
   * The state the caller folded `events` to from `from`, with the catalogue's projection, in the same transaction
   * (a pulled page folds each case forward as it checks it): written as it is, not folded a second time.
   */
  folded?: CaseProjection;
}

/**
 * Commits `events` (one act may be several, e.g. the pages of one scan) made on version `baseVersion` of the case.
 * Returns the case's new state. Throws AppError case.stale_version when the case moved on meanwhile.
 */
export function commitEvents(db: Db, caseId: string, baseVersion: number, events: readonly SignedEvent[], opts: CommitOptions = {}): CaseProjection {
  return db.transaction(() => {
    // A new case's first event is appended before its case row is written: the key is checked at commit.
    db.pragma('defer_foreign_keys = ON');
    opts.before?.();
    const before = opts.from !== undefined ? opts.from : loadProjection(db, caseId);
    const current = before?.case.version ?? 0;
    if (current !== baseVersion) throw new AppError('case.stale_version', { expected: baseVersion, actual: current });
    let state = before;
    const legacy = legacyFacts(db);
    const known = opts.registerEntries ?? new Map();
    const folded = opts.from !== undefined && opts.folded !== undefined;
    for (const e of events) {
      if (e.caseId !== caseId) throw new AppError('event.payload_invalid', { type: e.type, path: 'caseId' });
      if (!actorHoldsRole(db, e.actor, e.at, known)) throw new AppError('staff.no_role', { iin: e.actor.iin, role: `role.${e.actor.role}`, day: dayText(officeDateOf(e.at)) });
      try {
        if (!folded) state = projectEvent(state, e, legacy);
      } catch (error) {
        if (error instanceof DomainError && TYPED[error.code]) throw new AppError(TYPED[error.code]!, error.params);
        throw error;
      }
      const sync = opts.sync;
      appendEventRow(db, e, sync ? { ...sync, serverSeq: typeof sync.serverSeq === 'function' ? sync.serverSeq(e.id) : sync.serverSeq } : { state: 'pending' });
    }
    if (folded) state = opts.folded!;
    if (state) writeProjection(db, before, state);
    return state!;
  }).immediate();
}
