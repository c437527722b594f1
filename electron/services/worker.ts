/**
 * The services process: a worker thread that owns the only SQLite connection (the one writer) and answers
 * method calls, so no query, key operation or PDF ever runs on a UI or host thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CallEnvelope } from '../../shared/contract/methods';
import { AppError, type Result } from '../../shared/errors';
import { createContext } from './context';
import { createDispatcher } from './dispatch';
import { sendDueRequests } from './information-systems';
import { sweepExpiredKeys } from './session';
import type { PushEvent } from '../../shared/contract/push';
import { watchScannerFolder } from './scan/folder-watch';
import { startSyncLoop, type SyncLoop } from './sync/loop';

export interface WorkerInit {
  dataDir: string;
  appVersion: string;
}
export type WorkerRequest = { id: number; envelope: CallEnvelope };
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'fatal'; error: Result<never> & { ok: false } }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'push'; event: PushEvent };

const port = parentPort;
if (!port) throw new Error('services worker must run in a worker thread');
const init = workerData as WorkerInit;

let dispatch: ((e: CallEnvelope) => Promise<Result<unknown>>) | null = null;
let startError: Result<never> | null = null;
try {
  // What changed is told to the hosts as it happens: the screens refresh on it instead of polling.
  let loop: SyncLoop | null = null;
  const ctx = createContext({
    ...init,
    exclusive: true,
    push: (event) => {
      port.postMessage({ type: 'push', event } satisfies WorkerMessage);
      // A change here goes to the server at once (the loop ignores the echo of its own pulls after one round).
      if (event.type === 'case.changed') loop?.kick();
    },
  });
  watchScannerFolder(ctx);
  // The information-system outbox is sent in the background: every few seconds, and at once when a request is queued.
  let sending = false;
  const tick = () => {
    if (sending) return;
    sending = true;
    void sendDueRequests(ctx)
      .catch((error: unknown) => console.error('[services] information-system sender', error))
      .finally(() => {
        sending = false;
      });
  };
  setInterval(tick, Number(process.env.JARDEM_IS_POLL_MS ?? 2000)).unref();
  // A decrypted key is wiped when its unlock period ends, even if nobody calls.
  setInterval(() => sweepExpiredKeys(ctx), 15_000).unref();
  // The sync agent runs here, in the services, never in the UI.
  loop = startSyncLoop(ctx);
  const agent = loop;
  dispatch = createDispatcher(ctx, { onRequestQueued: () => setImmediate(tick), syncNow: () => agent.now() });
} catch (error) {
  // e.g. a database written by a newer app: every call answers with that error, and nothing is changed.
  startError = { ok: false, error: error instanceof AppError ? error.toValue() : { code: 'internal' } };
  if (!(error instanceof AppError)) console.error('[services] failed to start', error);
}

port.on('message', (request: WorkerRequest) => {
  const answer = (result: Result<unknown>) => port.postMessage({ type: 'result', id: request.id, result } satisfies WorkerMessage);
  if (!dispatch) return answer(startError!);
  void dispatch(request.envelope).then(answer);
});
port.postMessage(startError ? ({ type: 'fatal', error: startError as Result<never> & { ok: false } } satisfies WorkerMessage) : ({ type: 'ready' } satisfies WorkerMessage));
