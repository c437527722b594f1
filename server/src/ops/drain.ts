/**
 * A graceful stop (SIGTERM from systemd or an orchestrator): from the signal on `/readyz` answers 503 so the
 * balancer sends new work elsewhere; after `delayMs` (time for the balancer to see it) the server stops accepting
 * connections and waits for the requests in flight (a push being applied, a long poll of up to 25 s) to finish;
 * then the database is closed. A stop that takes longer than `timeoutMs` ends the process anyway.
 */
export interface Drain {
  draining(): boolean;
  start(): Promise<void>;
}

export function drainer(opts: { delayMs: number; timeoutMs: number; close: () => Promise<void>; log: (event: string) => void }): Drain {
  let started: Promise<void> | null = null;
  return {
    draining: () => started !== null,
    start() {
      started ??= (async () => {
        opts.log('draining');
        setTimeout(() => {
          opts.log('drain_timeout');
          process.exit(1);
        }, opts.timeoutMs).unref();
        await new Promise((r) => setTimeout(r, opts.delayMs));
        await opts.close();
        opts.log('stopped');
      })();
      return started;
    },
  };
}
