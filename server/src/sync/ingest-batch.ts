/**
 * The fast way to apply a case's run of pushed events: one transaction for the run, the case's state folded forward
 * in memory with the same pure projection, the numbers taken as one block and the events inserted together. It
 * applies the longest prefix of the run that needs nothing unusual (no replay, no refusal, no conflict, no Center
 * device, no resolution of a conflict) and hands the rest to the event-by-event path (./apply.ts), which answers
 * those exactly as before. Either the whole prefix is applied or none of it.
 */
import { DomainError } from '../../../shared/domain/errors';
import { projectEvent, type CaseProjection } from '../../../shared/events/projection';
import { blobsNamed, eventOfWire, flagsOf, type PushResult, type WireEvent } from '../../../shared/contract/sync-protocol';
import type { Store } from '../store';
import { appendRun, blobsPresent, clearRefusals, eventAt, lockCaseState, openCaseOfApplicant, recordNumbers, storedEvents, type EventRow } from '../store/events-write';
import { copyToCenterFeed } from './center';
import { CLOSED_STAGES, legacyOf, OPENING, type ApplyOptions, type Device, type Verdict } from './ingest-rules';

/** Types whose apply reads or writes conflicts: always the event-by-event path. */
const BY_ONE = new Set(['conflict.resolved', 'case.closed_as_duplicate']);

export interface RunApplied {
  results: PushResult[];
  /** The offices whose feed got new rows (a district's, and a Center's copy). */
  touched: string[];
}

const NONE: RunApplied = { results: [], touched: [] };

/** `run`: consecutive events of one case, in the push's order. Returns the results of the prefix it applied. */
export async function applyCaseRun(store: Store, device: Device, run: readonly WireEvent[], verdicts: ReadonlyMap<string, Verdict>, opts: ApplyOptions): Promise<RunApplied> {
  const office = device.officeCode;
  let n = 0;
  while (n < run.length && verdicts.get(run[n]!.id)?.ok === true && !BY_ONE.has(run[n]!.type)) n++;
  if (n === 0) return NONE;
  const candidates = run.slice(0, n);
  const caseId = candidates[0]!.caseId;
  return store.transaction(async (tx) => {
    const stateText = await lockCaseState(tx, office, caseId);
    // A replay (a push cut short and sent again): the event-by-event path answers each one as a duplicate.
    if ((await storedEvents(tx, office, candidates.map((e) => e.id))).length > 0) return NONE;
    let state = stateText ? (JSON.parse(stateText) as CaseProjection) : null;
    if (state && state.case.officeCode !== office) return NONE;
    const have = await blobsPresent(tx, office, [...new Set(candidates.flatMap((e) => blobsNamed(JSON.parse(e.payload) as unknown)))]);
    const accepted: { e: WireEvent; next: CaseProjection }[] = [];
    for (const e of candidates) {
      // Not on top of the case's head (a conflict, a gap): the event-by-event path names the reason.
      if (e.caseVersion !== (state?.case.version ?? 0)) break;
      let next: CaseProjection;
      try {
        next = projectEvent(state, eventOfWire(e), legacyOf(e));
      } catch (error) {
        if (error instanceof DomainError) break;
        throw error;
      }
      if (next.case.officeCode !== office) break;
      if (!blobsNamed(JSON.parse(e.payload) as unknown).every((s) => have.has(s))) break;
      if (OPENING.has(e.type) && (await openCaseOfApplicant(tx, office, next.case.applicantIin, e.caseId, CLOSED_STAGES))) break;
      accepted.push({ e, next });
      state = next;
    }
    if (accepted.length === 0) return NONE;
    const serverNow = (opts.now?.() ?? new Date()).getTime();
    const first = accepted[0]!.e;
    let previousAt = first.seq > 1 ? await eventAt(tx, office, caseId, first.seq - 1) : null;
    const rows: EventRow[] = [];
    for (const { e } of accepted) {
      rows.push({ event: e, flags: flagsOf(e, { serverNow, deviceOffsetMs: device.clockOffsetMs ?? null, previousAt }) });
      previousAt = e.at;
    }
    // Everything that needs no number first: the office's order row is locked only by the append and the commit.
    await recordNumbers(tx, office, accepted.flatMap(({ next }) => [next.case.caseNumber, next.journal?.journalNumber, next.journal?.decisionNumber]));
    await clearRefusals(tx, office, rows.map((r) => r.event.id));
    const last = accepted.at(-1)!.next;
    const firstSeq = await appendRun(tx, office, `${device.officeCode}/${device.workstationCode}`, rows, caseId, last.case, last);
    const touched = [office];
    if (last.case.centerCode) {
      for (let i = 0; i < rows.length; i++) await copyToCenterFeed(tx, last.case.centerCode, office, firstSeq + i);
      touched.push(last.case.centerCode);
    }
    return {
      touched,
      results: rows.map((r, i) => ({ id: r.event.id, status: 'applied' as const, serverSeq: firstSeq + i, ...(r.flags.length ? { flags: r.flags } : {}) })),
    };
  });
}
