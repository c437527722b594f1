/**
 * What the services tell the screens without being asked, beside the method calls (one stream per host:
 * Electron IPC, or the browser host's event stream behind the same secret). The screens refresh on these
 * instead of polling.
 */
import type { SyncProgress, SyncStatusView } from './types';
import type { BackupProgressView } from './areas/backup';

export type PushEvent =
  /**
   * A case changed: its acts (its version is the newest act's number), or, with `sync`, only what the server holds of
   * it (acts acknowledged or refused; the version the same, the case's sync state not).
   */
  | { type: 'case.changed'; caseId: string; version: number; sync?: true }
  | { type: 'is.answered'; caseId: string; requestId: string }
  /** An information-system request could not go out (no connection, the server failing): it waits and is tried again. */
  | { type: 'is.waiting'; caseId: string; requestId: string }
  | { type: 'scanner.changed'; waiting: number }
  | { type: 'sync.changed'; status: SyncStatusView }
  /** A long pull under way: what has arrived of how much (null when it ended). */
  | { type: 'sync.progress'; progress: SyncProgress | null }
  /** The administrator moved the demo office's clock: screens show the new today. */
  | { type: 'clock.changed'; offsetDays: number; today: string }
  /** The demo office's sample year being made: cases done of how many (null when it ended). */
  | { type: 'demo.progress'; progress: { done: number; total: number } | null }
  /** A backup under way: bytes of how many, throughput and time left (null when it ended). */
  | { type: 'backup.progress'; progress: BackupProgressView | null };
