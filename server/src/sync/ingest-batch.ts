/**
 * The fast way to apply pushed events: many cases' runs (consecutive events of one case, from one push or from
 * several devices' pushes at once) in ONE transaction, each case's state folded forward in memory with the same pure
 * projection, every read and write set-based (a batch of N runs costs the same four or five round trips as one run), the
 * numbers of the office's order taken as one block at the end. Of each run it applies the longest prefix that needs
 * nothing unusual (no replay, no refusal, no conflict, no Center device, no resolution of a conflict) and hands the
 * rest to the event-by-event path (./apply.ts), which answers those exactly as before. Either the whole batch is
 * applied or none of it.
 */
import { DomainError } from '../../../shared/domain/errors';
import { projectEvent, type CaseProjection } from '../../../shared/events/projection';
import { blobsNamed, eventOfWire, flagsOf, type PushResult, type WireEvent } from '../../../shared/contract/sync-protocol';
import type { Queryable, Store } from '../store';
import { appendBatch, batchBasis, openCasesOfApplicants, type BatchRow, type CaseWrite } from '../store/events-write';
import { copyToCenterFeed } from './center';
import { CLOSED_STAGES, legacyOf, OPENING, type Device, type Verdict } from './ingest-rules';

/** Types whose apply reads or writes conflicts: always the event-by-event path. */
const BY_ONE = new Set(['conflict.resolved', 'case.closed_as_duplicate']);

export interface RunApplied {
  results: PushResult[];
}

export const NONE: RunApplied = { results: [] };

/** A case's run as a push hands it over: its device, its events in the push's order, the server's clock then. */
export interface PushedRun {
  device: Device;
  run: readonly WireEvent[];
  serverNow: number;
}

/** The run's events the fast way may try: those verified, up to the first that always goes event by event. */
export function fastCandidates(run: readonly WireEvent[], verdicts: ReadonlyMap<string, Verdict>): WireEvent[] {
  let n = 0;
  while (n < run.length && verdicts.get(run[n]!.id)?.ok === true && !BY_ONE.has(run[n]!.type)) n++;
  return run.slice(0, n);
}

/** One run folded: the events accepted, each with the state after it. */
interface Folded {
  item: PushedRun;
  accepted: { e: WireEvent; next: CaseProjection }[];
}

/**
 * Applies the runs of one office (each run a different case, its events all verified) in one transaction.
 * Returns, per run, the results of the prefix it applied.
 */
