/**
 * Events' signatures checked on a pool of worker threads sized to the machine's cores, outside any transaction and
 * off the thread that answers: on the server a long push's checks no longer hold up the next request; on a
 * workstation a pulled page is checked while the thread goes on receiving the page's files.
 * A push's events go as a few tasks, so that the threads share one push, and when many pushes wait a free thread
 * takes several of them as one task; a push of a few events is checked on the request's thread, so a person's act
 * just made waits behind no catch-up of a hundred acts. The pool starts on first
 * use; its idle threads do not keep the process alive.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { threadScript } from './thread-script';
import { eventVerdict, type SignatureTask, type SignatureVerdict } from './verify-thread';
import { trustStoreVersion, type TrustStore } from './pki/trust';
import type { WireEvent } from '../shared/contract/sync-protocol';

/** Events per task of a long list shared by idle threads: a push of 25 events is shared by both threads of a 2-core machine. */
const TASK_EVENTS = 8;
/** The most events one task takes of what waits: a thread's answer does not wait for a whole city's backlog. */
const GROUP_EVENTS = 256;

let pool: Piscina | null = null;
let waiting = 0;
let running = 0;

/** A part of a caller's list waiting for a thread, with the trust store it is checked against. */
interface Part {
  trust: SignatureTask['trust'];
  events: WireEvent[];
  done: (verdicts: SignatureVerdict[]) => void;
  fail: (error: unknown) => void;
}
const parts: Part[] = [];

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
 * Each free thread takes what waits as one task (up to GROUP_EVENTS, all against one trust store): under many
 * pushes at once a thread's wake-up and its answer are shared by several pushes instead of paid by each.
 */
function dispatch(p: Piscina): void {
  while (running < p.options.maxThreads && parts.length > 0) {
    const version = parts[0]!.trust.version;
    const group: Part[] = [];
    let n = 0;
    for (let i = 0; i < parts.length && (group.length === 0 || n + parts[i]!.events.length <= GROUP_EVENTS); ) {
      if (parts[i]!.trust.version !== version) {
        i++;
        continue;
      }
      n += parts[i]!.events.length;
      group.push(parts.splice(i, 1)[0]!);
    }
    running++;
    p.run({ trust: group[0]!.trust, events: group.flatMap((x) => x.events) } satisfies SignatureTask)
      .then(
        (verdicts: SignatureVerdict[]) => {
          let at = 0;
          for (const x of group) x.done(verdicts.slice(at, (at += x.events.length)));
        },
        (error: unknown) => group.forEach((x) => x.fail(error)),
      )
      .finally(() => {
        running--;
        dispatch(p);
      });
  }
}

const poolOf = () => (pool ??= new Piscina({ filename: threadScript('verify-thread.cjs', 'verification thread'), minThreads: 1, maxThreads: Math.max(1, os.availableParallelism()), idleTimeout: 60_000 }));

/**
 * Starts the pool's first thread now (a pull does as it asks for its first page, so that the thread's start is not
 * the first page's wait). Without the thread's script nothing starts: the checks are made where they are asked for.
 */
export function startVerifyThreads(): void {
  try {
    poolOf();
  } catch {
    // Not built here: verifyOnPool fails the same way, and its callers check on their own thread.
  }
}

/**
 * Each event's verdict (its contents, then its hash and signature: ./verify-thread.ts), in the events' order.
 * `here`: checked on the calling thread (for a person's act just made, a hop to a thread and back costs more than its
 * check, and it waits for no other push's).
 */
export async function verifyOnPool(events: readonly WireEvent[], trust: TrustStore, opts: { here?: boolean } = {}): Promise<SignatureVerdict[]> {
  if (opts.here || events.length === 0) return events.map((e) => eventVerdict(e, trust));
  const p = poolOf();
  const text = trustText(trust);
  // Idle threads share a long list, two parts a thread. With the threads busy, the list waits whole and goes with
  // what else waits when a thread is free.
  const busy = parts.length > 0 || running >= p.options.maxThreads;
  const size = busy ? events.length : Math.max(TASK_EVENTS, Math.ceil(events.length / (2 * p.options.maxThreads)));
  const answers: Promise<SignatureVerdict[]>[] = [];
  for (let i = 0; i < events.length; i += size) answers.push(new Promise((done, fail) => parts.push({ trust: text, events: events.slice(i, i + size), done, fail })));
  dispatch(p);
  waiting += events.length;
  try {
    return (await Promise.all(answers)).flat();
  } finally {
    waiting -= events.length;
  }
}
