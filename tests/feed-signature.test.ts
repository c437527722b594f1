/**
 * A pulled event's signature is the CMS the workstation pushed, byte for byte: the feed reads it as the wire's base64
 * straight from the database (whose encode breaks lines every 76 characters; the breaks must not reach the wire).
 * Sizes around those line boundaries and a real signature's size (about 3.5 KB, the signer's chain inside).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { migrate } from '../server/src/migrations';
import { readFeed } from '../server/src/store/feed';
import { tempDir } from './helpers';
import { testStore } from './server-helpers';

const tmp = tempDir('feed-signature');
let own: Awaited<ReturnType<typeof testStore>>;
const SIZES = [1, 56, 57, 58, 114, 3534];
const signatures = SIZES.map((n) => randomBytes(n));

beforeAll(async () => {
  own = await testStore(tmp.dir);
  await migrate(own.store);
  for (const [i, signature] of signatures.entries()) {
    await own.store.query(
      `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, device, flags)
       VALUES ('AUE', $1::bigint, $2, $2, 1, 0, 'application.recorded', '{}', '900512400018', 'specialist', 'c', '2026-12-04T00:00:00Z', NULL, $2, $3, 'AUE/W2', '[]')`,
      [i + 1, `event-${i + 1}`, signature],
    );
  }
});
afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

test('the feed gives each stored signature back as the base64 of its exact bytes, with no line breaks', async () => {
  const rows = await readFeed(own.store, 'events', 'AUE', 0, 100);
  expect(rows.map((r) => r.seq)).toEqual(SIZES.map((_, i) => i + 1));
  for (const [i, row] of rows.entries()) {
    const text = String(row.event!.signature);
    expect(text).not.toMatch(/\s/);
    expect(text).toBe(signatures[i]!.toString('base64'));
    expect(Buffer.from(text, 'base64').equals(signatures[i]!)).toBe(true);
  }
});
