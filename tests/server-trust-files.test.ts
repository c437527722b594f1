/**
 * The server asks the PKI folder on every request what it trusts and which staff acts it holds. It reads a file again
 * only when it changed (one stat a request, not a read), and what changed is seen at the next request.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { revoke } from '../node/pki/crl';
import { STAFF_ACTS_FILE } from '../node/staff-acts';
import { pkiTrust } from '../server/src/trust';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('server-trust-files');
let dir: string;

beforeAll(() => {
  dir = makePki(path.join(tmp.dir, 'pki')).dir;
});
afterAll(() => tmp.remove());

test("the staff acts file is read when it appears, changes or goes, and each request after sees what it holds", () => {
  const file = path.join(dir, STAFF_ACTS_FILE);
  const trust = pkiTrust(dir);
  rmSync(file, { force: true });
  expect(trust.staffActsText!()).toBeNull();
  writeFileSync(file, '{"id":"a1"}\n');
  expect(trust.staffActsText!()).toBe('{"id":"a1"}\n');
  expect(trust.staffActsText!()).toBe('{"id":"a1"}\n');
  writeFileSync(file, '{"id":"a1"}\n{"id":"a2"}\n');
  expect(trust.staffActsText!()).toBe('{"id":"a1"}\n{"id":"a2"}\n');
  rmSync(file);
  expect(trust.staffActsText!()).toBeNull();
});

test('a staff acts file whose time and size have not moved is not read again', () => {
  const file = path.join(dir, STAFF_ACTS_FILE);
  const trust = pkiTrust(dir);
  writeFileSync(file, '{"id":"b1"}\n');
  utimesSync(file, 1_800_000_000, 1_800_000_000);
  expect(trust.staffActsText!()).toBe('{"id":"b1"}\n');
  // Other bytes of the same length, under the same time: what was read stands, so nothing was read again.
  writeFileSync(file, '{"id":"b2"}\n');
  utimesSync(file, 1_800_000_000, 1_800_000_000);
  expect(trust.staffActsText!()).toBe('{"id":"b1"}\n');
  // Its time moved: read again.
  utimesSync(file, 1_800_000_001, 1_800_000_001);
  expect(trust.staffActsText!()).toBe('{"id":"b2"}\n');
});

test('the trust store is the same object while the folder is unchanged, and a new CRL is taken at the next request', () => {
  const trust = pkiTrust(dir);
  const first = trust.store();
  expect(trust.store()).toBe(first);
  expect(first.revoked?.has('ABCDEF01')).toBe(false);
  revoke(dir, 'ABCDEF01', 'keyCompromise');
  expect(trust.store().revoked?.has('ABCDEF01')).toBe(true);
});
