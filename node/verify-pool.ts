/**
 * Events' signatures checked on a pool of worker threads sized to the machine's cores, outside any transaction and
 * off the thread that answers: on the server a long push's checks no longer hold up the next request; on a
 * workstation a pulled page is checked while the thread goes on receiving the page's files.
 * A push's events go as a few tasks, so that the threads share one push; a push of a few events is checked on the
 * request's thread, so a person's act just made waits behind no catch-up of a hundred acts. The pool starts on first
 * use; its idle threads do not keep the process alive.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { threadScript } from './thread-script';
import { eventVerdict, type SignatureTask, type SignatureVerdict } from './verify-thread';
import { trustStoreVersion, type TrustStore } from './pki/trust';
import type { WireEvent } from '../shared/contract/sync-protocol';

/** Events per task: a push of 25 events is shared by both threads of a 2-core machine. */
const TASK_EVENTS = 8;

let pool: Piscina | null = null;
let waiting = 0;

/** Signatures handed to the pool and not yet checked (the metrics' gauge). */
export const signaturesWaiting = () => waiting;
const trustTexts = new WeakMap<TrustStore, SignatureTask['trust']>();

function trustText(trust: TrustStore): SignatureTask['trust'] {
  let t = trustTexts.get(trust);
  if (!t) {
    t = { version: trustStoreVersion(trust), rootsPem: trust.roots.map((c) => c.toString()).join(''), intermediatesPem: trust.intermediates.map((c) => c.toString()).join(''), revoked: [...(trust.revoked ?? [])] };
    trustTexts.set(trust, t);
  }
  return t;
}

/**
 * Each event's verdict (its contents, then its hash and signature: ./verify-thread.ts), in the events' order.
 * `here`: checked on the calling thread (for a person's act just made, a hop to a thread and back costs more than its
 * check, and it waits for no other push's).
 */
export async function verifyOnPool(events: readonly WireEvent[], trust: TrustStore, opts: { here?: boolean } = {}): Promise<SignatureVerdict[]> {
  if (opts.here || events.length === 0) return events.map((e) => eventVerdict(e, trust));
  pool ??= new Piscina({ filename: threadScript('verify-thread.cjs', 'verification thread'), minThreads: 1, maxThreads: Math.max(1, os.availableParallelism()), idleTimeout: 60_000 });
  const text = trustText(trust);
  const tasks: Promise<SignatureVerdict[]>[] = [];
  // A long list goes as two tasks a thread: each task handed over costs the thread's wake-up and the answer's. With
  // tasks already waiting for a thread (many pushes at once) the threads are busy anyway: one task for the list.
  const size = pool.queueSize > 0 ? events.length : Math.max(TASK_EVENTS, Math.ceil(events.length / (2 * pool.options.maxThreads)));
  for (let i = 0; i < events.length; i += size) tasks.push(pool.run({ trust: text, events: events.slice(i, i + size) } satisfies SignatureTask));
  waiting += events.length;
  try {
    return (await Promise.all(tasks)).flat();
  } finally {
    waiting -= events.length;
  }
}
