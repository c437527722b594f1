/**
 * Runs the services worker and forwards calls to it. Used by every host: Electron's main process, the browser
 * host and the benchmarks. Never imports electron.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CallEnvelope } from '../../shared/contract/methods';
import type { AppErrorValue, Result } from '../../shared/errors';
import type { WorkerInit, WorkerMessage, WorkerRequest } from './worker';
import type { PushEvent } from '../../shared/contract/push';

export interface ServicesHostOptions extends WorkerInit {
  /** The built worker bundle; defaults to services-worker.cjs beside this bundle. */
  workerPath?: string;
}

export class ServicesHost {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private nextId = 1;
  private exited = false;
  private readonly listeners = new Set<(event: PushEvent) => void>();
  /** Resolves when the services answer; carries the start error (e.g. db.newer_than_app) if they could not start. */
  readonly ready: Promise<AppErrorValue | null>;

  constructor(opts: ServicesHostOptions) {
    // Packaged, worker threads cannot load from inside app.asar: the worker is unpacked beside it.
    const workerPath = opts.workerPath ?? path.join(__dirname, 'services-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    if (!existsSync(workerPath)) throw new Error(`services worker not built: ${workerPath} (run npm run build)`);
    this.worker = new Worker(workerPath, { workerData: { dataDir: opts.dataDir, appVersion: opts.appVersion } satisfies WorkerInit });
    this.ready = new Promise((resolve, reject) => {
      const onFirst = (m: WorkerMessage) => {
        if (m.type === 'ready') resolve(null);
        else if (m.type === 'fatal') resolve(m.error.error);
        else return;
        this.worker.off('message', onFirst);
      };
      this.worker.on('message', onFirst);
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'push') for (const l of this.listeners) l(m.event);
      if (m.type !== 'result') return;
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
    });
    this.worker.on('exit', () => {
      this.exited = true;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'internal' } });
      this.pending.clear();
    });
  }

  /** What the services tell without being asked (a case changed, an answer arrived, the scanner). Returns an unsubscribe. */
  onPush(listener: (event: PushEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls sent to the services and not answered yet (a test checks that none is left behind). */
  get pendingCalls(): number {
    return this.pending.size;
  }

  call(envelope: CallEnvelope): Promise<Result<unknown>> {
    // A dead worker answers at once: a caller must never wait forever.
    if (this.exited) return Promise.resolve({ ok: false, error: { code: 'internal' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      try {
        this.worker.postMessage({ id, envelope } satisfies WorkerRequest);
      } catch (error) {
        // The envelope could not be copied to the services (nested thousands deep, the structured
        // clone runs out of stack). Answered now, and nothing is left waiting.
        resolve({ ok: false, error: { code: error instanceof RangeError ? 'request.too_deep' : 'validation' } });
        return;
      }
      this.pending.set(id, resolve);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
