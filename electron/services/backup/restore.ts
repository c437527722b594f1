/**
 * Restores a backup into a new data folder: everything is written into a private folder beside it
 * (`NEW.restoring-…`), checked (every file against the manifest, the database by SQLite), made ready to join the
 * office again, and only then renamed to NEW in one step. A live data folder is never written; a kill at any
 * moment leaves NEW absent (or as it was) and a `.restoring-` folder the next restore removes.
 *
 * Joining again: the restored workstation forgets its enrolment, so its next sync round enrols it afresh and the
 * server answers with the highest numbers this workstation ever issued (those made after the backup too); its
 * sequences continue above them. Its acts that were sent after the backup are sent again and the server
 * recognises them (a replay is a no-op); what others did since is pulled. No number is reused, no log forked.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../../db/open';
import { RESTORED_KEY, writeSetting } from '../../../db/repositories/settings';
import { AppError } from '../../../shared/errors';
import { DATA_FILES } from '../data-files';
import { forgetEnrolment } from '../sync/agent';
import { syncSettings } from '../sync/settings';
import { readArchive } from './archive-reader';
import { isDriveFull, megabytes } from './drive-full';
import type { Manifest } from './archive';
import type { BackupHeader } from './format';
import { progressTracker, type BackupProgress } from './progress';
import { resolveBackup } from './rotation';
import { checkDatabase, refuseOtherOffice } from './verify';

export interface RestoredBackup {
  dataDir: string;
  file: string;
  header: BackupHeader;
  manifest: Manifest;
}

const STAGING = '.restoring-';

function isEmptyOrAbsent(dir: string): boolean {
  if (!existsSync(dir)) return true;
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/** A name from the archive as a path inside `root`, never outside it (the names are authenticated, and checked anyway). */
function inside(root: string, name: string): string {
  const target = path.resolve(root, name);
  if (!target.startsWith(root + path.sep) || name.includes('\0')) throw new AppError('backup.tampered');
  return target;
}

export async function restoreBackup(opts: { from: string; dataDir: string; passphrase: string; officeCode?: string; onProgress?: (p: BackupProgress) => void }): Promise<RestoredBackup> {
  const file = resolveBackup(opts.from);
  const target = path.resolve(opts.dataDir);
  if (!isEmptyOrAbsent(target)) throw new AppError('backup.target_not_empty', { dir: target });
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  // What a killed restore into the same place left.
  for (const n of readdirSync(parent)) if (n.startsWith(`${path.basename(target)}${STAGING}`)) rmSync(path.join(parent, n), { recursive: true, force: true });
  const staging = `${target}${STAGING}${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { mode: 0o700 });
  const archiveSize = (await fsp.stat(file)).size;
  const progress = progressTracker('restore', archiveSize, opts.onProgress);
  let out: fsp.FileHandle | null = null;
  try {
    let outName = '';
    const { header, manifest } = await readArchive(
      file,
      opts.passphrase,
      {
        start: async (name) => {
          const dest = inside(staging, name);
          mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
          outName = dest;
          out = await fsp.open(dest, 'wx', 0o600);
        },
        data: async (bytes) => {
          await out!.write(bytes);
        },
        end: async () => {
          await out!.sync();
          await out!.close();
          out = null;
          // A blob is read-only to its owner, as the blob store writes it.
          if (outName.includes(`${path.sep}${DATA_FILES.blobsDir}${path.sep}`)) await fsp.chmod(outName, 0o400);
        },
      },
      (n) => progress.add(n),
      (h) => refuseOtherOffice(h, opts.officeCode),
    );
    const dbFile = path.join(staging, DATA_FILES.database);
    checkDatabase(dbFile, manifest);
    const db = openDatabase(dbFile);
    try {
      forgetEnrolment({ db });
      // A workstation that syncs issues no number before it enrols again (db/repositories/settings.ts).
      writeSetting(db, RESTORED_KEY, { file: path.basename(file), createdAt: header.createdAt, restoredAt: new Date().toISOString(), rejoin: syncSettings(db) !== null });
    } finally {
      db.close();
    }
    if (existsSync(target)) rmdirSync(target);
    await fsp.rename(staging, target);
    progress.finish();
    return { dataDir: target, file, header, manifest };
  } catch (error) {
    // A file cut off by the failure is closed before its folder goes (an open file keeps its drive busy).
    await (out as fsp.FileHandle | null)?.close().catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
    if (isDriveFull(error)) throw new AppError('backup.drive_full', { dir: parent, needed: megabytes(archiveSize) });
    throw error;
  }
}
