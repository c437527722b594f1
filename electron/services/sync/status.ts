/** The sync status and problems as the screens show them. */
import type { SyncProblems, SyncStatusView } from '../../../shared/contract/types';
import { CLOCK_TOLERANCE_MS } from '../../../shared/contract/sync-protocol';
import { heldEvents, refusedEvents, syncCounts } from '../../../db/repositories/sync';
import { flaggedCount, flaggedEvents, openConflictCount, settledRefusals } from '../../../db/repositories/conflicts';
import type { ServicesContext } from '../context';
import { syncState } from './agent';
import { BUSY_CODES } from './backoff';
import { syncSettings } from './settings';
import { pullProgress } from './progress';
import { referenceCounts, refusedReferenceActs } from '../../../db/repositories/reference-acts';
import { referenceSourceSchema, type ReferenceAct } from '../../../shared/contract/reference-protocol';

export function syncStatus(ctx: ServicesContext): SyncStatusView {
  const settings = syncSettings(ctx.db);
  const state = syncState(ctx);
  const counts = syncCounts(ctx.db);
  const reference = referenceCounts(ctx.db);
  return {
    configured: settings !== null,
    serverUrl: settings?.serverUrl ?? null,
    enrolled: state.enrolled,
    online: state.lastSuccessAt !== null && state.lastError === null,
    // The reference acts entered here wait too: the header counts them with the cases' acts.
    waiting: counts.pending + reference.pending,
    lastSuccessAt: state.lastSuccessAt,
    lastAttemptAt: state.lastAttemptAt,
    lastError: state.lastError,
    // A losing act whose conflict a person resolved is settled: it stays listed, no longer counted.
    problems: counts.refused - settledRefusals(ctx.db) + counts.held + reference.refused,
    clockOffsetMs: state.clockOffsetMs,
    clockSkewWarning: state.clockOffsetMs !== null && Math.abs(state.clockOffsetMs) > CLOCK_TOLERANCE_MS, // a warning only: the clock never decides an order
    conflicts: openConflictCount(ctx.db),
    flagged: flaggedCount(ctx.db),
    progress: pullProgress(ctx),
    // The server said busy: when the agent tries again (the header says so, in Almaty time).
    busyRetryAt: state.lastError && BUSY_CODES.has(state.lastError.code) ? (state.retryAt ?? null) : null,
  };
}

const parsed = (text: string | null): { code: string; params?: Record<string, unknown> } | null => {
  if (!text) return null;
  try {
    return JSON.parse(text) as { code: string; params?: Record<string, unknown> };
  } catch {
    return { code: text };
  }
};

export function syncProblems(ctx: ServicesContext): SyncProblems {
  return {
    refused: refusedEvents(ctx.db).map((r) => ({ ...r, error: parsed(r.error) })),
    flagged: flaggedEvents(ctx.db).map((f) => ({ ...f, flags: JSON.parse(f.flags) as string[] })),
    reference: refusedReferenceActs(ctx.db).map((r) => {
      const act = JSON.parse(r.act) as Partial<ReferenceAct>;
      return { id: r.id, kind: r.kind, reason: r.reason ?? '', origin: r.origin, source: referenceSourceSchema.safeParse(act.source).data ?? null, signerIin: typeof act.signer?.iin === 'string' ? act.signer.iin : null, at: r.recorded_at };
    }),
    held: heldEvents(ctx.db).map((h) => ({ eventId: h.eventId, caseId: h.caseId, caseNumber: h.caseNumber, reason: h.reason, params: JSON.parse(h.params) as Record<string, unknown>, at: h.at, type: (JSON.parse(h.event) as { type: string }).type })),
  };
}
