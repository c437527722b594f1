import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsFormatError, signDetached, verifyDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('cms');
let pki: ReturnType<typeof makePki>;
let signer: { privateKeyPem: string; chainPem: string[] };

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  const opened = openKeyFile(Buffer.from(pki.issue({ patronymic: 'Нұрланқызы' }), 'base64'), 'pw');
  signer = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
});
afterAll(() => tmp.remove());

function opensslVerify(content: Buffer, p7s: Buffer) {
  const file = path.join(tmp.dir, `c-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, content);
  writeFileSync(`${file}.p7s`, p7s);
  return spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', `${file}.p7s`, '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
}

describe('detached CMS signatures (CAdES-BES)', () => {
  const scan = randomBytes(2 * 1024 * 1024);

  it('are verified by openssl cms -verify, exactly as the issue names the command', () => {
    const p7s = signDetached(scan, signer, new Date('2026-11-24T10:00:00Z'));
    const r = opensslVerify(scan, p7s);
    expect(r.stderr).toContain('Verification successful');
    expect(r.status).toBe(0);
  });

  it('carry the signer\'s certificate and its issuing CA, never the root: the one who checks trusts a root of their own', () => {
    const file = path.join(tmp.dir, 'certs.p7s');
    writeFileSync(file, signDetached(Buffer.from('{"event":1}'), signer));
    const carried = spawnSync('openssl', ['pkcs7', '-inform', 'DER', '-in', file, '-print_certs'], { encoding: 'utf8' }).stdout;
    const subjects = carried.split('\n').filter((l) => l.startsWith('subject='));
    const subjectOf = (pem: string) => spawnSync('openssl', ['x509', '-noout', '-subject'], { input: pem, encoding: 'utf8' }).stdout.trim();
    expect(subjects).toEqual([subjectOf(signer.chainPem[0]!), subjectOf(signer.chainPem[1]!)]);
    expect(signer.chainPem).toHaveLength(3);
    expect(carried).not.toContain(subjectOf(signer.chainPem[2]!));
  });

  it('carry contentType, signingTime, messageDigest and signingCertificateV2 as signed attributes', () => {
    const file = path.join(tmp.dir, 'attrs.p7s');
    writeFileSync(file, signDetached(Buffer.from('{"event":1}'), signer, new Date('2026-11-24T10:00:00Z')));
    const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', file], { encoding: 'utf8' }).stdout;
    for (const attr of ['contentType', 'signingTime', 'messageDigest', 'id-smime-aa-signingCertificateV2']) expect(printed).toContain(attr);
    expect(printed).toContain('Nov 24 10:00:00 2026 GMT');
  });

  it('are found broken, by openssl and by our verifier, when one byte of the content changes', () => {
    const p7s = signDetached(scan, signer);
    const tampered = Buffer.from(scan);
    tampered[123_456] = tampered[123_456]! ^ 0x01;
    expect(opensslVerify(tampered, p7s).status).not.toBe(0);
    expect(verifyDetached(tampered, p7s)).toMatchObject({ contentIntact: false, signatureValid: true });
    const ok = verifyDetached(scan, p7s);
    expect(ok).toMatchObject({ contentIntact: true, signatureValid: true });
    expect(ok.signerCertificate?.subject).toContain('SN=Сейітқали');
    // Given by its SHA-256 (a stored page the caller has just hashed), the content is judged the same way.
    const digest = (b: Buffer) => ({ sha256: createHash('sha256').update(b).digest() });
    expect(verifyDetached(digest(scan), p7s)).toMatchObject({ contentIntact: true, signatureValid: true });
    expect(verifyDetached(digest(tampered), p7s)).toMatchObject({ contentIntact: false, signatureValid: true });
  });

  it('are found broken when one byte of the signature changes, and refuse what is not CMS', () => {
    const p7s = signDetached(scan, signer);
    const bad = Buffer.from(p7s);
    bad[bad.length - 10] = bad[bad.length - 10]! ^ 0xff;
    expect(verifyDetached(scan, bad).signatureValid).toBe(false);
    expect(opensslVerify(scan, bad).status).not.toBe(0);
    expect(() => verifyDetached(scan, Buffer.from('not a signature'))).toThrow(CmsFormatError);
    expect(() => verifyDetached(scan, p7s.subarray(0, 200))).toThrow(CmsFormatError);
    // Well-formed DER of the wrong shape (a certificate) is refused the same way.
    const cert = spawnSync('openssl', ['x509', '-in', path.join(pki.dir, 'root.crt.pem'), '-outform', 'DER']).stdout;
    expect(() => verifyDetached(scan, cert)).toThrow(CmsFormatError);
  });
});
