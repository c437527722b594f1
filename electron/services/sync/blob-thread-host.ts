/**
 * A pulled page's files downloaded on a thread of their own (./blob-thread.ts). The pull's thread applies a page in
 * one transaction, which holds it for a tenth of a second and more; a download on that thread stops meanwhile (no
 * answer is read, no file written), so each page's files used to wait for the page before to be applied and then
 * the page for its files. On their own thread the next page's files come while this page is applied.
 *
 * The thread starts on first use and does not keep the process alive. Where it cannot start (the script not built)
 * or dies, the files are downloaded on the pull's thread as before: nothing waits on it.
 */
import { Worker } from 'node:worker_threads';
import { threadScript } from '../../../node/thread-script';
import type { Downloaded } from './blob-fetch';
import { errorFromWire, type BlobJob, type BlobThreadMessage } from './blob-thread-wire';

interface Waiting {
  onBytes: (n: number) => void;
  resolve: (outcome: { done: Map<string, Downloaded>; failed: Map<string, unknown> }) => void;
  reject: (error: unknown) => void;
}

/** The thread stopped (it died, or its script did not load) before it answered: the job was not done there. */
export class FileThreadLost extends Error {
  override name = 'FileThreadLost';
}

let thread: Worker | null = null;
/** Once it could not start, it is not tried again in this process. */
let unavailable = false;
let nextId = 1;
const waiting = new Map<number, Waiting>();

function startThread(): Worker | null {
  if (thread || unavailable) return thread;
  try {
    const w = new Worker(threadScript('blob-thread.cjs', 'file download thread'));
    w.unref();
    w.on('message', (m: BlobThreadMessage) => {
      const job = waiting.get(m.id);
      if (!job) return;
      if (m.bytes > 0) job.onBytes(m.bytes);
      if (m.thrown) job.reject(errorFromWire(m.thrown));
      else if (m.done && m.failed) job.resolve({ done: new Map(m.done), failed: new Map(m.failed.map(([sha, e]) => [sha, errorFromWire(e)])) });
      else return;
      waiting.delete(m.id);
      if (waiting.size === 0) w.unref();
    });
    const lost = (error: unknown) => {
      thread = null;
      const why = new FileThreadLost(error instanceof Error ? error.message : String(error));
      for (const job of waiting.values()) job.reject(why);
      waiting.clear();
    };
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`the file download thread exited (${code})`)));
    thread = w;
  } catch {
    unavailable = true;
  }
  return thread;
}

/** Starts the thread now (a pull does as it asks for its first page): its start is not the first page's wait. */
export function startFileThread(): void {
  startThread();
}

/**
 * Downloads `shas` on the thread; null when there is no thread (the caller downloads them itself). A job the thread
 * dies in is rejected with FileThreadLost: the caller downloads it itself then. Any other rejection is the job's own
 * failure, as the download would have failed on the caller's thread.
 */
export function downloadOnThread(job: Omit<BlobJob, 'id'>, onBytes: (n: number) => void): Promise<{ done: Map<string, Downloaded>; failed: Map<string, unknown> }> | null {
  const w = startThread();
  if (!w) return null;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { onBytes, resolve, reject });
    // Held alive while a job is under way: a round's files are not left half-fetched by an exiting process.
    w.ref();
    w.postMessage({ ...job, id } satisfies BlobJob);
  });
}

