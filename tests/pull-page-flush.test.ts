/**
 * A pulled page's transaction does not wait for the disk (synchronous NORMAL: the server holds the page, and its
 * cursor goes back with it after a power cut), and everything else this workstation commits still does (FULL), the
 * page's transaction failing or not.
 */
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { PullResponse } from '../shared/contract/sync-protocol';
import { createContext } from '../electron/services/context';
import { applyPage } from '../electron/services/sync/apply-page';
import { tempDir } from './helpers';

const tmp = tempDir('pull-page-flush');
const ctx = createContext({ dataDir: path.join(tmp.dir, 'w'), appVersion: 'test' });
afterAll(() => {
  ctx.db.close();
  tmp.remove();
});

const FULL = 2;
const NORMAL = 1;
const page = (cursor: string) => ({ protocol: 1, serverTime: new Date().toISOString(), events: [], conflicts: [], cursor, more: false, head: Number(cursor) }) as unknown as PullResponse;
const report = { pulled: 0, held: 0, conflicts: 0 };
const synchronous = () => ctx.db.pragma('synchronous', { simple: true });

it('commits a pulled page without a flush, and every other commit with one, after a page that failed too', () => {
  expect(synchronous()).toBe(FULL);
  let during: unknown = null;
  applyPage(ctx, ctx.trust(), page('7'), new Map(), report, () => {
    during = synchronous();
    expect(ctx.db.inTransaction).toBe(true);
  });
  expect(during).toBe(NORMAL);
  expect(synchronous()).toBe(FULL);

  expect(() =>
    applyPage(ctx, ctx.trust(), page('8'), new Map(), report, () => {
      throw new Error('the disk is full');
    }),
  ).toThrow('the disk is full');
  expect(synchronous()).toBe(FULL);
});
