/**
 * Blobs downloaded several at once (a bound, so that a slow line is shared and the server is not flooded), each
 * re-hashed and stored durably under its own hash. A download cut short keeps what arrived in
 * blobs/partial/<sha256>.part and asks only for the rest the next time (an HTTP range). Runs on the pull's thread or
 * on the file thread (./blob-thread.ts): it touches the data folder's files, never its database.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { adoptBlobFileAsync } from '../blob-store';
import type { SyncClient } from './client';
import { partialFile, receiveBatch } from './blob-frames';

/** Downloads at once: enough to fill a district office's line, few enough for the server's 300 workstations. */
export const PARALLEL_DOWNLOADS = 6;

export interface Downloaded {
  size: number;
  mediaType: string;
}

/**
 * Receives a blob into its partial file, hashing the bytes as they arrive (a resumed file's first part is hashed
 * from disk first) and flushing the file before it is named: the bytes are written once and never read back.
 */
async function receive(dataDir: string, client: SyncClient, sha: string, onBytes: (n: number) => void): Promise<{ digest: string; size: number; mediaType: string; resumed: boolean }> {
  const part = partialFile(dataDir, sha);
  await mkdir(path.dirname(part), { recursive: true, mode: 0o700 });
  const have = await stat(part).then(
    (s) => s.size,
    () => 0,
  );
  const blob = await client.openBlob(sha, have);
  const hash = createHash('sha256');
  let size = 0;
  if (blob.partial) {
    for await (const chunk of createReadStream(part)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  }
  const file = await open(part, blob.partial ? 'a' : 'w', 0o600);
  try {
    const reader = blob.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      hash.update(value);
      size += value.byteLength;
      await file.write(value);
      onBytes(value.byteLength);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return { digest: hash.digest('hex'), size, mediaType: blob.mediaType, resumed: blob.partial };
}

async function downloadOne(dataDir: string, client: SyncClient, sha: string, onBytes: (n: number) => void): Promise<Downloaded> {
  let got = await receive(dataDir, client, sha, onBytes);
  // A resumed file that does not hash right may hold a damaged first part: once more, from its first byte.
  if (got.resumed && got.digest !== sha) {
    await rm(partialFile(dataDir, sha), { force: true });
    got = await receive(dataDir, client, sha, onBytes);
  }
  if (got.digest !== sha) {
    await rm(partialFile(dataDir, sha), { force: true });
    // Stored under its own hash or not at all: a server that sends other bytes is not believed.
    throw new AppError('sync.hostile_answer', { reason: 'blob_hash' });
  }
  // The partial file, flushed and whole, becomes the blob's file by a rename.
  await adoptBlobFileAsync(dataDir, partialFile(dataDir, sha), sha);
  return { size: got.size, mediaType: got.mediaType };
}

/** Blobs asked for in one answer: a page's scans still spread over several connections. */
const PER_ANSWER = 16;
/** Fewer to an answer are not worth a request of their own (each is signed with the device key). */
const FEWEST_PER_ANSWER = 8;

/**
 * A page's files shared evenly by the downloads, FEWEST_PER_ANSWER to PER_ANSWER to an answer: the page waits for its
 * last answer, and answers of 16, 16, 16 and 2 left three downloads idle while the last big one came.
 */
export function blobAnswers(shas: readonly string[]): string[][] {
  const count = Math.max(Math.ceil(shas.length / PER_ANSWER), Math.min(PARALLEL_DOWNLOADS, Math.floor(shas.length / FEWEST_PER_ANSWER)));
  const size = Math.ceil(shas.length / Math.max(1, count));
  return Array.from({ length: size > 0 ? Math.ceil(shas.length / size) : 0 }, (_, i) => shas.slice(i * size, (i + 1) * size));
}

/**
 * Answers under way in this thread, over every call: the next page's files start while this page's last ones come,
 * and share the bound with them, the older call first.
 */
let underWay = 0;
let calls = 0;
const queue: { order: number; go: () => void }[] = [];

function release(): void {
  const next = queue.shift();
  if (next) next.go();
  else underWay--;
}

async function slot(order: number): Promise<void> {
  if (underWay < PARALLEL_DOWNLOADS) {
    underWay++;
    return;
  }
  await new Promise<void>((go) => {
    const at = queue.findIndex((q) => q.order > order);
    queue.splice(at < 0 ? queue.length : at, 0, { order, go });
  });
}

/**
 * Downloads `shas`, PARALLEL_DOWNLOADS answers at once in this thread: a blob begun before (its partial file here)
 * alone, from where it was cut; the others many to an answer (a first pull of a thousand scans makes a few dozen
 * requests, not a thousand). After a failure no new download starts (the link is likely down); those under way
 * finish. Returns what came and what failed, with its error.
 */
export async function downloadBlobs(dataDir: string, client: SyncClient, shas: readonly string[], onBytes: (n: number) => void = () => undefined): Promise<{ done: Map<string, Downloaded>; failed: Map<string, unknown> }> {
  const done = new Map<string, Downloaded>();
  const failed = new Map<string, unknown>();
  const order = calls++;
  const begun = shas.filter((sha) => existsSync(partialFile(dataDir, sha)));
  const fresh = shas.filter((sha) => !begun.includes(sha));
  const answers: (readonly string[])[] = [...begun.map((sha) => [sha]), ...blobAnswers(fresh)];
  let next = 0;
  const worker = async () => {
    while (next < answers.length && failed.size === 0) {
      const these = answers[next++]!;
      await slot(order);
      try {
        if (failed.size > 0) break;
        if (these.length === 1 && begun.includes(these[0]!)) done.set(these[0]!, await downloadOne(dataDir, client, these[0]!, onBytes));
        else await receiveBatch(dataDir, client, these, onBytes, done, failed);
      } catch (error) {
        for (const sha of these) if (!done.has(sha) && !failed.has(sha)) failed.set(sha, error);
      } finally {
        release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, answers.length) }, worker));
  return { done, failed };
}
