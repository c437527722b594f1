/**
 * Applying pushed events. Each event, in its own transaction on its office's rows only, is applied at most once (by
 * event id: a replay is acknowledged, not applied again), after the checks the workstation's commit path makes and
 * more: its hash and CMS signature (chain to the trusted root, the CRL, the certificate being the actor's), the
 * signer's office, the hash chain, and that the catalogue allows it from the case version it names (the same pure
 * projection the workstation runs). The server assigns the order; device clocks are metadata. A refused event gets
 * a stored reason and never blocks another case.
 */
import { DomainError } from '../../../shared/domain/errors';
import { isEventType } from '../../../shared/events/catalogue';
import { projectEvent, type CaseProjection } from '../../../shared/events/projection';
import { blobsNamed, eventOfWire, flagsOf, wireEventProblem, type EventFlag, type PushResult, type RefusalReason, type WireEvent } from '../../../shared/contract/sync-protocol';
import type { TrustStore } from '../../../node/pki/keyfile';
import { isUniqueViolation, type Store } from '../store';
import { appendBatch, blobsPresent, eventIdAt, eventsAt, lockCaseStates, openCasesOfApplicants, recordRefusal, storedEvents } from '../store/events-write';
import { conflictStatus, familyConflictOf, joinConflict, recordConflict, resolveConflict } from '../store/conflicts';
import { deviceClockOffset } from '../store/devices';
import { centerOfOffice, copyToCenterFeed, placeCenterEvent, type CenterOffice } from './center';
import { fastCandidates, type RunApplied } from './ingest-batch';
import { applyFast } from './office-queue';
import { CLOSED_STAGES, legacyOf, OPENING, verifyPush, type ApplyOptions, type Device, type Verdict } from './ingest-rules';
import { currentPushContext, pushContext } from '../store/staff';

export type { ApplyOptions, Device } from './ingest-rules';

class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly params: Record<string, string | number> = {},
    readonly conflict = false,
  ) {
    super(reason);
  }
  /** The partition the event was placed in (a Center's device writes into its district's). */
  office?: string;
}

const FROM_CATALOGUE: Record<string, RefusalReason> = {
  'event.unknown_type': 'unknown_type',
  'event.payload_invalid': 'payload_invalid',
  'event.role_not_allowed': 'role_not_allowed',
  'event.stale_version': 'conflict',
  'event.case_exists': 'conflict',
  'event.chain_broken': 'chain_broken',
  'event.case_missing': 'case_unknown',
};

const parseFlags = (text: unknown): EventFlag[] => {
  try {
    const v = JSON.parse(String(text ?? '[]')) as unknown;
    return Array.isArray(v) ? (v as EventFlag[]) : [];
  } catch {
    return [];
  }
};

/** A later act of the losing workstation made on top of the losing one: kept in the same conflict. */
async function joinConflictOf(store: Store, office: string, conflictId: string, e: WireEvent): Promise<void> {
  await store.transaction((tx) => joinConflict(tx, office, conflictId, e));
}

/**
 * The event-by-event path: each event's signature verdict comes from verifyPush, made before any transaction, and the
 * Center the device belongs to is read once for the push.
 */
type OneOptions = ApplyOptions & { verdicts: ReadonlyMap<string, Verdict>; center: CenterOffice | null };

async function applyOne(store: Store, device: Device, e: WireEvent, opts: OneOptions): Promise<PushResult> {
  let placedIn = device.officeCode;
  // Its contents first (type, payload, facts of the past): nothing below reads an event that is not what it claims.
  const problem = wireEventProblem(e);
  if (problem) throw new Refusal(problem.reason, problem.params);
  try {
    return await applyInOffice(store, device, e, opts, (office) => (placedIn = office));
  } catch (error) {
    // The refusal is stored, and a conflict kept, where the case lives.
    if (error instanceof Refusal) error.office = placedIn;
    throw error;
  }
}

