/**
 * The Backup screen's services: the administrator's settings, a backup made now through the app's own connection
 * (the app keeps working meanwhile), and the last good one for the header. Only a backup that verified is recorded.
 */
import path from 'node:path';
import { readSetting, readWorkstation, writeSetting } from '../../../db/repositories/settings';
import type { BackupSettings, BackupStatus } from '../../../shared/contract/areas/backup';
import { AppError } from '../../../shared/errors';
import type { ServicesContext } from '../context';
import { createBackup } from './create';
import { restoreBackup } from './restore';
import { scheduleSwitch } from './switch';
import { countCases } from '../../../db/repositories/cases';

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
    /**
     * A fresh workstation (not set up, no case) restored from a backup: into a new folder beside its own, switched
     * to at the next start. A workstation in use is never replaced from a screen.
     */
    async restore(input: { from: string; passphrase: string }) {
      if (readWorkstation(ctx.db) || countCases(ctx.db) > 0) throw new AppError('backup.restore_fresh_only');
      if (!path.isAbsolute(input.from)) throw new AppError('validation', undefined, { from: 'field.invalid' });
      const target = `${ctx.dataDir}.restored-${ctx.realNow().toISOString().replace(/[-:.]/g, '')}`;
      const r = await restoreBackup({ from: input.from, dataDir: target, passphrase: input.passphrase, onProgress: (progress) => ctx.push({ type: 'backup.progress', progress }) });
      ctx.push({ type: 'backup.progress', progress: null });
      scheduleSwitch(ctx.dataDir, r.dataDir);
      return { officeCode: r.header.officeCode, workstationCode: r.header.workstationCode, createdAt: r.header.createdAt, cases: r.manifest.database.cases, restartNeeded: true as const };
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
