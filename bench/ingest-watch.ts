/**
 * W1 and W2 of the ingest bench's visibility row, in a process of their own (as two workstations are hosts of their
 * own): the 200 pushing clients' work (each request signed with its device key, its body written) runs on the bench's
 * event loop and would otherwise delay W1's request and W2's reading of its page by the clients' turn, not the
 * server's.
 *
 * Reads one JSON line on stdin (the server's address, W1's and W2's identities, W1's samples), answers "ready" on
 * stdout, takes samples until a line "stop" comes on stdin, then writes the latencies (ms) as one JSON line.
 */
import { createInterface } from 'node:readline';
import { SYNC_PROTOCOL, type PullResponse, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import type { DeviceIdentity } from '../electron/services/device';
import { syncClient, type SyncClient } from '../electron/services/sync/client';

interface Orders {
  url: string;
  w1: DeviceIdentity;
  w2: DeviceIdentity;
  samples: WireEvent[][];
}

/**
 * W1 pushes a new case's first act; W2, long-polling the office's feed (as a workstation's agent does, every other
 * device's events arriving on it too), pages until that act arrives. One sample at a time, from W1's request to the
 * page that holds it, for as long as `running()`.
 */
async function visibility(w1: SyncClient, w2: SyncClient, samples: WireEvent[][], running: () => boolean): Promise<number[]> {
  const out: number[] = [];
  let cursor = '0';
  for (const sample of samples) {
    if (!running()) break;
    const t = performance.now();
    const pushed = w1.json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: sample }, { timeoutMs: 600_000 });
    for (let seen = false; !seen; ) {
      const page = await w2.json<PullResponse>('GET', `/sync/v1/pull?cursor=${cursor}&limit=1000&wait=25`, undefined, { timeoutMs: 600_000 });
      cursor = page.value.cursor;
      seen = page.value.events.some((e) => e.id === sample[0]!.id);
    }
    out.push(performance.now() - t);
    if ((await pushed).value.results[0]?.status !== 'applied') throw new Error('the visibility sample was not applied');
  }
  return out;
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const orders = JSON.parse(String((await lines.next()).value)) as Orders;
let running = true;
const [w1, w2] = [orders.w1, orders.w2].map((identity) => syncClient(orders.url, identity, () => new Date()));
process.stdout.write('ready\n');
void lines.next().then(() => (running = false));
const seen = await visibility(w1!, w2!, orders.samples, () => running);
process.stdout.write(`${JSON.stringify(seen)}\n`);
process.exit(0);
