/**
 * Reads the server's answer of several blobs (server/src/sync/blob-batch.ts: per blob a JSON line naming it, then its
 * bytes): each blob hashed as it arrives, written, flushed, and named once whole. A scan's page is kept in memory until
 * it is whole and written at once while the answer goes on; a larger blob goes to its partial file as it arrives. A
 * cut answer leaves the blob it was in as a partial file, which the next attempt resumes (an HTTP range).
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { adoptBlobFileAsync } from '../blob-store';
import { DATA_FILES } from '../data-files';
import { ServerError, type SyncClient } from './client';

export const partialFile = (dataDir: string, sha: string) => path.join(dataDir, DATA_FILES.blobsDir, 'partial', `${sha}.part`);

/** A frame's line is short: a hash, a media type and a size. */
const MAX_HEAD = 1024;
const MAX_BLOB = 512 * 1024 * 1024;
/** Up to this size a blob is kept in memory until whole: one write instead of one a chunk, none for one that is cut. */
const IN_MEMORY = 4 * 1024 * 1024;

interface Receiving {
  sha: string;
  mediaType: string;
  size: number;
  left: number;
  hash: Hash;
  /** A large blob's partial file, written as the bytes come; null for one kept in `parts`. */
  file: FileHandle | null;
  parts: Buffer[];
}

const hostile = (reason: string) => new AppError('sync.hostile_answer', { reason });

function frameHead(line: Buffer, asked: ReadonlySet<string>): { sha256: string; missing?: true; mediaType?: string; size?: number } {
  let head: { sha256?: unknown; missing?: unknown; mediaType?: unknown; size?: unknown };
  try {
    head = JSON.parse(line.toString('utf8')) as typeof head;
  } catch {
    throw hostile('blob_frame');
  }
  if (typeof head.sha256 !== 'string' || !asked.has(head.sha256)) throw hostile('blob_frame');
  if (head.missing === true) return { sha256: head.sha256, missing: true };
  if (typeof head.mediaType !== 'string' || head.mediaType.length > 100 || !Number.isSafeInteger(head.size) || (head.size as number) < 0 || (head.size as number) > MAX_BLOB) throw hostile('blob_frame');
  return { sha256: head.sha256, mediaType: head.mediaType, size: head.size as number };
}

/**
 * Receives `shas` in one answer. What came whole is in `done`; a blob the server does not have, or one that does not
 * hash to its name, in `failed`; when the answer breaks, the error is thrown and the blobs not yet whole are neither.
 */
export async function receiveBatch(dataDir: string, client: SyncClient, shas: readonly string[], onBytes: (n: number) => void, done: Map<string, { size: number; mediaType: string }>, failed: Map<string, unknown>): Promise<void> {
  const asked = new Set(shas);
  const reader = (await client.openBlobs(shas)).getReader();
  await mkdir(path.dirname(partialFile(dataDir, shas[0]!)), { recursive: true, mode: 0o700 });
  let pending: Buffer = Buffer.alloc(0);
  let current: Receiving | null = null;
  const seen = new Set<string>();
  // A whole blob is flushed, closed and named while the next one arrives: its disk's waits are not the answer's.
  const finishing: Promise<void>[] = [];
  const finish = async (r: Receiving) => {
    const digest = r.hash.digest('hex');
    // Bytes kept in memory that do not hash to their name are never written.
    const file = r.file ?? (digest === r.sha ? await open(partialFile(dataDir, r.sha), 'w', 0o600) : null);
    if (file) {
      try {
        if (!r.file) await file.writeFile(r.parts.length === 1 ? r.parts[0]! : Buffer.concat(r.parts));
        await file.sync();
      } finally {
        await file.close();
      }
    }
    if (digest !== r.sha) {
      await rm(partialFile(dataDir, r.sha), { force: true });
      failed.set(r.sha, hostile('blob_hash'));
      return;
    }
    await adoptBlobFileAsync(dataDir, partialFile(dataDir, r.sha), r.sha);
    done.set(r.sha, { size: r.size, mediaType: r.mediaType });
  };
  const finishLater = (r: Receiving) => {
    current = null;
    const flushed = finish(r);
    // Its failure is the answer's, met when the answer's flushes are awaited (not an unhandled rejection before).
    flushed.catch(() => undefined);
    finishing.push(flushed);
  };
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      pending = pending.length ? Buffer.concat([pending, value]) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      while (pending.length > 0) {
        if (!current) {
          const end = pending.indexOf(10);
          if (end < 0) {
            if (pending.length > MAX_HEAD) throw hostile('blob_frame');
            break;
          }
          const head = frameHead(pending.subarray(0, end), asked);
          pending = pending.subarray(end + 1);
          // Each blob asked for comes once.
          if (seen.has(head.sha256)) throw hostile('blob_frame');
          seen.add(head.sha256);
          if (head.missing) {
            failed.set(head.sha256, new ServerError(404, 'sync.blob_not_found'));
            continue;
          }
          const file = head.size! > IN_MEMORY ? await open(partialFile(dataDir, head.sha256), 'w', 0o600) : null;
          current = { sha: head.sha256, mediaType: head.mediaType!, size: head.size!, left: head.size!, hash: createHash('sha256'), file, parts: [] };
          if (current.left === 0) finishLater(current);
          continue;
        }
        const r: Receiving = current;
        const take = pending.subarray(0, Math.min(r.left, pending.length));
        pending = pending.subarray(take.length);
        r.hash.update(take);
        if (r.file) await r.file.write(take);
        else r.parts.push(take);
        r.left -= take.length;
        onBytes(take.length);
        if (r.left === 0) finishLater(r);
      }
    }
    // The answer ended: every blob asked for came, or was said to be missing; an answer that stops short was cut.
    if (pending.length > 0 && !current) throw hostile('blob_frame');
    await Promise.all(finishing);
    if (current || shas.some((sha) => !done.has(sha) && !failed.has(sha))) throw new AppError('sync.offline');
  } finally {
    // No blob's flush outlives the answer; a blob cut short keeps what arrived, for the next attempt to resume.
    await Promise.allSettled(finishing);
    const open_ = current as Receiving | null;
    if (open_?.file) await open_.file.close().catch(() => undefined);
    // One kept in memory leaves what arrived of it in its partial file too (the hash of the whole checks it later).
    else if (open_ && open_.parts.length > 0) await writeFile(partialFile(dataDir, open_.sha), Buffer.concat(open_.parts), { mode: 0o600 }).catch(() => undefined);
  }
}
