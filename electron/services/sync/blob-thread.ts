/**
 * The thread that downloads a pulled page's files (./blob-thread-host.ts starts it). It makes its own signed client
 * from the line it is given (the server's address, the device, the server's CA, the app's version) and runs the
 * same download as the pull's own thread would (./blob-download.ts): each file re-hashed, written, flushed and named
 * in the data folder. Only the outcome and the bytes' count go back.
 */
import { parentPort } from 'node:worker_threads';
import { APP_VERSION_HEADER } from '../../../node/sync-auth';
import { syncClient } from './client';
import { downloadBlobs } from './blob-fetch';
import { fetchWithCa } from './tls-fetch';
import { errorToWire, type BlobJob, type BlobThreadMessage } from './blob-thread-wire';

/** Bytes told to the pull's thread at most this often: a scan's 64 KB chunks would be thousands of messages. */
const TELL_BYTES = 1024 * 1024;

async function run(job: BlobJob): Promise<BlobThreadMessage> {
  const { line } = job;
  const inner = line.caPem ? fetchWithCa(line.caPem) : fetch;
  const withVersion: typeof fetch = (url, init) => inner(url, { ...init, headers: { ...(init?.headers as Record<string, string>), [APP_VERSION_HEADER]: line.appVersion } });
  let offset = job.clockOffsetMs;
  const skew = { get: () => offset, set: (ms: number) => void (offset = ms) };
  // Signed at the pull's clock: the same real time as its thread's, however a test or the app has set it.
  const client = syncClient(line.serverUrl, line.device, () => new Date(Date.now() + job.clockDeltaMs), withVersion, skew);
  let untold = 0;
  const { done, failed } = await downloadBlobs(job.dataDir, client, job.shas, (n) => {
    untold += n;
    if (untold < TELL_BYTES) return;
    parentPort!.postMessage({ id: job.id, bytes: untold } satisfies BlobThreadMessage);
    untold = 0;
  });
  return { id: job.id, bytes: untold, done: [...done], failed: [...failed].map(([sha, error]) => [sha, errorToWire(error)]) };
}

parentPort!.on('message', (job: BlobJob) => {
  run(job).then(
    (answer) => parentPort!.postMessage(answer),
    (error: unknown) => parentPort!.postMessage({ id: job.id, bytes: 0, thrown: errorToWire(error) } satisfies BlobThreadMessage),
  );
});
