/**
 * The long poll's wake-ups (server/src/notify.ts) on the real database: a commit that takes an office's numbers wakes
 * a waiter of that office, on this instance and on another instance of the same database (PostgreSQL); another
 * office's commit and a rolled-back transaction wake no one. A new act of the city's reference data wakes the waiters
 * of every office; the same act again wakes no one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Wakeups } from '../server/src/notify';
import { migrate } from '../server/src/migrations';
import { openStore, type Store } from '../server/src/store';
import { takeNumbers } from '../server/src/store/events-write';
import { appendReferenceAct } from '../server/src/store/reference-acts';
import type { ReferenceAct } from '../shared/contract/reference-protocol';
import { onPostgres, testStore } from './server-helpers';
import { tempDir } from './helpers';

const tmp = tempDir('wakeups');
let own: Awaited<ReturnType<typeof testStore>>;
let store: Store;

beforeAll(async () => {
  own = await testStore(tmp.dir);
  store = own.store;
  await migrate(store);
}, 120_000);

afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

const commitNumbers = (s: Store, office: string) => s.transaction((tx) => takeNumbers(tx, office, 3));

test('a commit of the office wakes its waiter; another office and a rolled-back transaction do not', async () => {
  const w = new Wakeups(store);
  const mine = await w.arm('AUE', 60_000);
  await commitNumbers(store, 'AUE');
  expect(await mine.woken).toBe('notified');

  // Long enough for a wrongly delivered notification to arrive first; the outcome is asserted, not the time.
  const other = await w.arm('ALM', 3_000);
  await commitNumbers(store, 'AUE');
  await store.transaction(async (tx) => {
    await takeNumbers(tx, 'ALM', 1);
    throw new Error('rolled back');
  }).catch(() => undefined);
  // Not 'timeout' exactly: on the shared PostgreSQL another test file's reference act may wake every office.
  expect(await other.woken).not.toBe('notified');

  const gone = await w.arm('AUE', 60_000);
  gone.cancel();
  expect(await gone.woken).toBe('cancelled');
}, 120_000);

test('a new reference act of the city wakes the waiters of every office; the same act again wakes no one', async () => {
  const w = new Wakeups(store);
  const [aue, bos] = [await w.arm('AUE', 60_000), await w.arm('BOS', 60_000)];
  // The store takes the act as the route has checked it; its signature is not this test's concern.
  const act = { id: '01900000-0000-7000-8000-0000000000a1', kind: 'calendar', payload: '{}' } as unknown as ReferenceAct;
  expect(await appendReferenceAct(store, act, 'AUE/W1')).toMatchObject({ fresh: true });
  expect(await Promise.all([aue.woken, bos.woken])).toEqual(['reference', 'reference']);

  // A channel is the whole database's: on the shared PostgreSQL, other test files' acts may wake this one.
  if (onPostgres) return;
  const again = await w.arm('AUE', 3_000);
  expect(await appendReferenceAct(store, act, 'AUE/W1')).toMatchObject({ fresh: false });
  expect(await again.woken).toBe('timeout');
}, 120_000);

test.runIf(onPostgres)('a commit through another instance (its own connections) wakes this one', async () => {
  const second = await openStore({ databaseUrl: process.env.DATABASE_URL, schema: own.schema! });
  try {
    const w = new Wakeups(store);
    const waiting = await w.arm('CON-AUE', 60_000);
    await commitNumbers(second, 'CON-AUE');
    expect(await waiting.woken).toBe('notified');
  } finally {
    await second.close();
  }
}, 120_000);
