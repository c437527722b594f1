/** Keys made ahead on libuv's threads are each taken once, by the next keys the PKI makes, and then made on the spot again. */
import { expect, it } from 'vitest';
import { keysMadeAhead, makeRsaKeysAhead, newRsaKey } from '../node/pki/cert-parts';

it('takes each key made ahead once, then makes its own', async () => {
  const before = keysMadeAhead();
  await makeRsaKeysAhead(3);
  expect(keysMadeAhead()).toBe(before + 3);
  const keys = Array.from({ length: 3 + before + 1 }, () => newRsaKey());
  expect(keysMadeAhead()).toBe(0);
  const moduli = new Set(keys.map((k) => k.publicKey.n.toString(16)));
  expect(moduli.size).toBe(keys.length);
  for (const k of keys) expect(k.publicKey.n.bitLength()).toBe(2048);
});
