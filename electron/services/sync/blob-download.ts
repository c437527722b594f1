/**
 * The blobs a pulled page names that this workstation lacks, each re-hashed and stored durably before the page that
 * names it commits (./blob-fetch.ts), on the file thread when there is one (./blob-thread-host.ts).
 */
import { existsSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { blobPath } from '../blob-store';
import { blobKnown } from '../../../db/repositories/blobs';
import { blobsNamed, textMayNameBlob, type WireEvent } from '../../../shared/contract/sync-protocol';
import { payloadIfValid } from '../../../shared/events/payloads';
import type { ServicesContext } from '../context';
import { blobBytesArrived, blobsArrived } from './progress';
import type { SyncClient } from './client';
import { downloadOnThread, FileThreadLost } from './blob-thread-host';
import type { BlobLine } from './blob-thread-wire';
import { syncState } from './state';
import { downloadBlobs, type Downloaded } from './blob-fetch';


/**
 * The blobs each of a page's acts names, in the page's order. An act whose payload is not its schema's names none: it
 * is held when its page is applied. Most of a page's acts name none, and are not parsed and checked here for nothing
 * (the page's transaction checks them).
 */
export function blobsNamedBy(events: readonly WireEvent[]): string[][] {
  return events.map((e) => (textMayNameBlob(e.payload) ? [...new Set(blobsNamed(payloadIfValid(e.type, e.payload)))] : []));
}

/**
 * The blobs a page's acts name (`named`, by act), fetched. What is already here, or is the page before's to fetch
 * (`theirs`: that page is applied first and records it), is not fetched again. A link that breaks midway returns
 * what came and the first act whose blobs did not, with the error: the page's acts before it are applied, so each
 * attempt keeps what it got (asking for every blob of a page again after each broken link would never end on a poor
 * line), and a blob cut short resumes from its partial file.
 */
export async function fetchPageBlobs(ctx: ServicesContext, client: SyncClient, named: readonly string[][], theirs: ReadonlySet<string> = new Set(), line: BlobLine | null = null): Promise<{ fetched: Map<string, Downloaded>; upTo: number; error: unknown }> {
  const wanted = [...new Set(named.flat())].filter((sha) => !theirs.has(sha) && !(blobKnown(ctx.db, sha) && existsSync(blobPath(ctx.dataDir, sha))));
  const onBytes = (n: number) => blobBytesArrived(ctx, n);
  // On the file thread when the round can say how to reach the server from there (./blob-thread-host.ts).
  const job = { dataDir: ctx.dataDir, shas: wanted, clockDeltaMs: ctx.realNow().getTime() - Date.now(), clockOffsetMs: syncState(ctx).clockOffsetMs };
  const onThread = line && wanted.length > 0 ? downloadOnThread({ ...job, line }, onBytes) : null;
  const here = () => downloadBlobs(ctx.dataDir, client, wanted, onBytes);
  // A thread that dies leaves the files to this thread; a download that failed there is not tried twice in a round.
  const { done, failed } = onThread ? await onThread.catch((error: unknown) => (error instanceof FileThreadLost ? here() : Promise.reject(error))) : await here();
  blobsArrived(ctx, done.size);
  const missing = (sha: string) => wanted.includes(sha) && !done.has(sha);
  const first = named.findIndex((shas) => shas.some(missing));
  const upTo = first < 0 ? named.length : first;
  // Rows only for the blobs of the events that will be applied; the other files stay unnamed until their page comes.
  const applied = new Set(named.slice(0, upTo).flat());
  const fetched = new Map([...done].filter(([sha]) => applied.has(sha)));
  return { fetched, upTo, error: failed.size > 0 ? [...failed.values()][0] : first >= 0 ? new AppError('sync.offline') : null };
}
