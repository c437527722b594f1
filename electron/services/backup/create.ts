/**
 * Makes a backup while the app keeps working: SQLite's online backup API copies the database page by page between
 * the app's own commits (a consistent snapshot, the app never stopped), then the snapshot, the settings' files
 * (trust store, CRLs, the device's certificate and key) and every blob the snapshot records go through the
 * encrypted stream (format.ts) into a partial file beside the others. It is verified (verify.ts) before it takes
 * its real name; a backup that fails is removed and the error is thrown, never reported as good.
 */
import { closeSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../db/connection';
import { openDatabase } from '../../../db/open';
import { snapshotFacts } from '../../../db/repositories/backup';
import { readWorkstation } from '../../../db/repositories/settings';
import { AppError } from '../../../shared/errors';
import { blobPath, privateDir } from '../blob-store';
import { DATA_FILES } from '../data-files';
import { ArchiveWriter, type ManifestFile } from './archive';
import { isDriveFull, megabytes } from './drive-full';
import { encodeHeader, newHeader, type BackupHeader, type Keys } from './format';
import { progressTracker, type BackupProgress } from './progress';
import { backupFileName, PARTIAL_PREFIX, removeStalePartials, rotate } from './rotation';
import { privateTemp, verifyBackup } from './verify';

export interface CreateOptions {
  dataDir: string;
  /** The live connection (the app's own, or the command line's): the snapshot is taken through it. */
  db: Db;
  outDir: string;
  passphrase: string;
  appVersion: string;
  /** Backups of this workstation kept in `outDir` (the oldest beyond are removed); default all. */
  keep?: number;
  now?: () => Date;
  onProgress?: (p: BackupProgress) => void;
}

export interface CreatedBackup {
  file: string;
  size: number;
  createdAt: string;
  cases: number;
  events: number;
  blobs: number;
  missingBlobs: string[];
  removed: string[];
  seconds: number;
  bytesPerSecond: number;
}

/** Where the snapshot waits while it is written out: inside the data folder (private, the same disk). */
export const BACKUP_TMP = '.backup-tmp';
/** Files of the data folder that are not settings: the live database, its lock, the blobs (taken by the log). */
const NOT_SETTINGS = new Set([DATA_FILES.database, `${DATA_FILES.database}-wal`, `${DATA_FILES.database}-shm`, `${DATA_FILES.database}-journal`, 'jardem.lock', DATA_FILES.blobsDir, BACKUP_TMP]);
/** The database snapshot's pages copied in one step (4 KiB pages). */
const SNAPSHOT_PAGES_A_STEP = 4096;
/** Blobs read between two turns of the event loop. */
const YIELD_EVERY = 32;

/**
 * A blob's file read into one buffer reused from blob to blob (a fresh buffer a file cost more in allocation and
 * collection than the reading): its bytes, or null when the file is missing or not of its recorded size (one byte
 * more than recorded is asked for, so a longer file is seen).
 */
function readBlobInto(dataDir: string, blob: { sha256: string; size: number }, scratch: { buf: Buffer }): Buffer | null {
  let fd: number;
  try {
    fd = openSync(blobPath(dataDir, blob.sha256), 'r');
  } catch {
    return null;
  }
  try {
    const want = blob.size + 1;
    if (scratch.buf.length < want) scratch.buf = Buffer.allocUnsafe(Math.max(want, scratch.buf.length * 2));
    // A regular file's read comes back short only at its end: one read says the size in the common case.
    let got = 0;
    for (let n = -1; got < want && n !== 0; got += n) {
      n = readSync(fd, scratch.buf, got, want - got, got);
      if (n > 0 && n < want - got) {
        got += n;
        break;
      }
    }
    return got === blob.size ? scratch.buf.subarray(0, got) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function settingsFiles(dataDir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dataDir, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if ((!rel && NOT_SETTINGS.has(entry.name)) || entry.name.endsWith('.tmp')) continue;
    if (entry.isDirectory()) out.push(...settingsFiles(dataDir, name));
    else if (entry.isFile()) out.push(name);
  }
  return out;
}

export async function createBackup(opts: CreateOptions): Promise<CreatedBackup> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const ws = readWorkstation(opts.db);
  if (!ws) throw new AppError('backup.not_set_up');
  privateDir(opts.outDir);
  removeStalePartials(opts.outDir);
  const tmpParent = path.join(opts.dataDir, BACKUP_TMP);
  // A snapshot a killed backup left in the data folder (private there, but the space is the disk's).
  removeStalePartials(tmpParent, 'jardem-backup-');
  const tmp = privateTemp(tmpParent);
  const partial = path.join(opts.outDir, `${PARTIAL_PREFIX}${randomBytes(6).toString('hex')}.jbk`);
  let keepPartial = false;
  let needed = 0;
  try {
    const snap = path.join(tmp, DATA_FILES.database);
    const snapProgress = progressTracker('snapshot', 1, opts.onProgress);
    const createdAt = now();
    // scrypt is slow on purpose; it runs on the thread pool while the snapshot is taken.
    const keyed = newHeader({ officeCode: ws.officeCode, workstationCode: ws.workstationCode, appVersion: opts.appVersion }, opts.passphrase, createdAt);
    keyed.catch(() => undefined);
    // 16 MiB a step: a few milliseconds of the app's writer at a time, in a few steps rather than hundreds.
    await opts.db.backup(snap, { progress: () => SNAPSHOT_PAGES_A_STEP });
    snapProgress.add(1);
    const snapDb = openDatabase(snap, { readonly: true });
    let facts;
    try {
      facts = snapshotFacts(snapDb);
    } finally {
      snapDb.close();
    }
    const settings = settingsFiles(opts.dataDir);
    const total = statSync(snap).size + facts.blobs.reduce((s, b) => s + b.size, 0) + settings.reduce((s, f) => s + statSync(path.join(opts.dataDir, f)).size, 0);
    needed = total;
    const { header, keys } = await keyed;
    const source = { dataDir: opts.dataDir, snap, settings, blobs: facts.blobs, facts, header, keys, total, onProgress: opts.onProgress };
    // A page file damaged where it lies (its bytes no longer hash to its name) is found when the archive is read
    // back, not by hashing every page twice: the archive is then written again without it. Only a disk failing
    // while the backup runs finds more the second time.
    let leaveOut = new Set<string>();
    let made: Awaited<ReturnType<typeof writeArchive>>;
    let verified: Awaited<ReturnType<typeof verifyWritten>>;
    for (let attempt = 1; ; attempt++) {
      made = await writeArchive(partial, source, leaveOut);
      const damaged: string[] = [];
      verified = await verifyWritten(partial, made.fh, opts.passphrase, keys, tmpParent, opts.onProgress, damaged);
      if (damaged.length === 0) break;
      if (attempt === 2) throw new AppError('backup.tampered');
      rmSync(partial, { force: true });
      const names = new Set(damaged);
      leaveOut = new Set(facts.blobs.filter((b) => names.has(blobName(opts.dataDir, b.sha256))).map((b) => b.sha256));
    }
    const { missingBlobs, written } = made;
    const file = path.join(opts.outDir, backupFileName(ws.officeCode, ws.workstationCode, createdAt));
    await fsp.rename(partial, file);
    await syncFolder(opts.outDir);
    keepPartial = true;
    const removed = opts.keep ? rotate(opts.outDir, ws, opts.keep) : [];
    const seconds = (Date.now() - started) / 1000;
    return { file, size: verified.size, createdAt: createdAt.toISOString(), cases: facts.cases, events: facts.events, blobs: facts.blobs.length - missingBlobs.length, missingBlobs, removed, seconds, bytesPerSecond: written.bytesPerSecond };
  } catch (error) {
    if (isDriveFull(error)) throw new AppError('backup.drive_full', { dir: opts.outDir, needed: megabytes(needed) });
    if (error instanceof AppError && error.code !== 'backup.passphrase_short' && error.code !== 'backup.not_set_up') throw new AppError('backup.verify_failed', { reason: error.code });
    throw error;
  } finally {
    if (!keepPartial) rmSync(partial, { force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

interface ArchiveSource {
  dataDir: string;
  snap: string;
  settings: string[];
  blobs: { sha256: string; size: number }[];
  facts: { cases: number; events: number };
  header: BackupHeader;
  keys: Keys;
  total: number;
  onProgress?: (p: BackupProgress) => void;
}

/** Writes the archive into `partial`: the snapshot, the settings, and every blob but those in `leaveOut`. */
async function writeArchive(partial: string, src: ArchiveSource, leaveOut: ReadonlySet<string>): Promise<{ fh: fsp.FileHandle; missingBlobs: string[]; written: BackupProgress }> {
  const progress = progressTracker('write', src.total, src.onProgress);
  const fh = await fsp.open(partial, 'wx', 0o600);
  const files: ManifestFile[] = [];
  const missingBlobs: string[] = [];
  const writer = new ArchiveWriter(fh, src.keys, src.header, encodeHeader(src.header), (n) => progress.add(n));
  try {
    await writer.start();
    files.push(await writer.addFile(DATA_FILES.database, src.snap));
    for (const rel of src.settings) files.push(await writer.addBytes(rel, await fsp.readFile(path.join(src.dataDir, rel))));
    const scratch = { buf: Buffer.allocUnsafe(1 << 20) };
    for (const [i, blob] of src.blobs.entries()) {
      // Read synchronously (a blob is small; the promise-based reader costs five thread-pool trips a file and
      // made the backup many times slower than tar), letting the app's own calls through every few files. Its
      // bytes are copied into the stream before the next blob reuses the buffer.
      if (i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const bytes = leaveOut.has(blob.sha256) ? null : readBlobInto(src.dataDir, blob, scratch);
      // A file missing, cut short or grown is not copied as if it were whole: it is said.
      if (!bytes) {
        missingBlobs.push(blob.sha256);
        continue;
      }
      files.push(await writer.addBytes(blobName(src.dataDir, blob.sha256), bytes, blob.sha256));
    }
    await writer.finish({ files, database: { name: DATA_FILES.database, cases: src.facts.cases, events: src.facts.events, blobs: src.blobs.length - missingBlobs.length }, missingBlobs });
  } catch (error) {
    await writer.close();
    await fh.close();
    throw error;
  }
  await writer.close();
  return { fh, missingBlobs, written: progress.finish() };
}

/** A blob's name in the archive: its path in the data folder, with forward slashes. */
const blobName = (dataDir: string, sha256: string) => path.relative(dataDir, blobPath(dataDir, sha256)).split(path.sep).join('/');

/**
 * Reads the archive back as a restore would, while the disk is flushed: only a backup that verifies, and is on the
 * disk, gets its name. Blobs whose bytes did not hash to their names are put in `damaged`.
 */
async function verifyWritten(partial: string, fh: fsp.FileHandle, passphrase: string, keys: Keys, tmpParent: string, onProgress: CreateOptions['onProgress'], damaged: string[]) {
  const [checked, flushed] = await Promise.allSettled([verifyBackup(partial, passphrase, { tmpParent, onProgress, keys, damagedBlobs: damaged }), fh.sync().finally(() => fh.close())]);
  if (checked.status === 'rejected') throw checked.reason;
  if (flushed.status === 'rejected') throw flushed.reason;
  return checked.value;
}

/** The rename is durable only once the folder is flushed. */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
