/** Keys made ahead on libuv's threads are each taken once, by the next keys the PKI makes, and then made on the spot again. */
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addKeysMadeAhead, keysMadeAhead, makeRsaKeysAhead, newRsaKey, takeKeysMadeAhead } from '../node/pki/cert-parts';

// The suite's bank (./setup-keys.ts) is set aside, and given back for the files after this one.
let bank: string[] = [];
beforeAll(() => {
  bank = takeKeysMadeAhead();
});
afterAll(() => addKeysMadeAhead(bank));

it('takes each key made ahead once, then makes its own', async () => {
  expect(keysMadeAhead()).toBe(0);
  await makeRsaKeysAhead(3);
  expect(keysMadeAhead()).toBe(3);
  const keys = Array.from({ length: 4 }, () => newRsaKey());
  expect(keysMadeAhead()).toBe(0);
  const moduli = new Set(keys.map((k) => k.publicKey.n.toString(16)));
  expect(moduli.size).toBe(keys.length);
  for (const k of keys) expect(k.publicKey.n.bitLength()).toBe(2048);
});

it('takes the keys of a bank made before the process, each once, in place of making them', () => {
  // Two of the bank's keys, out of it for good: a key is given once in a worker.
  const two = bank.splice(0, 2);
  addKeysMadeAhead(two);
  const taken = [newRsaKey(), newRsaKey()].map((k) => k.publicKey.n.toString(16));
  expect(keysMadeAhead()).toBe(0);
  // The bank's own keys (their moduli as node:crypto reads them), not new ones.
  const own = two.map((pem) => Buffer.from(createPrivateKey(pem).export({ format: 'jwk' }).n!, 'base64url').toString('hex').replace(/^0+/, ''));
  expect(taken.sort()).toEqual(own.sort());
});
