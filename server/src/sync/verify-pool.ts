/**
 * The pushed events' signatures checked on a pool of worker threads sized to the machine's cores, outside any
 * transaction and off the thread that answers requests: a long push's checks no longer hold up the next request.
 * A push's events go as a few tasks, so that the threads share one push; the smallest pushes go first (a person's
 * act just made waits behind no catch-up of a hundred acts). The pool starts on first use; its idle threads do not
 * keep the process alive.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Piscina, type TaskQueue } from 'piscina';
import { trustStoreVersion, type TrustStore } from '../../../node/pki/trust';
import type { RefusalReason, WireEvent } from '../../../shared/contract/sync-protocol';

export interface SignatureTask {
  trust: { version: string; rootsPem: string; intermediatesPem: string; revoked: string[] };
  events: WireEvent[];
}

export type SignatureVerdict = { ok: true; bin: string } | { ok: false; reason: RefusalReason; algorithm?: string };

/** Events per task: a push of 25 events is shared by both threads of a 2-core machine. */
const TASK_EVENTS = 8;
/** A push this small is a person's act just made (a catch-up after a day offline is longer). */
const SMALL_PUSH = 4;

type Task = Parameters<TaskQueue['push']>[0];
const small = (t: Task) => ((t as unknown as Record<symbol, { small?: boolean } | undefined>)[Piscina.queueOptionsSymbol])?.small === true;

/** Two lanes, each first in first out: the small pushes' tasks, then the others. */
class SmallFirst implements TaskQueue {
  private readonly lanes: [Task[], Task[]] = [[], []];
  get size() {
    return this.lanes[0].length + this.lanes[1].length;
  }
  push(t: Task) {
    this.lanes[small(t) ? 0 : 1].push(t);
  }
  shift() {
    return this.lanes[0].shift() ?? this.lanes[1].shift() ?? null;
  }
  remove(t: Task) {
    for (const lane of this.lanes) if (lane.includes(t)) lane.splice(lane.indexOf(t), 1);
  }
}

function threadFile(): string {
  const here = typeof __dirname === 'string' ? __dirname : null;
  const candidates = [here && path.join(here, 'verify-thread.cjs'), path.resolve('dist/node/verify-thread.cjs')];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('verification thread not built: dist/node/verify-thread.cjs (run npm run build)');
  return found;
}

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

/** Each event's signature verdict, in the events' order. */
export async function verifyOnPool(events: readonly WireEvent[], trust: TrustStore): Promise<SignatureVerdict[]> {
  if (events.length === 0) return [];
  pool ??= new Piscina({ filename: threadFile(), minThreads: 1, maxThreads: Math.max(1, os.availableParallelism()), idleTimeout: 60_000, taskQueue: new SmallFirst() });
  const text = trustText(trust);
  const lane = { small: events.length <= SMALL_PUSH };
  const tasks: Promise<SignatureVerdict[]>[] = [];
  for (let i = 0; i < events.length; i += TASK_EVENTS) {
    const task: SignatureTask = { trust: text, events: events.slice(i, i + TASK_EVENTS) };
    tasks.push(pool.run(Object.assign(task, { [Piscina.queueOptionsSymbol]: lane })));
  }
  waiting += events.length;
  try {
    return (await Promise.all(tasks)).flat();
  } finally {
    waiting -= events.length;
  }
}
