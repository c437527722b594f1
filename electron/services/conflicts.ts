/**
 * Conflicts of sync, shown to a person and never merged. Two workstations acted on the same version of
 * a case while apart: the server kept the first act it received in the case's line and the other as a conflict;
 * or the same family was taken on two workstations (the same applicant's IIN opened twice). Every workstation of
 * the office lists them with both acts side by side (who, from the signing certificate; when, in Almaty time; what,
 * and what each would change on the state both were made on), and a person resolves one by an explicit signed act:
 * - redo: the losing act(s) committed again on the case's current version (new acts signed by the person resolving,
 *   through the one commit path), with conflict.resolved 'redone';
 * - withdraw: conflict.resolved 'withdrawn' (the losing act stays in the log, signed, out of the line);
 * - close_this / close_other (same family): case.closed_as_duplicate on the chosen case, with conflict.resolved.
 * A signed act in the line (a decision, a notification) is never overwritten or withdrawn: redo is offered only while
 * the case is still at the stage the losing act was made in, and only if the catalogue allows it there now.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { ConflictOption, ConflictSide, ConflictView } from '../../shared/contract/types';
import { eventOfWire, type WireEvent } from '../../shared/contract/sync-protocol';
import { describeChange } from '../../shared/events/changes';
import { eventCanonical, type CaseEvent } from '../../shared/events/event';
import { projectCase, projectEvent, type CaseProjection } from '../../shared/events/projection';
import { TERMINAL_STAGES } from '../../shared/domain/workflow';
import { DomainError } from '../../shared/domain/errors';
import type { Role } from '../../shared/roles';
import { loadProjection } from '../../db/commit';
import { conflictById, flagsOfCase, listConflicts, markConflictResolved, type ConflictRow } from '../../db/repositories/conflicts';
import { caseLog, eventById, legacyFacts, toCaseEvent } from '../../db/repositories/events';
import { getCaseNumber } from '../../db/repositories/cases';
import { verifySignature } from '../../node/pki/verdict';
import type { ServicesContext, Session } from './context';
import { commitActs, type Act } from './case-acts';

/** The case as its line stood at `version` (the state both acts of a same-version conflict were made on). */
function stateAt(ctx: ServicesContext, caseId: string, version: number): CaseProjection | null {
  return projectCase(
    caseLog(ctx.db, caseId)
      .filter((e) => e.seq <= version)
      .map(toCaseEvent),
    legacyFacts(ctx.db),
  );
}

/** Who signed: the name in the signing certificate (the IIN when it cannot be read). */
function signerName(ctx: ServicesContext, e: CaseEvent, signature: Buffer | null): string {
  if (!signature || signature.length === 0) return e.actor.iin;
  try {
    return verifySignature(Buffer.from(eventCanonical(e), 'utf8'), signature, ctx.trust()).signer?.name || e.actor.iin;
  } catch {
    return e.actor.iin;
  }
}

function side(ctx: ServicesContext, before: CaseProjection | null, e: CaseEvent, signature: Buffer | null): ConflictSide {
  return {
    eventId: e.id,
    caseId: e.caseId,
    caseNumber: getCaseNumber(ctx.db, e.caseId),
    type: e.type,
    actor: { iin: e.actor.iin, name: signerName(ctx, e, signature), role: e.actor.role },
    at: e.at,
    changes: describeChange(before, e, legacyFacts(ctx.db)),
    flags: flagsOfCase(ctx.db, e.caseId).get(e.id) ?? [],
  };
}

const RESOLUTION_ACTS = ['conflict.resolved', 'case.closed_as_duplicate'];

const losingOf = (row: ConflictRow) => JSON.parse(row.losing) as WireEvent[];

/**
 * The losing acts made again on the current state by `session`'s person (unsigned, for the dry run): the catalogue
 * must allow every one of them now, for this person's role.
 */
