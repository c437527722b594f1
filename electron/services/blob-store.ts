/**
 * Content-addressed blobs: scans, signatures, thumbnails and signed documents. A blob's file is written to a
 * temporary name, flushed to disk and renamed before its row is inserted, so a committed row always names a
 * whole file; a crash between the two leaves only an unnamed file, which is harmless. Files are read-only (the
 * owner's only, under folders only the owner may enter) and never changed: the same bytes always have the same
 * name. The one rewrite is a repair: a file whose bytes no longer hash to its name is damaged, and the right
 * bytes, given again, replace it the same atomic way.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../node/digest';
import { AppError } from '../../shared/errors';
import { DATA_FILES } from './data-files';

export { sha256Hex };
export { recordBlob } from '../../db/repositories/blobs';

export function blobPath(dataDir: string, sha256: string): string {
  return path.join(dataDir, DATA_FILES.blobsDir, sha256.slice(0, 2), sha256);
}

/** A folder (and the folders it needs) that only the owner may enter, whatever the umask: those it creates, 0700. */
export function privateDir(dir: string): void {
  if (existsSync(dir)) return;
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    chmodSync(d, 0o700);
    if (d === first || d === path.dirname(d)) break;
  }
}

function flushFolder(dir: string): void {
  // The rename is durable only once the folder itself is flushed (a power cut must not lose a named file).
  if (process.platform === 'win32') return;
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Whether the file at `file` holds exactly the bytes named `sha`. */
function intact(file: string, sha: string): boolean {
  try {
    return sha256Hex(readFileSync(file)) === sha;
  } catch {
    return false;
  }
}

/**
 * Writes the file (durably) if it is not there yet, and rewrites a damaged one (the same bytes, given
 * again, repair it). Call outside the transaction that records it. `repaired` says a damaged file was replaced.
 */
export function storeBlobFile(dataDir: string, bytes: Buffer): { sha: string; repaired: boolean } {
  const sha = sha256Hex(bytes);
  const file = blobPath(dataDir, sha);
  const exists = existsSync(file);
  if (exists && intact(file, sha)) return { sha, repaired: false };
  const dir = path.dirname(file);
  privateDir(dir);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o400);
    // Atomic on POSIX and on NTFS: a reader sees the old file or the new one, never half of either.
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  flushFolder(dir);
  return { sha, repaired: exists };
}

/**
 * Names a whole file already written and flushed elsewhere in the data folder (a finished download, hashed as it
 * arrived) as the blob `sha`: made read-only and renamed into place, the folder flushed. A file already there and
 * intact stays, and the other is removed.
 */
export async function adoptBlobFileAsync(dataDir: string, written: string, sha: string): Promise<void> {
  const file = blobPath(dataDir, sha);
  if (existsSync(file) && intact(file, sha)) return void (await fsp.rm(written, { force: true }));
  const dir = path.dirname(file);
  privateDir(dir);
  await fsp.chmod(written, 0o400);
  await fsp.rename(written, file);
  if (process.platform === 'win32') return;
  const folder = await fsp.open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Writes the file (durably) if it is not there yet, or repairs it; returns its SHA-256. */
export function writeBlobFile(dataDir: string, bytes: Buffer): string {
  return storeBlobFile(dataDir, bytes).sha;
}

/** The blob's bytes, or null when its file is missing. Not checked: see readCertifiedBlob. */
export function readBlob(dataDir: string, sha256: string): Buffer | null {
  // Read, not first asked whether it exists: a Verify case reads every page of the case.
  try {
    return readFileSync(blobPath(dataDir, sha256));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The state of a stored blob: as certified, changed after it was stored, or gone. */
export type BlobState = 'intact' | 'changed' | 'missing';

export function blobState(dataDir: string, sha256: string): BlobState {
  const bytes = readBlob(dataDir, sha256);
  if (!bytes) return 'missing';
  return sha256Hex(bytes) === sha256 ? 'intact' : 'changed';
}

/** What a refused blob is, for its message: a page of a document, a certified form, or another stored file. */
export type BlobItem = { page: number; documentKind: string } | { form: string } | { other: 'answer' | 'signature' | 'thumbnail' };

/**
 * The bytes of a certified blob, re-hashed first: every read of a certified file for a person
 * (reprint, page image, PDF view, the command line's render) goes through here. A changed or missing file is
 * refused with a typed error naming it, and is never handed out.
 */
export function readCertifiedBlob(dataDir: string, sha256: string, item: BlobItem): Buffer {
  const bytes = readBlob(dataDir, sha256);
  const state: BlobState = !bytes ? 'missing' : sha256Hex(bytes) === sha256 ? 'intact' : 'changed';
  if (state === 'intact') return bytes!;
  throw blobError(sha256, state, item);
}

export function blobError(sha256: string, state: Exclude<BlobState, 'intact'>, item: BlobItem): AppError {
  const params = { sha: sha256.slice(0, 12), state: `blob.state.${state}` };
  // The document's name is a message key: 'document.birth_certificate:c1' reads as its kind's ('document.birth_certificate').
  if ('page' in item) return new AppError('blob.page_damaged', { ...params, n: item.page, document: `document.${item.documentKind}` });
  if ('form' in item) return new AppError('blob.form_damaged', { ...params, form: `blob.form.${item.form}` });
  return new AppError('blob.damaged', { ...params, what: `blob.what.${item.other}` });
}

/** A temporary file left by a writer that is gone: its process ended, or it is older than an hour. */
function abandoned(name: string, file: string): boolean {
  const pid = Number(/\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name)?.[1] ?? 0);
  let alive = false;
  if (pid > 0 && pid !== process.pid) {
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  if (!alive) return true;
  try {
    return Date.now() - statSync(file).mtimeMs > 3600_000;
  } catch {
    return false;
  }
}

/**
 * Removes the `*.tmp` files a killed writer left in the blob folders, at start. A temporary
 * file of a writer still running (the command line beside the app) is left alone. Returns how many went.
 */
export function removeTempBlobFiles(dataDir: string): number {
  const root = path.join(dataDir, DATA_FILES.blobsDir);
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const sub of readdirSync(root)) {
    const dir = path.join(root, sub);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.tmp')) continue;
      const file = path.join(dir, name);
      if (!abandoned(name, file)) continue;
      rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}
