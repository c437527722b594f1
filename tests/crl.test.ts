import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeyFile } from '../node/pki/keyfile';
import { makePki, makeWorkstation, tempDir } from './helpers';

const tmp = tempDir('crl');
let pki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;
const jardem = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], { encoding: 'utf8' });
const serialOf = (p12Base64: string) => new X509Certificate(openKeyFile(Buffer.from(p12Base64, 'base64'), 'pw').chainPem[0]!).serialNumber;

let revokedKey: string;
let goodKey: string;

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  revokedKey = pki.issue();
  goodKey = pki.issue();
  expect(jardem('pki', 'revoke', '--dir', pki.dir, '--serial', serialOf(revokedKey), '--reason', 'keyCompromise').status).toBe(0);
  expect(jardem('pki', 'crl', '--dir', pki.dir, '--out', path.join(tmp.dir, 'crl.pem')).status).toBe(0);
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

const signIn = (p12Base64: string) => ws.dispatch({ method: 'session.signIn', input: { p12Base64, password: 'pw' } });

describe('revocation and the CRL', () => {
  it('the CRL is signed by the issuing CA as OpenSSL checks it, and lists the revoked serial', () => {
    const crl = path.join(tmp.dir, 'crl.pem');
    const checked = spawnSync('openssl', ['crl', '-in', crl, '-CAfile', path.join(pki.dir, 'issuing.crt.pem'), '-noout'], { encoding: 'utf8' });
    expect(checked.stderr.trim()).toBe('verify OK');
    const text = spawnSync('openssl', ['crl', '-in', crl, '-noout', '-text'], { encoding: 'utf8' }).stdout;
    // OpenSSL prints whole bytes (07E3…), Node drops a leading zero nibble (7E3…): compare without leading zeros.
    const norm = (hex: string) => hex.toUpperCase().replace(/^0+/, '');
    const listed = [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => norm(m[1]!));
    expect(listed).toEqual([norm(serialOf(revokedKey))]);
    expect(listed).not.toContain(norm(serialOf(goodKey)));
  });

  it('a workstation that imported the CRL refuses the revoked key at sign-in, and accepts the others', async () => {
    expect((await signIn(revokedKey)).ok).toBe(true);
    const imported = jardem('crl', 'import', path.join(tmp.dir, 'crl.pem'), '--data-dir', ws.ctx.dataDir);
    expect(imported.status).toBe(0);
    expect(await signIn(revokedKey)).toEqual({ ok: false, error: { code: 'signin.revoked' } });
    expect((await signIn(goodKey)).ok).toBe(true);
  });

  it('refuses to import a CRL that no trusted CA signed', () => {
    const other = makePki(path.join(tmp.dir, 'other'));
    jardem('pki', 'crl', '--dir', other.dir, '--out', path.join(tmp.dir, 'foreign.pem'));
    const r = jardem('crl', 'import', path.join(tmp.dir, 'foreign.pem'), '--data-dir', ws.ctx.dataDir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('not signed by a CA this workstation trusts');
  });

  it('jardem verify --crl names a signature by a revoked key', () => {
    const keyFile = path.join(tmp.dir, 'RSA256_revoked.p12');
    writeFileSync(keyFile, Buffer.from(revokedKey, 'base64'));
    const doc = path.join(tmp.dir, 'decision.pdf');
    writeFileSync(doc, 'decision');
    expect(jardem('sign', '--key', keyFile, '--password', 'pw', doc).status).toBe(0);
    const withoutCrl = jardem('verify', doc, '--ca', path.join(pki.dir, 'root.crt.pem'));
    expect(JSON.parse(withoutCrl.stdout).valid).toBe(true);
    const withCrl = jardem('verify', doc, '--ca', path.join(pki.dir, 'root.crt.pem'), '--crl', path.join(tmp.dir, 'crl.pem'));
    expect(withCrl.status).toBe(1);
    expect(JSON.parse(withCrl.stdout).errors).toEqual(['revoked']);
    expect(readFileSync(`${doc}.p7s`).length).toBeGreaterThan(1000);
  });
});
