// The tests' bank of RSA-2048 keys (tests/setup-keys.ts): node scripts/make-test-key-bank.mjs 400 tests/fixtures/rsa-2048-keys.txt
// PKCS#1 DER in base64, one key a line; made on libuv's threads, about a fifth of a second of a core each.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
const n = Number(process.argv[2] ?? 400);
const keys = await Promise.all(Array.from({ length: n }, () => promisify(generateKeyPair)('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs1', format: 'der' } })));
writeFileSync(process.argv[3] ?? 'tests/fixtures/rsa-2048-keys.txt', keys.map((k) => k.privateKey.toString('base64')).join('\n') + '\n');