async function applyInOffice(store: Store, device: Device, e: WireEvent, opts: OneOptions, onPlaced: (office: string) => void): Promise<PushResult> {
  return store.transaction(async (tx) => {
    // A Center's device writes into the partition of the district that holds the case (./center.ts).
    const center = opts.center;
    const placed = center ? await placeCenterEvent(tx, center, e) : null;
    if (placed && !placed.ok) throw new Refusal('other_office', placed.params);
    const office = placed?.ok ? placed.office : device.officeCode;
    onPlaced(office);
    const [seen] = await storedEvents(tx, office, [e.id]);
    if (seen) {
      const flags = parseFlags(seen.flags);
      const family = await familyConflictOf(tx, office, e.id);
      return { id: e.id, status: 'duplicate', serverSeq: seen.serverSeq, ...(flags.length ? { flags } : {}), ...(family ? { conflictId: family } : {}) };
    }
    if (!isEventType(e.type)) throw new Refusal('unknown_type', { type: e.type });
    const event = eventOfWire(e);
    const verdict = opts.verdicts.get(e.id);
    if (verdict && !verdict.ok) throw new Refusal(verdict.reason, verdict.params);
    const stateText = (await lockCaseStates(tx, office, [e.caseId])).get(e.caseId);
    // The same event pushed twice at once (a workstation restarted while its first push is still being applied)
    // may have been committed by the other push while this one waited for the case's row: a replay, not a conflict.
    if (stateText !== undefined) {
      const [meanwhile] = await storedEvents(tx, office, [e.id]);
      if (meanwhile) {
        const flags = parseFlags(meanwhile.flags);
        return { id: e.id, status: 'duplicate', serverSeq: meanwhile.serverSeq, ...(flags.length ? { flags } : {}) };
      }
    }
    const state = stateText !== undefined ? (JSON.parse(stateText) as CaseProjection) : null;
    if (state && state.case.officeCode !== office) throw new Refusal('other_office', { office: state.case.officeCode });
    // Another workstation's act already holds this place in the case's line: a conflict, never merged.
    if (state && e.caseVersion < state.case.version) throw new Refusal('conflict', { version: state.case.version }, true);
    if ((state?.case.version ?? 0) < e.caseVersion) throw new Refusal('chain_broken', { version: state?.case.version ?? 0 });
    let next: CaseProjection;
    try {
      next = projectEvent(state, event, legacyOf(e));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const reason = FROM_CATALOGUE[error.code] ?? 'not_allowed_now';
      throw new Refusal(reason, { code: error.code, ...error.params }, reason === 'conflict');
    }
    if (next.case.officeCode !== office) throw new Refusal('other_office', { office: next.case.officeCode });
    const named = blobsNamed(JSON.parse(e.payload) as unknown);
    const have = await blobsPresent(tx, office, named);
    const missing = named.find((s) => !have.has(s));
    if (missing) throw new Refusal('blob_missing', { sha256: missing });
    // A resolution names a conflict the office has (a workstation never invents one). One resolved already by
    // another workstation's act meanwhile: that act holds the place, this one is a conflict in its turn (two people
    // never close both cases of a family, each thinking the other one the duplicate).
    const resolves = e.type === 'conflict.resolved' ? (JSON.parse(e.payload) as { conflictId: string; resolution: string }) : null;
    const conflictNamed = resolves?.conflictId ?? (e.type === 'case.closed_as_duplicate' ? (JSON.parse(e.payload) as { conflictId: string }).conflictId : null);
    if (conflictNamed) {
      const known = await conflictStatus(tx, office, conflictNamed);
      if (!known) throw new Refusal('not_allowed_now', { code: 'conflict.not_found' });
      if (known.status === 'resolved') throw new Refusal('conflict', { code: 'conflict.already_resolved', holding: known.resolvedBy ?? '' }, true);
    }
    // The clock flags, measured against the server's clock and the device's offset recorded at this request.
    const offset = device.clockOffsetMs !== undefined ? device.clockOffsetMs : await deviceClockOffset(tx, device);
    const previousAt = e.seq > 1 ? ((await eventsAt(tx, office, [{ caseId: e.caseId, seq: e.seq - 1 }])).get(e.caseId) ?? null) : null;
    const flags = flagsOf(e, { serverNow: (opts.now?.() ?? new Date()).getTime(), deviceOffsetMs: offset ?? null, previousAt });
    const deviceName = `${device.officeCode}/${device.workstationCode}`;
    const numbers = [next.case.caseNumber, next.journal?.journalNumber, next.journal?.decisionNumber];
    const seq = await appendBatch(tx, office, [{ event: e, device: deviceName, flags }], [{ caseId: e.caseId, c: next.case, state: next, lastRow: 1 }], numbers);
    // Resolved once: a second resolution (made elsewhere meanwhile) is kept in its case's line, the first stands.
    if (resolves) await resolveConflict(tx, office, resolves.conflictId, e.id, resolves.resolution);
    // The same family opened twice while apart: both cases are kept, and a person decides which one goes on.
    let conflictId: string | undefined;
    if (OPENING.has(e.type)) {
      const other = (await openCasesOfApplicants(tx, office, [next.case.applicantIin], CLOSED_STAGES)).get(next.case.applicantIin)?.find((c) => c !== e.caseId);
      if (other) {
        const holding = await eventIdAt(tx, office, other, 1);
        await recordConflict(tx, office, deviceName, { id: e.id, kind: 'same_family', caseId: e.caseId, otherCaseId: other, holdingEventId: holding ?? other, losing: [e] });
        conflictId = e.id;
      }
    }
    if (next.case.centerCode) await copyToCenterFeed(tx, next.case.centerCode, office, seq);
    return { id: e.id, status: 'applied', serverSeq: seq, ...(flags.length ? { flags } : {}), ...(conflictId ? { conflictId } : {}) };
  });
}

/** Stores the losing act of a same-version conflict, whole and signed, beside the act that holds its place. */
async function keepConflict(store: Store, device: Device, office: string, e: WireEvent, holdingEventId?: string): Promise<string> {
  return store.transaction(async (tx) => {
    const holding = holdingEventId ?? (await eventIdAt(tx, office, e.caseId, e.seq));
    await recordConflict(tx, office, `${device.officeCode}/${device.workstationCode}`, { id: e.id, kind: 'same_version', caseId: e.caseId, otherCaseId: null, holdingEventId: holding ?? '', losing: [e] });
    return e.id;
  });
}

