/**
 * The Backup screen's services: the administrator's settings, a backup made now through the app's own connection
 * (the app keeps working meanwhile), and the last good one for the header. Only a backup that verified is recorded.
 */
import path from 'node:path';
import { readSetting, writeSetting } from '../../../db/repositories/settings';
import type { BackupSettings, BackupStatus } from '../../../shared/contract/areas/backup';
import { AppError } from '../../../shared/errors';
import type { ServicesContext } from '../context';
import { createBackup } from './create';

const SETTINGS = 'backupSettings';
const LAST = 'backupLast';
/** Until the administrator says otherwise: a week of backups, and a reminder after a day without one. */
const DEFAULTS: BackupSettings = { folder: null, keep: 7, remindDays: 1 };
const DAY_MS = 86_400_000;

export function backupServices(ctx: ServicesContext) {
  const settings = (): BackupSettings => ({ ...DEFAULTS, ...(readSetting<Partial<BackupSettings>>(ctx.db, SETTINGS) ?? {}) });
  let running = false;
  return {
    status(): BackupStatus {
      const last = readSetting<BackupStatus['last']>(ctx.db, LAST);
      const s = settings();
      const daysSince = last ? Math.floor((ctx.realNow().getTime() - Date.parse(last.at)) / DAY_MS) : null;
      return { settings: s, last, daysSince, overdue: daysSince === null || daysSince >= s.remindDays };
    },
    configure(input: { folder: string; keep: number; remindDays: number }): BackupSettings {
      // A folder is named by its full path: a relative one would depend on where the app was started.
      if (!path.isAbsolute(input.folder)) throw new AppError('validation', undefined, { folder: 'field.invalid' });
      writeSetting(ctx.db, SETTINGS, input);
      return settings();
    },
    async create(input: { passphrase: string }) {
      const s = settings();
      if (!s.folder) throw new AppError('validation', undefined, { folder: 'field.required' });
      if (running) throw new AppError('backup.running');
      running = true;
      try {
        const made = await createBackup({ dataDir: ctx.dataDir, db: ctx.db, outDir: s.folder, passphrase: input.passphrase, appVersion: ctx.appVersion, keep: s.keep, onProgress: (progress) => ctx.push({ type: 'backup.progress', progress }) });
        writeSetting(ctx.db, LAST, { at: made.createdAt, file: made.file, size: made.size });
        return { file: made.file, size: made.size, createdAt: made.createdAt, cases: made.cases, blobs: made.blobs, missingBlobs: made.missingBlobs.length, removed: made.removed.length };
      } finally {
        running = false;
        ctx.push({ type: 'backup.progress', progress: null });
      }
    },
  };
}
