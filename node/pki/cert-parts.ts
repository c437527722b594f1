/**
 * The parts every certificate of the simulated PKI is built from: a fresh RSA key (node:crypto; forge's pure-JS key
 * generation takes seconds), a positive serial, and the name attributes in the encodings the national CA uses.
 */
import { createPrivateKey, generateKeyPair, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const { pki, asn1 } = forge;

const RSA = { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } } as const;

/** Fresh keys made ahead of a run that needs many at once, each taken once. */
const madeAhead: string[] = [];

/**
 * Makes `count` keys at once on libuv's threads, for the next `newRsaKey` calls: a demo office needs fourteen, which
 * one after the other on the calling thread took seconds of a newcomer's first minute.
 */
export async function makeRsaKeysAhead(count: number): Promise<void> {
  const made = await Promise.all(Array.from({ length: count }, () => promisify(generateKeyPair)('rsa', RSA)));
  madeAhead.push(...made.map((k) => k.privateKey));
}

/** How many keys made ahead are still to be taken. */
export const keysMadeAhead = () => madeAhead.length;

/**
 * Keys made before this process began (PKCS#1 PEM), to be taken like those made ahead: the test suite's bank, since
 * making a key costs a fifth of a second of a core and the suite's PKIs issue hundreds.
 */
export function addKeysMadeAhead(pems: readonly string[]): void {
  madeAhead.push(...pems);
}

/** Takes every key made ahead and not yet taken, out of the next `newRsaKey` calls' way. */
export function takeKeysMadeAhead(): string[] {
  return madeAhead.splice(0);
}

export function newRsaKey() {
  const privateKey = madeAhead.pop() ?? generateKeyPairSync('rsa', RSA).privateKey;
  const key = pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: pki.setRsaPublicKey(key.n, key.e) };
}

/**
 * Signs a certificate with SHA-256 and RSA, as forge's `cert.sign` does, but with node:crypto's RSA: forge's
 * JavaScript RSA took 40 ms a certificate.
 */
export function signCertificate(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): void {
  cert.signatureOid = cert.siginfo.algorithmOid = pki.oids.sha256WithRSAEncryption!;
  // forge's own step of `cert.sign`, not in its type declarations.
  cert.tbsCertificate = (pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = asn1.toDer(cert.tbsCertificate).getBytes();
  cert.md = forge.md.sha256.create().update(tbs);
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), createPrivateKey(pki.privateKeyToPem(key))).toString('binary');
}

export function serialNumber(): string {
  // Positive 128-bit serial (leading byte below 0x80).
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f | 0x01;
  return bytes.toString('hex');
}

export type Attr = { type: string; value: string; valueTagClass: number };
export const utf8 = (type: string, value: string): Attr => ({ type, value, valueTagClass: asn1.Type.UTF8 });
export const printable = (type: string, value: string): Attr => ({ type, value, valueTagClass: asn1.Type.PRINTABLESTRING });

export const OID = {
  CN: '2.5.4.3',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  G: '2.5.4.42',
} as const;

/**
 * A parsed certificate's subject as attributes forge can encode again. forge keeps parsed UTF8String values as
 * UTF-8 bytes but encodes given values to UTF-8, so reusing parsed attributes would encode them twice and the
 * issuer name would no longer match the CA's subject.
 */
export function decodedAttributes(cert: forge.pki.Certificate): Attr[] {
  return cert.subject.attributes.map((a) => ({
    type: a.type!,
    value: (a.valueTagClass as unknown) === asn1.Type.UTF8 ? forge.util.decodeUtf8(a.value as string) : (a.value as string),
    valueTagClass: a.valueTagClass as number,
  }));
}
