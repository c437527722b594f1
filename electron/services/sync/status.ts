/** The sync status and problems as the screens show them. */
import type { SyncProblems, SyncStatusView } from '../../../shared/contract/types';
import { CLOCK_TOLERANCE_MS } from '../../../shared/contract/sync-protocol';
import { heldEvents, refusedEvents, syncCounts } from '../../../db/repositories/sync';
import { flaggedCount, flaggedEvents, openConflictCount, settledRefusals } from '../../../db/repositories/conflicts';
import type { ServicesContext } from '../context';
import { syncState } from './agent';
import { syncSettings } from './settings';

/** A device clock further than this from the server's is shown as a warning (it never decides an order). */
export const CLOCK_SKEW_WARNING_MS = CLOCK_TOLERANCE_MS;

export function syncStatus(ctx: ServicesContext): SyncStatusView {
  const settings = syncSettings(ctx.db);
  const state = syncState(ctx);
  const counts = syncCounts(ctx.db);
  return {
    configured: settings !== null,
    serverUrl: settings?.serverUrl ?? null,
    enrolled: state.enrolled,
    online: state.lastSuccessAt !== null && state.lastError === null,
    waiting: counts.pending,
    lastSuccessAt: state.lastSuccessAt,
    lastAttemptAt: state.lastAttemptAt,
    lastError: state.lastError,
    // A losing act whose conflict a person resolved is settled: it stays listed, no longer counted.
    problems: counts.refused - settledRefusals(ctx.db) + counts.held,
    clockOffsetMs: state.clockOffsetMs,
    clockSkewWarning: state.clockOffsetMs !== null && Math.abs(state.clockOffsetMs) > CLOCK_SKEW_WARNING_MS,
    conflicts: openConflictCount(ctx.db),
    flagged: flaggedCount(ctx.db),
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
    held: heldEvents(ctx.db).map((h) => ({ eventId: h.eventId, caseId: h.caseId, caseNumber: h.caseNumber, reason: h.reason, params: JSON.parse(h.params) as Record<string, unknown>, at: h.at, type: (JSON.parse(h.event) as { type: string }).type })),
  };
}
