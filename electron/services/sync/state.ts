/**
 * What this workstation's sync remembers between rounds (its enrolment, its cursor, the last success and error, the
 * clock offset, a busy server's retry time) and what a round reports.
 */
import type { ServicesContext } from '../context';
import { readSetting, writeSetting } from '../../../db/repositories/settings';
import type { ReferenceRoundReport } from '../reference-sync';
import type { StaffRoundReport } from '../staff-sync';

export interface SyncState {
  enrolled: { officeCode: string; workstationCode: string; at: string } | null;
  cursor: string;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: { code: string; params?: Record<string, unknown> } | null;
  /** The device's clock minus the server's, measured at the last round (milliseconds). */
  clockOffsetMs: number | null;
  /** The server said busy (or too many requests): when the next round goes, and how many such answers in a row. */
  retryAt?: string | null;
  busyStreak?: number;
}

export interface RoundReport {
  pushed: number;
  pulled: number;
  refused: number;
  conflicts: number;
  held: number;
  waiting: number;
  completed: boolean;
  /** Requests of the round the server answered with success: a round cut short after some of them met a working, lossy link. */
  answered: number;
  /** The reference data from the center, pulled by its own cursor in the same round (reference-sync.ts). */
  reference?: ReferenceRoundReport;
  /** The offices' staff registers, pushed and pulled before the events (staff-sync.ts). */
  staff?: StaffRoundReport;
  /** The server was busy: wait this long before the next round (./backoff.ts). */
  retryAfterMs?: number;
}

const STATE_KEY = 'syncState';
const EMPTY: SyncState = { enrolled: null, cursor: '0', lastSuccessAt: null, lastAttemptAt: null, lastError: null, clockOffsetMs: null };

export function syncState(ctx: Pick<ServicesContext, 'db'>): SyncState {
  return { ...EMPTY, ...(readSetting<SyncState>(ctx.db, STATE_KEY) ?? {}) };
}
export function saveState(ctx: Pick<ServicesContext, 'db'>, change: Partial<SyncState>): SyncState {
  const next = { ...syncState(ctx), ...change };
  writeSetting(ctx.db, STATE_KEY, next);
  return next;
}

/**
 * A workstation restored from a backup enrols again at its next round: the server then tells it the highest
 * numbers it ever issued (some after the backup was made), and its sequences continue above them.
 */
export function forgetEnrolment(ctx: Pick<ServicesContext, 'db'>): void {
  saveState(ctx, { enrolled: null, lastError: null });
}

/**
 * Where this workstation's round is now (enrol, registers, push, pull: page, files, signatures; reference),
 * for the log when a round is held: a held round fails nothing, so nothing else says where it waits.
 */
const steps = new WeakMap<object, string>();
export const roundStep = (ctx: object): string => steps.get(ctx) ?? 'none';
export const markStep = (ctx: object, step: string): void => void steps.set(ctx, step);
