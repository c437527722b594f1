/**
 * The suite's bank of RSA-2048 keys (fixtures/rsa-2048-keys.txt: PKCS#1 DER in base64, one a line, made by
 * scripts/make-test-key-bank.mjs): the tests' PKIs issue their people's, devices' and CAs' keys from it instead of
 * making each one, a fifth of a second of a core. Loaded once a worker: the worker keeps its modules from file to
 * file (isolate: false), so no key of the bank is given twice in it, and a PKI belongs to one file. When the bank
 * runs out, keys are made again; the CLI and the servers the tests start make their own.
 */
import { readFileSync } from 'node:fs';
import { addKeysMadeAhead } from '../node/pki/cert-parts';

const loaded = Symbol.for('jardem.tests.rsaKeyBank');
const worker = globalThis as { [loaded]?: true };
if (!worker[loaded]) {
  worker[loaded] = true;
  const lines = readFileSync(new URL('./fixtures/rsa-2048-keys.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
  addKeysMadeAhead(lines.map((der) => `-----BEGIN RSA PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END RSA PRIVATE KEY-----\n`));
}
