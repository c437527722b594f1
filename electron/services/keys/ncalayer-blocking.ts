/**
 * NCALayer's signatures for the synchronous act signer. An ActSigner (node/events.ts) is `(content) => Buffer`, called
 * inside every act's service, inside signEvents and the PAdES signer, right before the one commit path; making each of
 * those signing moments async would ripple through every service and the tests that sign with a key file. The services
 * worker answers one call at a time anyway (it owns the one SQLite writer), so it waits here, blocked (Atomics.wait on
 * a shared flag) on a helper thread that talks to NCALayer while NCALayer's dialog is open. This is what synckit does;
 * its own loader (it resolves the worker's module format at run time) hangs once bundled into one .cjs, and the
 * mechanism is these few lines.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { threadScript } from '../../../node/thread-script';
import type { NcalayerSettings } from './source';

export type NcalayerRequest =
  | { op: 'certificate'; settings: NcalayerSettings }
  | { op: 'sign'; settings: NcalayerSettings; content?: Uint8Array; digest?: Uint8Array };
export type NcalayerReply = { ok: true; value: string } | { ok: false; code: ErrorCode; params?: Record<string, string | number> };
/** What the helper thread is started with: the flag it raises when its answer is on the port. */
export interface HelperData {
  flag: SharedArrayBuffer;
  port: MessagePort;
}

/** A person reads NCALayer's dialog, types the password, plugs a token in: the wait is theirs, up to this long. */
const DIALOG_MS = 10 * 60_000;

let helper: { flag: Int32Array; port: MessagePort; worker: Worker } | null = null;
let nextId = 1;

function start() {
  const shared = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(threadScript('ncalayer-thread.cjs', 'NCALayer helper'), { workerData: { flag: shared, port: port2 } satisfies HelperData, transferList: [port2] });
  // Neither keeps the process alive; a helper that died is started again at the next signature.
  worker.unref();
  port1.unref();
  worker.once('exit', () => {
    if (helper?.port === port1) helper = null;
  });
  return { flag: new Int32Array(shared), port: port1, worker };
}

/** Asks NCALayer and waits for its answer; its refusals become the typed errors a person reads. */
export function askNcalayer(request: NcalayerRequest): string {
  helper ??= start();
  const { flag, port } = helper;
  const id = nextId++;
  Atomics.store(flag, 0, 0);
  port.postMessage({ id, request });
  const deadline = Date.now() + DIALOG_MS;
  for (;;) {
    const left = deadline - Date.now();
    // The helper gave no answer in time (or died): nothing came back, nothing is signed.
    if (left <= 0 || Atomics.wait(flag, 0, 0, left) === 'timed-out') {
      // Its socket may still hold NCALayer's dialog open: ended, so that the next signature starts clean.
      void helper?.worker.terminate();
      helper = null;
      throw new AppError('keys.failed', { detail: 'NCALayer gave no answer in time' });
    }
    Atomics.store(flag, 0, 0);
    // An answer to an earlier, abandoned question is dropped.
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const answer = m.message as { id: number; reply: NcalayerReply };
      if (answer.id !== id) continue;
      if (!answer.reply.ok) throw new AppError(answer.reply.code, answer.reply.params);
      return answer.reply.value;
    }
  }
}