/** The end of the run of `events[i]`'s case that starts at `i` (its events one after the other). */
function runEnd(events: readonly WireEvent[], i: number): number {
  let j = i;
  while (j < events.length && events[j]!.caseId === events[i]!.caseId) j++;
  return j;
}

/**
 * Applies a device's pushed events in order. After a case's event is refused, that case's later events in the push
 * are refused too (they were made on top of it); other cases go on. An event that loses its place to another
 * workstation's act is kept as a conflict, and so are the events made on top of it (by the hash chain).
 */
export async function applyPush(store: Store, device: Device, trust: TrustStore, events: readonly WireEvent[], opts: ApplyOptions = {}): Promise<PushResult[]> {
  const stopped = new Set<string>();
  /** A case's conflict in this push and the hashes of its losing chain: the acts made on top of them join it. */
  const conflicted = new Map<string, { id: string; chain: Set<string>; office: string }>();
  // Each signer's role as the device's office's staff register says on the act's day (never the certificate's).
  const context = device.staffHead === undefined ? await pushContext(store, device.officeCode) : await currentPushContext(store, device.officeCode, device.staffHead);
  const verdicts = await verifyPush(events, device, trust, opts, context.register);
  // A Center's device writes into its districts' partitions after placing each event: event by event.
  const center = centerOfOffice(device.officeCode, context.office);
  const one: OneOptions = { ...opts, verdicts, center };
  const serverNow = () => (opts.now?.() ?? new Date()).getTime();
  // Every case's run of the push handed to the office's queue at once: it joins the other pushes' runs in one
  // transaction. What a run leaves (its first event that needs a reason, and the rest) goes event by event below.
  const runStarts: number[] = [];
  for (let i = 0; i < events.length; i++) if (i === 0 || events[i]!.caseId !== events[i - 1]!.caseId) runStarts.push(i);
  const fastAt = new Map<number, RunApplied>();
  if (!center) {
    const wanted = new Set<string>();
    // A case seen twice in the push (its events not together): only its first run goes the fast way.
    const starts = runStarts.filter((i) => !wanted.has(events[i]!.caseId) && wanted.add(events[i]!.caseId));
    const runs = starts.map((i) => ({ device, serverNow: serverNow(), run: fastCandidates(events.slice(i, runEnd(events, i)), verdicts) }));
    const applied = await applyFast(store, device.officeCode, runs);
    starts.forEach((i, k) => fastAt.set(i, applied[k]!));
  }
  const results: PushResult[] = [];
  for (let i = 0; i < events.length; ) {
    const e = events[i]!;
    const fast = fastAt.get(i);
    if (fast && fast.results.length > 0) {
      results.push(...fast.results);
      i += fast.results.length;
      continue;
    }
    i++;
    const conflict = conflicted.get(e.caseId);
    if (conflict && e.prevHash !== null && conflict.chain.has(e.prevHash)) {
      await joinConflictOf(store, conflict.office, conflict.id, e);
      conflict.chain.add(e.hash);
      results.push({ id: e.id, status: 'conflict', reason: 'after_conflict', conflictId: conflict.id });
      continue;
    }
    if (stopped.has(e.caseId)) {
      results.push({ id: e.id, status: 'refused', reason: 'after_refusal' });
      continue;
    }
    let result: PushResult;
    try {
      try {
        result = await applyOne(store, device, e, one);
      } catch (error) {
        // Two instances applying the same event (a duplicated request) or two events of one new case at once: the
        // second finds what the first wrote when it tries again.
        if (!isUniqueViolation(error)) throw error;
        result = await applyOne(store, device, e, one);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      result = { id: e.id, status: error.conflict ? 'conflict' : 'refused', reason: error.reason, params: error.params };
      const office = error.office ?? device.officeCode;
      if (error.conflict) {
        result.conflictId = await keepConflict(store, device, office, e, typeof error.params.holding === 'string' ? error.params.holding : undefined);
        conflicted.set(e.caseId, { id: result.conflictId, chain: new Set([e.hash]), office });
      }
      await recordRefusal(store, office, e, error.reason, error.params, `${device.officeCode}/${device.workstationCode}`);
    }
    // A conflict stops only its own chain: an act the workstation made since on the server's line goes on.
    if (result.status === 'refused') stopped.add(e.caseId);
    results.push(result);
    // Applied here (a same-family opening, say): the acts made on top of it in this run go the fast way again.
    if (result.status === 'applied' && !center && events[i]?.caseId === e.caseId && !fastAt.has(i)) {
      const run = fastCandidates(events.slice(i, runEnd(events, i)), verdicts);
      if (run.length > 0) fastAt.set(i, (await applyFast(store, device.officeCode, [{ device, serverNow: serverNow(), run }]))[0]!);
    }
  }
  return results;
}
