/**
 * Group commit per office: the case runs that pushes of one office hand over while a batch is being applied wait
 * together, and the next batch applies all of them in one transaction (./ingest-batch.ts). Two hundred workstations
 * pushing at once share a few transactions and commits, and wait on the office's order row once per batch, not once
 * per case. One batch at a time per office in this instance (../group-commit.ts); offices go in parallel. A case appears once in a batch
 * (a second run of it waits for the next), and a batch takes runs in the order they came, up to a bound of events;
 * the runs of small pushes (a person's act just made) go first, in a batch of their own.
 */
import { isUniqueViolation, type Store } from '../store';
import { applyRuns, NONE, type PushedRun, type RunApplied } from './ingest-batch';
import { SMALL_PUSH } from './ingest-rules';
import { GroupCommit } from '../group-commit';

interface Waiting {
  item: PushedRun;
  small: boolean;
  done: (r: RunApplied) => void;
  fail: (error: unknown) => void;
}

/**
 * A batch's bound: big enough that a city's pushes share commits, small enough that a run that has just come waits
 * for a short batch, not a long one.
 */
const BATCH_EVENTS = 250;

class OfficeQueue {
  private readonly commits: GroupCommit<Waiting>;

  constructor(private readonly store: Store) {
    this.commits = new GroupCommit(take, (office, batch) => this.applyBatch(office, batch));
  }

  /** Runs waiting for a batch, over every office (the metrics' gauge). */
  get waitingRuns(): number {
    return this.commits.size;
  }

  /** Applies the runs (each another case of `office`); per run, the results of the prefix applied. */
  apply(office: string, items: readonly PushedRun[]): Promise<RunApplied[]> {
    const small = items.reduce((n, x) => n + x.run.length, 0) <= SMALL_PUSH;
    const waiting: Waiting[] = [];
    // A run with nothing the fast way may try (its first event needs a reason) waits for no batch.
    const answers = items.map((item) => (item.run.length === 0 ? Promise.resolve(NONE) : new Promise<RunApplied>((done, fail) => waiting.push({ item, done, fail, small }))));
    this.commits.add(office, waiting, small ? (queue, w) => queue.splice(smallAhead(queue), 0, w) : undefined);
    return Promise.all(answers);
  }

  private async applyBatch(office: string, batch: Waiting[]): Promise<void> {
    try {
      const out = await applyRuns(this.store, office, batch.map((w) => w.item));
      batch.forEach((w, i) => w.done(out[i]!));
    } catch (error) {
      // One run's failure (a race with another instance on a unique key, say) must not fail the others: each
      // alone, and a run that still fails goes to its push, which answers it event by event.
      if (batch.length === 1) {
        batch[0]!.fail(error);
        return;
      }
      for (const w of batch) await applyRuns(this.store, office, [w.item]).then((r) => w.done(r[0] ?? NONE), w.fail);
    }
  }
}

/** Where a small push's run goes: after the small ones already waiting, before every other. */
function smallAhead(queue: readonly Waiting[]): number {
  const at = queue.findIndex((w) => !w.small);
  return at < 0 ? queue.length : at;
}

/**
 * The next batch: runs in the order they came, one per case, up to the bound (always at least one). Small pushes'
 * runs (at the head of the queue) make a batch of their own: a person's act waits for no catch-up in its batch.
 */
function take(queue: Waiting[]): Waiting[] {
  const batch: Waiting[] = [];
  const cases = new Set<string>();
  const small = queue[0]?.small === true;
  let events = 0;
  for (let i = 0; i < queue.length && queue[i]!.small === small && (batch.length === 0 || events + queue[i]!.item.run.length <= BATCH_EVENTS); ) {
    const w = queue[i]!;
    const caseId = w.item.run[0]?.caseId ?? '';
    if (cases.has(caseId)) {
      i++;
      continue;
    }
    cases.add(caseId);
    events += w.item.run.length;
    batch.push(w);
    queue.splice(i, 1);
  }
  return batch;
}

const queues = new WeakMap<Store, OfficeQueue>();

/** The runs of this store's offices waiting for a batch (the metrics' gauge). */
export const runsWaiting = (store: Store): number => queues.get(store)?.waitingRuns ?? 0;

/** Runs through the office's queue (one per store); a run that lost a race on a unique key applies nothing here. */
export async function applyFast(store: Store, office: string, runs: PushedRun[]): Promise<RunApplied[]> {
  const queue = queues.get(store) ?? queues.set(store, new OfficeQueue(store)).get(store)!;
  return queue.apply(office, runs).catch((error: unknown) => {
    // Another push of the same new case won the race: the event-by-event path finds what it wrote.
    if (isUniqueViolation(error)) return runs.map(() => NONE);
    throw error;
  });
}
