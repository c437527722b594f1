/**
 * Wake-ups for the long poll: a pull that finds nothing waits until its office's channel is notified (by the
 * transaction that took the office's next numbers, on this instance or another one on the same database) instead of
 * reading the database again and again. The process listens once per office, on first need, and keeps listening.
 * A new act of the city's reference data wakes every waiter, so that each workstation's round goes on to take it.
 * Should the listening connection end, every waiter is woken to read again, and the next wait listens anew.
 */
import type { Store } from './store';
import { officeChannel, REFERENCE_CHANNEL } from './store/channels';

/**
 * Why a wait ended: its office's channel, the city's reference data, its time, the caller gone, or the listening
 * connection lost.
 */
export type Woken = 'notified' | 'reference' | 'timeout' | 'cancelled' | 'lost';

export class Wakeups {
  private readonly waiters = new Map<string, Set<(why: Woken) => void>>();
  private readonly listening = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {}

  /**
   * Registers a waiter for `office` and resolves once listening is in place; call it before reading, so a commit
   * between the read and the wait still wakes it. `woken` resolves at the next notification, or at `ms`, or on `cancel`.
   */
  async arm(office: string, ms: number): Promise<{ woken: Promise<Woken>; cancel: () => void }> {
    let wake!: (why: Woken) => void;
    const woken = new Promise<Woken>((resolve) => (wake = resolve));
    const set = this.waiters.get(office) ?? new Set();
    this.waiters.set(office, set);
    const timer = setTimeout(() => done('timeout'), ms);
    const done = (why: Woken) => {
      clearTimeout(timer);
      set.delete(done);
      wake(why);
    };
    set.add(done);
    try {
      await Promise.all([this.subscribe(office), this.subscribeReference()]);
    } catch {
      // No listening connection now (the database restarting): the waiter still ends at its time-out.
    }
    return { woken, cancel: () => done('cancelled') };
  }

  private subscribe(office: string): Promise<void> {
    return this.listenOnce(officeChannel(office), () => this.wake(office));
  }

  private subscribeReference(): Promise<void> {
    return this.listenOnce(REFERENCE_CHANNEL, () => this.wakeAll('reference'));
  }

  /** Listens on `channel` once for the process, until the connection is lost. */
  private listenOnce(channel: string, onNotify: () => void): Promise<void> {
    let p = this.listening.get(channel);
    if (!p) {
      p = this.store.listen(channel, onNotify, () => this.lost()).catch((error: unknown) => {
        this.listening.delete(channel);
        throw error;
      });
      this.listening.set(channel, p);
    }
    return p;
  }

  private wakeAll(why: Woken): void {
    for (const office of [...this.waiters.keys()]) this.wake(office, why);
  }

  private wake(office: string, why: Woken = 'notified'): void {
    for (const f of [...(this.waiters.get(office) ?? [])]) f(why);
  }

  private lost(): void {
    this.listening.clear();
    this.wakeAll('lost');
  }
}
