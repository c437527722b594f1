/**
 * The native PKCS#12 reader against node-forge's and OpenSSL's own files: the same key and certificates as forge
 * reads, the legacy 3DES files that Java-made keys use, and a specific refusal for each way a file can be wrong.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { openPkcs12, pkcs12Kdf } from '../node/pki/pkcs12';
import { openKeyFile } from '../node/pki/keyfile';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('pkcs12');
let pki: ReturnType<typeof makePki>;
let forgeFile: Buffer;

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  forgeFile = Buffer.from(pki.issue({ patronymic: 'Нұрланқызы' }), 'base64');
});
afterAll(() => tmp.remove());

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? { code: error.code, params: error.params } : { code: String(error) };
  }
  return { code: 'opened' };
};

function openssl(args: string[], input?: string) {
  const r = spawnSync('openssl', args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** The same key and chain written again by OpenSSL with the given options. */
function rewrite(name: string, options: string[], password = 'pw'): Buffer {
  const opened = openKeyFile(forgeFile, 'pw');
  const keyPem = path.join(tmp.dir, `${name}.key`);
  const certPem = path.join(tmp.dir, `${name}.crt`);
  writeFileSync(keyPem, opened.privateKeyPem);
  writeFileSync(certPem, opened.chainPem.join(''));
  const out = path.join(tmp.dir, `${name}.p12`);
  openssl(['pkcs12', '-export', '-inkey', keyPem, '-in', certPem, '-out', out, '-passout', `pass:${password}`, ...options]);
  return readFileSync(out);
}

describe('the native PKCS#12 reader', () => {
  it('reads the same private key and certificates as node-forge from a forge-made file (PBES2, AES-256)', () => {
    const ours = openPkcs12(forgeFile, 'pw');
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forgeFile.toString('binary')), 'pw');
    const bag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]![0]!;
    const forgeKey = createPrivateKey(forge.pki.privateKeyToPem(bag.key!));
    expect(ours.privateKey.export({ type: 'pkcs1', format: 'der' }).equals(forgeKey.export({ type: 'pkcs1', format: 'der' }))).toBe(true);
    const forgeCerts = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!.map((b) => new X509Certificate(forge.pki.certificateToPem(b.cert!)).fingerprint256);
    expect(ours.certificates.map((c) => c.fingerprint256).sort()).toEqual([...forgeCerts].sort());
    // The leaf comes first: the certificate whose key is in the file.
    expect(ours.certificates[0]!.checkPrivateKey(ours.privateKey)).toBe(true);
  });

  it('derives PKCS#12 keys as forge does (RFC 7292 appendix B.2), for a key, an IV and a MAC', () => {
    const salt = Buffer.from('0123456789abcdef0123', 'latin1');
    for (const [id, size] of [[1, 24], [2, 8], [3, 20]] as const) {
      const theirs = Buffer.from((forge.pki as unknown as { pbe: { generatePkcs12Key: (p: string, s: forge.util.ByteStringBuffer, id: number, n: number, size: number) => forge.util.ByteStringBuffer } }).pbe.generatePkcs12Key('пароль-pw', forge.util.createBuffer(salt.toString('binary')), id, 2048, size).getBytes(), 'binary');
      // forge encodes each character as two bytes, as BMPString does.
      expect(pkcs12Kdf(['sha1', 64], 'пароль-pw', salt, id, 2048, size).equals(theirs)).toBe(true);
    }
  });

  it('opens OpenSSL 3 files: default PBES2 with SHA-256, and legacy pbeWithSHAAnd3-KeyTripleDES-CBC as Java writes them', () => {
    const expected = openPkcs12(forgeFile, 'pw').certificates[0]!.fingerprint256;
    const modern = openPkcs12(rewrite('modern', []), 'pw');
    expect(modern.certificates[0]!.fingerprint256).toBe(expected);
    const legacy = openPkcs12(rewrite('legacy', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']), 'pw');
    expect(legacy.certificates[0]!.fingerprint256).toBe(expected);
    expect(legacy.certificates).toHaveLength(3);
  });

  it('refuses a wrong password, a file that is not PKCS#12 and a non-RSA key, each by its own code', () => {
    expect(codeOf(() => openPkcs12(forgeFile, 'nope')).code).toBe('signin.wrong_password');
    expect(codeOf(() => openPkcs12(rewrite('nomac', ['-nomac']), 'nope')).code).toBe('signin.wrong_password');
    expect(codeOf(() => openPkcs12(Buffer.from('not a key file at all'), 'pw')).code).toBe('signin.not_pkcs12');
    expect(codeOf(() => openPkcs12(forgeFile.subarray(0, 200), 'pw')).code).toBe('signin.not_pkcs12');
    const ecKey = path.join(tmp.dir, 'ec.key');
    const ecCrt = path.join(tmp.dir, 'ec.crt');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ecKey, '-out', ecCrt, '-subj', '/CN=ec', '-days', '1']);
    const ecFile = path.join(tmp.dir, 'ec.p12');
    openssl(['pkcs12', '-export', '-inkey', ecKey, '-in', ecCrt, '-out', ecFile, '-passout', 'pass:pw']);
    const refused = codeOf(() => openPkcs12(readFileSync(ecFile), 'pw'));
    expect(refused.code).toBe('ecp.not_rsa_key');
    expect(refused.params?.algorithm).toBe('EC');
  });

  it('refuses a file whose key belongs to none of its certificates', () => {
    const other = openKeyFile(Buffer.from(pki.issue({ iin: '780304300003', surname: 'Басқа' }), 'base64'), 'pw');
    const mine = openKeyFile(forgeFile, 'pw');
    const mixed = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(createPrivateKey(mine.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }) as string), [forge.pki.certificateFromPem(other.chainPem[0]!)], 'pw', { algorithm: 'aes256' });
    expect(codeOf(() => openPkcs12(Buffer.from(forge.asn1.toDer(mixed).getBytes(), 'binary'), 'pw')).code).toBe('signin.key_mismatch');
  });
});
