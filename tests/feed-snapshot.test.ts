/**
 * A pull page is one snapshot of the office's feed. A transaction that commits an event and the conflict it resolves
 * (numbers N and N+1) between the page's two reads (events, then conflicts) must not give the page the conflict
 * without the event: the cursor after the page would pass over the event for good. PostgreSQL only: PGlite runs one
 * statement at a time, so no commit can fall between two reads of one transaction there.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { migrate } from '../server/src/migrations';
import type { Store } from '../server/src/store';
import { readFeed } from '../server/src/store/feed';
import { tempDir } from './helpers';
import { onPostgres, testStore } from './server-helpers';

const tmp = tempDir('feed-snapshot');
let own: Awaited<ReturnType<typeof testStore>>;

function insertEvent(q: Pick<Store, 'query'>, seq: number) {
  return q.query(
    `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, device, flags)
     VALUES ('AUE', $1::bigint, $2, 'case-1', $1::int, $1::int - 1, 'application.recorded', '{}', '900512400018', 'specialist', 'c', '2026-12-04T00:00:00Z', NULL, $2, '\\x00', 'AUE/W2', '[]')`,
    [seq, `event-${seq}`],
  );
}

beforeAll(async () => {
  if (!onPostgres) return;
  own = await testStore(tmp.dir);
  await migrate(own.store);
  await insertEvent(own.store, 1);
});
afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

test.runIf(onPostgres)('an event and its conflict committed between the two reads of a page are both in the next page, never the conflict alone', async () => {
  let committed = false;
  // The page's own transaction; right after it has read the events, another connection commits number 2 (an event)
  // and number 3 (the conflict it resolves), as a push of a conflict's resolution does.
  const racing: Store = {
    ...own.store,
    transaction: (fn, start) =>
      own.store.transaction(
        (tx) =>
          fn({
            query: async (sql, params) => {
              const rows = await tx.query(sql, params);
              if (!committed && /FROM events/.test(sql)) {
                committed = true;
                await insertEvent(own.store, 2);
                await own.store.query(
                  `INSERT INTO conflicts (office_code, id, case_id, kind, holding_event_id, losing, status, resolved_by, resolution, server_seq, device)
                   VALUES ('AUE', 'conflict-1', 'case-1', 'same_version', 'event-1', '[]', 'resolved', 'event-2', 'redone', 3, 'AUE/W2')`,
                );
              }
              return rows as never;
            },
          }),
        start,
      ),
  };
  const first = await readFeed(racing, 'events', 'AUE', 0, 10);
  expect(committed).toBe(true);
  expect(first.map((r) => r.seq)).toEqual([1]);
  const next = await readFeed(own.store, 'events', 'AUE', first.at(-1)!.seq, 10);
  expect(next.map((r) => [r.seq, r.event ? 'event' : 'conflict'])).toEqual([
    [2, 'event'],
    [3, 'conflict'],
  ]);
});
