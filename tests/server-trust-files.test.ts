/**
 * The server asks the PKI folder on every request what it trusts and which staff acts it holds. It reads a file again
 * only when it changed (one stat a request, not a read), and what changed is seen at the next request.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { revoke } from '../node/pki/crl';
import { STAFF_ACTS_FILE } from '../node/staff-acts';
import { pkiTrust } from '../server/src/trust';
import { makePki, tempDir } from './helpers';

// Counts the reads of the staff acts file; every call still goes to the real file system.
const staffReads = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((file: string, ...rest: unknown[]) => {
    if (String(file).endsWith('staff-acts.jsonl')) staffReads.count++;
    return (fs.readFileSync as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

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

test('an unchanged staff acts file is not read again, however many requests ask', () => {
  const file = path.join(dir, STAFF_ACTS_FILE);
  writeFileSync(file, '{"id":"b1"}\n');
  const trust = pkiTrust(dir);
  staffReads.count = 0;
  for (let i = 0; i < 5; i++) expect(trust.staffActsText!()).toBe('{"id":"b1"}\n');
  expect(staffReads.count).toBe(1);
});

test('the trust store is the same object while the folder is unchanged, and a new CRL is taken at the next request', () => {
  const trust = pkiTrust(dir);
  const first = trust.store();
  expect(trust.store()).toBe(first);
  expect(first.revoked?.has('ABCDEF01')).toBe(false);
  revoke(dir, 'ABCDEF01', 'keyCompromise');
  expect(trust.store().revoked?.has('ABCDEF01')).toBe(true);
});
