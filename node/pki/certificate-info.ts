/**
 * What the verifier needs of a certificate, read once from its DER and kept by its SHA-256: an office's events are
 * signed by a handful of people, so a pull or a push of thousands of events meets the same few certificates.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { rolesFromExtendedKeyUsage, type Role } from '../../shared/roles';
import { algorithmName, OID, UnsupportedAlgorithmError } from './algorithms';
import { children, contents, DerError, encodeTlv, expect, oidText, readTlv, TAG, timeOf, whole } from './der';

export interface CertificateInfo {
  der: Buffer;
  sha256: string;
  x509: X509Certificate;
  /** The issuer Name and serial number as CMS names a signer (IssuerAndSerialNumber, DER). */
  sid: Buffer;
  /** Upper-case hex without leading zeros, as CRLs are compared. */
  serial: string;
  validFrom: number;
  validTo: number;
  isCa: boolean;
  /** keyUsage: digitalSignature and nonRepudiation, what a signing key must have. */
  signingUsage: boolean;
  /** The keyUsage bits a staff key is told by: a signing key (RSA256_…) or an authentication key (AUTH_RSA256_…). */
  keyUsage: { digitalSignature: boolean; nonRepudiation: boolean; keyEncipherment: boolean };
  /** Extended key usages (OIDs), where the simulated PKI carries roles and device marks. */
  extendedKeyUsage: readonly string[];
  roles: readonly Role[];
  /** From the subject: the IIN (SERIALNUMBER without "IIN"), the BIN (OU without "BIN"), the common name and surname. */
  iin: string;
  bin: string;
  commonName: string;
  surname: string;
  /** The key's algorithm when it is not RSA (we check RSA only); null for RSA. */
  unsupportedKey: string | null;
  publicKey(): KeyObject;
}

const KEY_USAGE = '2.5.29.15';
const cache = new Map<string, CertificateInfo>();
const CACHE_LIMIT = 4096;

/** One attribute of a subject as Node prints it, one attribute a line: "CN=…\nSN=…\nserialNumber=IIN…". */
export function subjectAttribute(subject: string, key: string): string {
  const line = subject.split('\n').find((l) => l.startsWith(`${key}=`));
  return line ? line.slice(key.length + 1) : '';
}

/** The certificate whose DER this is; throws DerError (or UnsupportedAlgorithmError never: see unsupportedKey). */
export function certificateInfo(der: Buffer): CertificateInfo {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const known = cache.get(sha256);
  if (known) return known;
  const info = readCertificate(Buffer.from(der), sha256);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(sha256, info);
  return info;
}

/** The same, for a certificate Node has already parsed (a trust store's roots and intermediates). */
export const infoOfX509 = (cert: X509Certificate): CertificateInfo => certificateInfo(Buffer.from(cert.raw));

function readCertificate(der: Buffer, sha256: string): CertificateInfo {
  const top = readTlv(der, 0);
  if (top.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const [tbsNode] = children(der, expect(top, 0, TAG.SEQUENCE, 'certificate'));
  const tbs = children(der, expect(tbsNode, 0, TAG.SEQUENCE, 'tbsCertificate'));
  const v = tbs[0]!.cls === 2 && tbs[0]!.tag === 0 ? 1 : 0; // [0] version is optional
  const serialNode = expect(tbs[v], 0, TAG.INTEGER, 'serial');
  const issuer = expect(tbs[v + 2], 0, TAG.SEQUENCE, 'issuer');
  const validity = children(der, expect(tbs[v + 3], 0, TAG.SEQUENCE, 'validity'));
  const spki = children(der, expect(tbs[v + 5], 0, TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  const keyOid = oidText(der, children(der, expect(spki[0], 0, TAG.SEQUENCE, 'key algorithm'))[0]!);
  const extensions = tbs.find((t) => t.cls === 2 && t.tag === 3);
  const x509 = new X509Certificate(der);
  const keyUsage = { digitalSignature: false, nonRepudiation: false, keyEncipherment: false };
  if (extensions) {
    for (const ext of children(der, children(der, extensions)[0]!)) {
      const parts = children(der, ext);
      if (oidText(der, parts[0]!) !== KEY_USAGE) continue;
      const bits = contents(der, readTlv(der, parts[parts.length - 1]!.body, parts[parts.length - 1]!.end));
      // BIT STRING: the unused-bits count, then bit 0 digitalSignature (0x80), bit 1 nonRepudiation (0x40), bit 2 keyEncipherment (0x20).
      const b = bits.length > 1 ? bits[1]! : 0;
      Object.assign(keyUsage, { digitalSignature: (b & 0x80) !== 0, nonRepudiation: (b & 0x40) !== 0, keyEncipherment: (b & 0x20) !== 0 });
    }
  }
  const extendedKeyUsage = x509.keyUsage ?? [];
  let key: KeyObject | null = null;
  const unsupportedKey = keyOid === OID.rsaEncryption ? null : algorithmName(keyOid);
  return {
    der,
    sha256,
    x509,
    sid: encodeTlv(0x30, Buffer.concat([whole(der, issuer), whole(der, serialNode)])),
    serial: contents(der, serialNode).toString('hex').toUpperCase().replace(/^0+(?=.)/, ''),
    validFrom: timeOf(der, validity[0]!).getTime(),
    validTo: timeOf(der, validity[1]!).getTime(),
    isCa: x509.ca,
    signingUsage: keyUsage.digitalSignature && keyUsage.nonRepudiation,
    keyUsage,
    extendedKeyUsage,
    roles: rolesFromExtendedKeyUsage(extendedKeyUsage),
    iin: subjectAttribute(x509.subject, 'serialNumber').replace(/^IIN/, ''),
    bin: subjectAttribute(x509.subject, 'OU').replace(/^BIN/, ''),
    commonName: subjectAttribute(x509.subject, 'CN'),
    surname: subjectAttribute(x509.subject, 'SN'),
    unsupportedKey,
    publicKey() {
      if (unsupportedKey) throw new UnsupportedAlgorithmError(unsupportedKey);
      return (key ??= x509.publicKey);
    },
  };
}
