/**
 * Content-addressed blobs: scans, signatures, thumbnails and signed documents. A blob's file is written to a
 * temporary name, flushed to disk and renamed before its row is inserted, so a committed row always names a
 * whole file; a crash between the two leaves only an unnamed file, which is harmless. Files are read-only and
 * never rewritten: the same bytes always have the same name.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../node/events';
import { DATA_FILES } from './context';

export { sha256Hex } from '../../node/events';
export { recordBlob } from '../../db/repositories/blobs';

export function blobPath(dataDir: string, sha256: string): string {
  return path.join(dataDir, DATA_FILES.blobsDir, sha256.slice(0, 2), sha256);
}

/** Writes the file (durably) if it is not there yet. Call outside the transaction that records it. */
export function writeBlobFile(dataDir: string, bytes: Buffer): string {
  const sha = sha256Hex(bytes);
  const file = blobPath(dataDir, sha);
  if (existsSync(file)) return sha;
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  chmodSync(file, 0o444);
  // The rename is durable only once the folder itself is flushed (a power cut must not lose a named file).
  if (process.platform !== 'win32') {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
  return sha;
}

/** The blob's bytes, or null when its file is missing. The caller re-hashes where integrity matters. */
export function readBlob(dataDir: string, sha256: string): Buffer | null {
  const file = blobPath(dataDir, sha256);
  return existsSync(file) ? readFileSync(file) : null;
}
