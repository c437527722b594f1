/**
 * Group commit per office: what comes for an office while its last statement or transaction is on its way waits, and
 * the next one takes it together. One on its way per office in this process; offices go in parallel. Used by the
 * office's batches of events (./sync/office-queue.ts) and by the admission of its devices' requests
 * (./store/admissions.ts).
 */
export class GroupCommit<W> {
  private readonly waiting = new Map<string, W[]>();
  private readonly busy = new Set<string>();

  /**
   * `take`: removes from the office's queue what goes next (at least one). `apply`: applies it and answers every one
   * of it, a failure included (it never throws).
   */
  constructor(
    private readonly take: (queue: W[]) => W[],
    private readonly apply: (office: string, batch: W[]) => Promise<void>,
  ) {}

  /** What waits, over every office (the metrics' gauge). */
  get size(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  /** Adds `items` to the office's queue (`place`: where each goes, by default at the end), then goes on with it. */
  add(office: string, items: readonly W[], place: (queue: W[], w: W) => void = (queue, w) => queue.push(w)): void {
    const queue = this.waiting.get(office) ?? [];
    this.waiting.set(office, queue);
    for (const w of items) place(queue, w);
    void this.drain(office);
  }

  private async drain(office: string): Promise<void> {
    if (this.busy.has(office)) return;
    this.busy.add(office);
    try {
      const queue = this.waiting.get(office)!;
      while (queue.length > 0) await this.apply(office, this.take(queue));
    } finally {
      this.busy.delete(office);
      if ((this.waiting.get(office)?.length ?? 0) === 0) this.waiting.delete(office);
    }
  }
}