export async function applyRuns(store: Store, office: string, items: readonly PushedRun[]): Promise<RunApplied[]> {
  const runs = items.filter((x) => x.run.length > 0);
  if (runs.length === 0) return items.map(() => NONE);
  return store.transaction(async (tx) => {
    const named = new Map(runs.flatMap((x) => x.run.map((e) => [e.id, blobsNamed(JSON.parse(e.payload) as unknown)] as const)));
    // A run that applies anything applies its first event: the time of the act before it is read with the states.
    const firsts = runs.map((x) => x.run[0]!).filter((e) => e.seq > 1);
    const basis = await batchBasis(
      tx,
      office,
      runs.map((x) => x.run[0]!.caseId),
      runs.flatMap((x) => x.run.map((e) => e.id)),
      [...new Set([...named.values()].flat())],
      firsts.map((e) => ({ caseId: e.caseId, seq: e.seq - 1 })),
    );
    // A replay (a push cut short and sent again): the event-by-event path answers each one as a duplicate.
    const folded: Folded[] = runs.map((item) => fold(item, office, basis.states.get(item.run[0]!.caseId) ?? null, basis.replayed, (e) => named.get(e.id)!.every((sha) => basis.blobs.has(sha))));
    await cutSecondOpenings(tx, office, folded);
    const kept = folded.filter((f) => f.accepted.length > 0);
    if (kept.length === 0) return items.map(() => NONE);

    const rows: BatchRow[] = [];
    const cases: CaseWrite[] = [];
    for (const f of kept) {
      const device = `${f.item.device.officeCode}/${f.item.device.workstationCode}`;
      let previousAt = basis.before.get(f.accepted[0]!.e.caseId) ?? null;
      for (const { e } of f.accepted) {
        rows.push({ event: e, device, flags: flagsOf(e, { serverNow: f.item.serverNow, deviceOffsetMs: f.item.device.clockOffsetMs ?? null, previousAt }) });
        previousAt = e.at;
      }
      const last = f.accepted.at(-1)!.next;
      cases.push({ caseId: f.accepted[0]!.e.caseId, c: last.case, state: last, lastRow: rows.length });
    }
    // The office's order row is locked only by the append and the commit.
    const numbers = kept.flatMap((f) => f.accepted.flatMap(({ next }) => [next.case.caseNumber, next.journal?.journalNumber, next.journal?.decisionNumber]));
    const firstSeq = await appendBatch(tx, office, rows, cases, numbers);

    const answers = new Map<PushedRun, RunApplied>();
    let at = 0;
    for (const f of kept) {
      const centerCode = f.accepted.at(-1)!.next.case.centerCode;
      for (let i = 0; i < f.accepted.length; i++) if (centerCode) await copyToCenterFeed(tx, centerCode, office, firstSeq + at + i);
      answers.set(f.item, {
        results: rows.slice(at, at + f.accepted.length).map((r, i) => ({ id: r.event.id, status: 'applied' as const, serverSeq: firstSeq + at + i, ...(r.flags.length ? { flags: r.flags } : {}) })),
      });
      at += f.accepted.length;
    }
    return items.map((x) => answers.get(x) ?? NONE);
  });
}

/** The run's events that go on the case's head in order, the catalogue allowing each (nothing written yet). */
function fold(item: PushedRun, office: string, stateText: string | null, replayed: ReadonlySet<string>, blobsHere: (e: WireEvent) => boolean): Folded {
  const accepted: Folded['accepted'] = [];
  if (item.run.some((e) => replayed.has(e.id))) return { item, accepted };
  let state = stateText ? (JSON.parse(stateText) as CaseProjection) : null;
  if (state && state.case.officeCode !== office) return { item, accepted };
  for (const e of item.run) {
    // Not on top of the case's head (a conflict, a gap): the event-by-event path names the reason.
    if (e.caseVersion !== (state?.case.version ?? 0)) break;
    let next: CaseProjection;
    try {
      // Its contents were checked against its schema with its signature (its verdict): not parsed through it again.
      next = projectEvent(state, eventOfWire(e), legacyOf(e), { trusted: true });
    } catch (error) {
      if (error instanceof DomainError) break;
      throw error;
    }
    if (next.case.officeCode !== office) break;
    if (!blobsHere(e)) break;
    accepted.push({ e, next });
    state = next;
  }
  return { item, accepted };
}

/**
 * The same family opened twice (another open case of the applicant, in the office or earlier in this batch): the
 * opening and what follows it go the event-by-event path, which keeps the conflict for a person to resolve.
 */
async function cutSecondOpenings(tx: Queryable, office: string, folded: Folded[]): Promise<void> {
  const openings = folded.flatMap((f) => f.accepted.filter(({ e }) => OPENING.has(e.type)).map(({ e, next }) => ({ f, e, iin: next.case.applicantIin })));
  if (openings.length === 0) return;
  const open = await openCasesOfApplicants(tx, office, [...new Set(openings.map((o) => o.iin))], CLOSED_STAGES);
  const openedHere = new Set<string>();
  for (const o of openings) {
    const elsewhere = (open.get(o.iin) ?? []).some((caseId) => caseId !== o.e.caseId) || openedHere.has(o.iin);
    const at = o.f.accepted.findIndex((a) => a.e === o.e);
    if (at < 0) continue;
    if (elsewhere) o.f.accepted.splice(at);
    else openedHere.add(o.iin);
  }
}