function redoDryRun(current: CaseProjection, losing: readonly WireEvent[], session: Session): boolean {
  let state: CaseProjection = current;
  let prev = current.case.headHash;
  try {
    for (const [i, w] of losing.entries()) {
      const hash = `${'0'.repeat(63)}${i}`;
      state = projectEvent(state, { ...eventOfWire(w), id: uuidv7(), seq: state.case.version + 1, caseVersion: state.case.version, prevHash: prev, hash, at: new Date().toISOString(), actor: { iin: session.identity.iin, role: session.identity.role, certSha256: session.identity.certificateSha256 } });
      prev = hash;
    }
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

function optionsFor(ctx: ServicesContext, session: Session, row: ConflictRow): ConflictOption[] {
  if (row.status !== 'open') return [];
  if (row.kind === 'same_family') {
    const open = (caseId: string | null) => {
      const p = caseId ? loadProjection(ctx.db, caseId) : null;
      return p !== null && !TERMINAL_STAGES.includes(p.case.stage);
    };
    const out: ConflictOption[] = [];
    if (open(row.case_id) && open(row.other_case_id)) out.push('close_this', 'close_other');
    return out;
  }
  const out: ConflictOption[] = [];
  const losing = losingOf(row);
  // A resolution that lost to another person's resolution of the same conflict is only withdrawn: doing it again
  // would undo what the other one decided.
  if (losing.some((w) => RESOLUTION_ACTS.includes(w.type))) return ['withdraw'];
  const current = loadProjection(ctx.db, row.case_id);
  const before = stateAt(ctx, row.case_id, losing[0]!.caseVersion);
  // Redo only while the case is at the stage the act was made in: what was signed since is never overwritten. A
  // printed form certified by another person's key is theirs: only they may redo it.
  const formsOfOthers = losing.some((w) => typeof (JSON.parse(w.payload) as { form?: unknown }).form === 'string' && w.actor.iin !== session.identity.iin);
  if (current && before && current.case.stage === before.case.stage && !formsOfOthers && redoDryRun(current, losing, session)) out.push('redo');
  out.push('withdraw');
  return out;
}

function view(ctx: ServicesContext, session: Session, row: ConflictRow): ConflictView {
  const losing = losingOf(row);
  const before = row.kind === 'same_family' ? null : stateAt(ctx, row.case_id, losing[0]!.caseVersion);
  const holdingRow = row.holding_event_id ? eventById(ctx.db, row.holding_event_id) : null;
  const resolvedRow = row.resolved_by ? eventById(ctx.db, row.resolved_by) : null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    caseId: row.case_id,
    caseNumber: getCaseNumber(ctx.db, row.case_id),
    otherCase: row.other_case_id ? { caseId: row.other_case_id, caseNumber: getCaseNumber(ctx.db, row.other_case_id) } : null,
    // The holding act on the state it was made on (another case's, when a resolution lost to another resolution).
    holding: holdingRow
      ? side(ctx, holdingRow.case_id === row.case_id ? before : stateAt(ctx, holdingRow.case_id, holdingRow.seq - 1), toCaseEvent(holdingRow), holdingRow.signature ? Buffer.from(holdingRow.signature) : null)
      : null,
    // Each losing act is described on the state it was made on (the one before it in its own chain).
    losing: losing.map((w, i) => {
      let state = before;
      for (const prior of losing.slice(0, i)) {
        try {
          state = projectEvent(state, eventOfWire(prior), legacyFacts(ctx.db));
        } catch {
          break;
        }
      }
      return side(ctx, state, eventOfWire(w), Buffer.from(w.signature, 'base64'));
    }),
    options: optionsFor(ctx, session, row),
    resolution: row.resolution,
    resolvedBy: row.resolved_by ? { eventId: row.resolved_by, name: resolvedRow ? signerName(ctx, toCaseEvent(resolvedRow), resolvedRow.signature ? Buffer.from(resolvedRow.signature) : null) : null, at: resolvedRow?.at ?? null } : null,
    detectedAt: row.detected_at,
  };
}

export function conflictServices(ctx: ServicesContext) {
  return {
    list(session: Session): ConflictView[] {
      return listConflicts(ctx.db).map((row) => view(ctx, session, row));
    },

    resolve(session: Session, input: ParsedInputOf<'conflicts.resolve'>): ConflictView {
      const row = conflictById(ctx.db, input.conflictId);
      if (!row) throw new AppError('conflict.not_found');
      if (row.status !== 'open') throw new AppError('conflict.already_resolved', { caseNumber: getCaseNumber(ctx.db, row.case_id) ?? '' });
      if (!optionsFor(ctx, session, row).includes(input.option)) throw new AppError('conflict.option_not_allowed', { option: input.option });
      const losing = losingOf(row);
      const resolved = (resolution: 'redone' | 'withdrawn' | 'closed_as_duplicate'): Act => ({
        type: 'conflict.resolved',
        payload: { conflictId: row.id, resolution, losing: losing.map((w) => w.hash), note: input.note },
      });
      let caseId = row.case_id;
      let acts: Act[];
      if (input.option === 'redo') {
        // The same acts, made again by this person on the current version.
        acts = [...losing.map((w) => ({ type: w.type as Act['type'], payload: JSON.parse(w.payload) as Record<string, unknown> })), resolved('redone')];
      } else if (input.option === 'withdraw') {
        acts = [resolved('withdrawn')];
      } else {
        const closed = input.option === 'close_this' ? row.case_id : row.other_case_id!;
        const kept = input.option === 'close_this' ? row.other_case_id! : row.case_id;
        caseId = closed;
        acts = [
          { type: 'case.closed_as_duplicate', payload: { conflictId: row.id, kept: { caseId: kept, caseNumber: getCaseNumber(ctx.db, kept) ?? '' }, note: input.note, starts: [] } },
          resolved('closed_as_duplicate'),
        ];
      }
      const p = loadProjection(ctx.db, caseId);
      if (!p) throw new AppError('not_found');
      const role = session.identity.role as Role;
      if (!['specialist', 'head', 'center'].includes(role)) throw new AppError('forbidden');
      const after = commitActs(ctx, session, caseId, p, acts, undefined, { planned: true });
      const resolvedBy = caseLog(ctx.db, caseId).find((e) => e.seq === after.case.version)!;
      markConflictResolved(ctx.db, row.id, resolvedBy.id, input.option === 'redo' ? 'redone' : input.option === 'withdraw' ? 'withdrawn' : 'closed_as_duplicate');
      return view(ctx, session, conflictById(ctx.db, row.id)!);
    },
  };
}
