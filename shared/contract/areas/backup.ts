/** Backup of the workstation: its settings (the office administrator's), making one, and what the header shows. */
import { z } from 'zod';
import { method, STAFF } from '../method-def';

export interface BackupSettings {
  /** The folder (a removable drive, say) backups go to; null until the administrator chooses one. */
  folder: string | null;
  /** This workstation's backups kept there; the oldest beyond are removed after a new one verifies. */
  keep: number;
  /** The header warns when the last good backup is older than this many days. */
  remindDays: number;
}

export interface BackupStatus {
  settings: BackupSettings;
  /** The last backup that verified: when (UTC ISO) and where. */
  last: { at: string; file: string; size: number } | null;
  /** Whole days since the last good backup, or null when there is none. */
  daysSince: number | null;
  /** The header's warning: no good backup within remindDays. */
  overdue: boolean;
}

export interface BackupProgressView {
  phase: 'snapshot' | 'write' | 'verify' | 'restore';
  done: number;
  total: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

export const backupSettingsInput = z
  .object({
    folder: z.string().trim().min(1).max(1000),
    keep: z.number().int().min(1).max(365),
    remindDays: z.number().int().min(1).max(365),
  })
  .strict();
export const backupRestoreInput = z.object({ from: z.string().trim().min(1).max(1000), passphrase: z.string().min(1).max(1000) }).strict();
export const backupCreateInput = z.object({ passphrase: z.string().min(1).max(1000) }).strict();

export const backupMethods = {
  'backup.status': method<BackupStatus>()({
    input: z.object({}).strict(),
    access: STAFF,
    summary: 'The backup settings, the last good backup and whether one is overdue (the header shows it)',
  }),
  'backup.configure': method<BackupSettings>()({
    input: backupSettingsInput,
    // Where the office's data is copied to and how often it is asked for: the administrator's setting.
    access: ['admin'],
    summary: 'Choose the backup folder, how many backups to keep and after how many days to remind (administrator)',
  }),
  'backup.create': method<{ file: string; size: number; createdAt: string; cases: number; blobs: number; missingBlobs: number; removed: number }>()({
    input: backupCreateInput,
    access: STAFF,
    summary: 'Make an encrypted backup in the chosen folder now, verified after writing; progress is pushed (backup.progress)',
  }),
  'backup.restore': method<{ officeCode: string; workstationCode: string; createdAt: string; cases: number; restartNeeded: true }>()({
    input: backupRestoreInput,
    // The first-run screen of a fresh workstation, before anyone can sign in there; refused once it is set up.
    access: 'public',
    summary: 'Restore a fresh workstation from a backup file or folder on this computer; the switch is made at the next start',
  }),
} as const;
