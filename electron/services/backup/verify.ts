/**
 * A backup verified as a restore would read it: every chunk decrypted and authenticated, every file hashed against
 * the manifest, and the database taken out into a private temporary folder and checked by SQLite
 * (`PRAGMA integrity_check`) and against the manifest's counts. Only then is a backup called good.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../db/open';
import { integrityCheck, snapshotFacts } from '../../../db/repositories/backup';
import { AppError } from '../../../shared/errors';
import { readArchive } from './archive-reader';
import type { Manifest } from './archive';
import type { BackupHeader, Keys } from './format';
import { progressTracker, type BackupProgress } from './progress';

export interface VerifiedBackup {
  file: string;
  header: BackupHeader;
  manifest: Manifest;
  size: number;
}

/** A private temporary folder (0700) under `parent` (else the system's), removed by the caller. */
export function privateTemp(parent?: string): string {
  const base = parent ?? os.tmpdir();
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const dir = path.join(base, `jardem-backup-${randomBytes(6).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** A backup of another office is refused before anything is read with the passphrase. */
export function refuseOtherOffice(header: BackupHeader, mine: string | undefined): void {
  if (mine && header.officeCode !== mine) throw new AppError('backup.other_office', { office: header.officeCode, mine });
}

/** Checks that the database file at `file` is whole and holds what the manifest says. */
export function checkDatabase(file: string, manifest: Manifest): void {
  let db;
  try {
    db = openDatabase(file, { readonly: true });
  } catch {
    throw new AppError('backup.database_damaged', { problem: 'open' });
  }
  try {
    const integrity = integrityCheck(db);
    if (integrity !== 'ok') throw new AppError('backup.database_damaged', { problem: integrity.slice(0, 200) });
    const facts = snapshotFacts(db);
    if (facts.cases !== manifest.database.cases || facts.events !== manifest.database.events) throw new AppError('backup.database_damaged', { problem: 'counts' });
  } finally {
    db.close();
  }
}

export async function verifyBackup(file: string, passphrase: string, opts: { officeCode?: string; tmpParent?: string; onProgress?: (p: BackupProgress) => void; keys?: Keys; damagedBlobs?: string[] } = {}): Promise<VerifiedBackup> {
  const size = statSync(file).size;
  const tmp = privateTemp(opts.tmpParent);
  const progress = progressTracker('verify', size, opts.onProgress);
  let out: fsp.FileHandle | null = null;
  try {
    const dbFile = path.join(tmp, 'check.sqlite');
    let dbName = '';
    const { header, manifest } = await readArchive(
      file,
      passphrase,
      {
        // Only the database is written out (to be checked by SQLite); every other file is hashed in passing.
        start: async (name) => {
          if (!dbName && name.endsWith('.sqlite') && !name.includes('/')) {
            dbName = name;
            out = await fsp.open(dbFile, 'wx', 0o600);
          }
        },
        data: async (bytes) => {
          if (out) await out.write(bytes);
        },
        end: async () => {
          if (out) await out.close();
          out = null;
        },
      },
      (n) => progress.add(n),
      (header) => refuseOtherOffice(header, opts.officeCode),
      { keys: opts.keys, damagedBlobs: opts.damagedBlobs },
    );
    if (!dbName || manifest.database.name !== dbName) throw new AppError('backup.tampered');
    checkDatabase(dbFile, manifest);
    progress.finish();
    return { file, header, manifest, size };
  } finally {
    // Open still when the archive failed part way through the database.
    await (out as fsp.FileHandle | null)?.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}
