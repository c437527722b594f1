/**
 * A pull's page reads the next numbers of the office's key in the key's order and stops at the page's end, even on a
 * table that has filled up since PostgreSQL last gathered its statistics (a fresh server, a restore, a busy month):
 * planned from the stale estimate it read every row after the cursor, detoasting each signature, for every page.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { migrate } from '../server/src/migrations';
import { feedPagePlan, readFeed } from '../server/src/store/feed';
import { tempDir } from './helpers';
import { testStore } from './server-helpers';

const tmp = tempDir('feed-plan');
let own: Awaited<ReturnType<typeof testStore>>;
const EVENTS = 3000;

beforeAll(async () => {
  own = await testStore(tmp.dir);
  await migrate(own.store);
  // No ANALYZE after: the statistics are those of the empty table, as on a server that has just taken a district.
  await own.store.query(
    `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, device, flags)
     SELECT 'AUE', i, 'event-' || i, 'case-' || (i / 50), i % 50 + 1, i % 50, 'application.recorded', '{}', '900512400018', 'specialist', 'c', '2026-12-04T00:00:00Z', NULL,
            md5(i::text), convert_to(repeat(md5(i::text), 110), 'UTF8'), 'AUE/W2', '[]'
     FROM generate_series(1, $1::int) AS i`,
    [EVENTS],
  );
});
afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

/** Every node of an EXPLAIN (FORMAT JSON) tree. */
function nodes(plan: unknown): { 'Node Type': string; 'Index Name'?: string }[] {
  const root = (plan as { Plan: Record<string, unknown> }[])[0]!.Plan;
  const all: { 'Node Type': string; 'Index Name'?: string }[] = [];
  const walk = (n: Record<string, unknown>) => {
    all.push(n as { 'Node Type': string });
    for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
  };
  walk(root);
  return all;
}

test('a page is read down the office key in its order, with no bitmap of the rest of the feed and no sort of it', async () => {
  for (const cursor of [0, EVENTS / 2]) {
    const types = nodes(await feedPagePlan(own.store, 'events', 'AUE', cursor, 501));
    expect(types.map((n) => n['Node Type'])).not.toContain('Bitmap Heap Scan');
    expect(types.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(types.find((n) => n['Node Type'] === 'Index Scan')?.['Index Name']).toBe('events_pkey');
  }
});

test('the pages read that way are the feed in order, each exactly the next numbers', async () => {
  const seen: number[] = [];
  for (let cursor = 0; ; ) {
    const rows = await readFeed(own.store, 'events', 'AUE', cursor, 700);
    if (rows.length === 0) break;
    seen.push(...rows.map((r) => r.seq));
    cursor = rows.at(-1)!.seq;
  }
  expect(seen).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
});
