/**
 * The blobs a pulled page names, downloaded several at once (a bound, so that a slow line is shared and the server
 * is not flooded), each re-hashed and stored durably before the page that names it commits. A download cut short
 * keeps what arrived in blobs/partial/<sha256>.part and asks only for the rest the next time (an HTTP range).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { adoptBlobFileAsync, blobPath } from '../blob-store';
import { blobKnown } from '../../../db/repositories/blobs';
import { blobsNamed, textMayNameBlob, type WireEvent } from '../../../shared/contract/sync-protocol';
import { payloadIfValid } from '../../../shared/events/payloads';
import type { ServicesContext } from '../context';
import { blobBytesArrived, blobsArrived } from './progress';
import type { SyncClient } from './client';
import { partialFile, receiveBatch } from './blob-frames';

export { partialFile } from './blob-frames';

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
 * Downloads `shas`, PARALLEL_DOWNLOADS answers at once: a blob begun before (its partial file here) alone, from where
 * it was cut; the others many to an answer (a first pull of a thousand scans makes a few dozen requests, not a
 * thousand). After a failure no new download starts (the link is likely down); those under way finish. Returns what
 * came and what failed, with its error.
 */
export async function downloadBlobs(dataDir: string, client: SyncClient, shas: readonly string[], onBytes: (n: number) => void = () => undefined): Promise<{ done: Map<string, Downloaded>; failed: Map<string, unknown> }> {
  const done = new Map<string, Downloaded>();
  const failed = new Map<string, unknown>();
  const begun = shas.filter((sha) => existsSync(partialFile(dataDir, sha)));
  const fresh = shas.filter((sha) => !begun.includes(sha));
  const answers: (readonly string[])[] = [...begun.map((sha) => [sha]), ...blobAnswers(fresh)];
  let next = 0;
  const worker = async () => {
    while (next < answers.length && failed.size === 0) {
      const these = answers[next++]!;
      try {
        if (these.length === 1 && begun.includes(these[0]!)) done.set(these[0]!, await downloadOne(dataDir, client, these[0]!, onBytes));
        else await receiveBatch(dataDir, client, these, onBytes, done, failed);
      } catch (error) {
        for (const sha of these) if (!done.has(sha) && !failed.has(sha)) failed.set(sha, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, answers.length) }, worker));
  return { done, failed };
}

/**
 * The blobs a page's events name, in the page's order. What is already here, or came for the page before, is not
 * fetched again. A link that breaks midway returns what came and the first event whose blobs did not, with the
 * error: the page's events before it are applied, so each attempt keeps what it got (asking for every blob of a page
 * again after each broken link would never end on a poor line), and a blob cut short resumes from its partial file.
 */
export async function fetchPageBlobs(ctx: ServicesContext, client: SyncClient, events: readonly WireEvent[], cameBefore: ReadonlyMap<string, Downloaded> = new Map()): Promise<{ fetched: Map<string, Downloaded>; upTo: number; error: unknown }> {
  // An event whose payload is not its schema's names no blob to fetch: it is held when its page is applied. Most of a
  // page's acts name none, and are not parsed and checked here for nothing (the page's transaction checks them).
  const named = events.map((e) => (textMayNameBlob(e.payload) ? [...new Set(blobsNamed(payloadIfValid(e.type, e.payload)))] : []));
  // What the page before fetched is recorded when that page is applied, before this one.
  const wanted = [...new Set(named.flat())].filter((sha) => !cameBefore.has(sha) && !(blobKnown(ctx.db, sha) && existsSync(blobPath(ctx.dataDir, sha))));
  const { done, failed } = await downloadBlobs(ctx.dataDir, client, wanted, (n) => blobBytesArrived(ctx, n));
  blobsArrived(ctx, done.size);
  const missing = (sha: string) => wanted.includes(sha) && !done.has(sha);
  const first = named.findIndex((shas) => shas.some(missing));
  const upTo = first < 0 ? events.length : first;
  // Rows only for the blobs of the events that will be applied; the other files stay unnamed until their page comes.
  const applied = new Set(named.slice(0, upTo).flat());
  const fetched = new Map([...done].filter(([sha]) => applied.has(sha)));
  return { fetched, upTo, error: failed.size > 0 ? [...failed.values()][0] : first >= 0 ? new AppError('sync.offline') : null };
}
