/**
 * Opening a staff PKCS#12 key file and checking its certificate as a Kazakh office's sign-in does: the chain to
 * a trusted root, the validity dates, the key usage and the role. Each failure has its own error code.
 */
import { X509Certificate, createHash, createPrivateKey, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import forge from 'node-forge';
import { keyFileIds } from './key-identity';
import { AppError } from '../../shared/errors';
import type { Identity } from '../../shared/contract/types';
import { rolesFromExtendedKeyUsage } from '../../shared/roles';
import { infoOfX509 } from './certificate-info';
import { chainValidAt, type TrustStore } from './trust';

export type { TrustStore };

const { pki, asn1 } = forge;

export interface OpenedKeyFile {
  certificate: forge.pki.Certificate;
  /** Every certificate in the file, leaf included, as PEM. */
  chainPem: string[];
  privateKeyPem: string;
}

/** Decrypts a PKCS#12 file. Throws signin.not_pkcs12, signin.wrong_password, signin.no_certificate, signin.key_mismatch. */
export function openKeyFile(bytes: Buffer, password: string): OpenedKeyFile {
  let der: forge.asn1.Asn1;
  try {
    der = asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), true);
  } catch {
    throw new AppError('signin.not_pkcs12');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(der, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // forge checks the MAC first; a file without a MAC fails to decrypt instead.
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) throw new AppError('signin.wrong_password');
    throw new AppError('signin.not_pkcs12');
  }
  const keyBags = [
    ...(p12.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag! })[pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: pki.oids.keyBag! })[pki.oids.keyBag!] ?? []),
  ];
  const certs = (p12.getBags({ bagType: pki.oids.certBag! })[pki.oids.certBag!] ?? [])
    .map((bag) => bag.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c));
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  // forge decodes RSA keys only: a bag that decrypted but holds no key is another algorithm (EC, GOST…).
  if (!key && keyBags[0]?.asn1) throw new AppError('ecp.not_rsa_key', { algorithm: keyAlgorithm(keyBags[0].asn1) });
  if (!key) throw new AppError('signin.wrong_password');
  if (certs.length === 0) throw new AppError('signin.no_certificate');
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.equals(key.n) && pub.e?.equals(key.e);
  });
  if (!leaf) throw new AppError('signin.key_mismatch');
  return {
    certificate: leaf,
    chainPem: certs.map((c) => pki.certificateToPem(c)),
    privateKeyPem: pki.privateKeyToPem(key),
  };
}

const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.2.398.3.10.1.1.1.1': 'GOST 34.310',
  '1.2.398.3.10.1.1.2.3.1': 'GOST 34.10-2015',
};

/** The algorithm named in a PrivateKeyInfo (PKCS#8): SEQUENCE { version, AlgorithmIdentifier { oid, … }, key }. */
function keyAlgorithm(info: forge.asn1.Asn1): string {
  try {
    const algId = (info.value as forge.asn1.Asn1[])[1]!;
    const oid = asn1.derToOid((algId.value as forge.asn1.Asn1[])[0]!.value as string);
    return KEY_ALGORITHMS[oid] ?? oid;
  } catch {
    return '?';
  }
}

/** Proof of possession: the decrypted private key signs a random challenge that the certificate's key verifies. */
export function provePossession(opened: OpenedKeyFile): void {
  const challenge = createHash('sha256').update(String(Math.random()) + Date.now()).digest();
  const signature = rsaSign('sha256', challenge, createPrivateKey(opened.privateKeyPem));
  const cert = new X509Certificate(pki.certificateToPem(opened.certificate));
  if (!rsaVerify('sha256', challenge, cert.publicKey, signature)) throw new AppError('signin.key_mismatch');
}

export function normalizeSerial(serial: string): string {
  return serial.replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Whether `cert` chains to one of the trusted roots through the file's own certificates or known intermediates. */
export function chainsToTrustedRoot(cert: X509Certificate, extra: X509Certificate[], trust: TrustStore, at: Date): boolean {
  return chainValidAt(infoOfX509(cert), extra.map(infoOfX509), trust, at);
}

function field(cert: forge.pki.Certificate, type: string): string {
  const value = cert.subject.getField({ type } as never)?.value as string | undefined;
  if (value === undefined) return '';
  // forge keeps UTF8String values as UTF-8 bytes in a binary string.
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

/**
 * Checks a staff signing certificate at time `at`, in this order: chain to a trusted root, validity dates,
 * key usage, role. Returns the person as the certificate names them.
 */
export function verifyStaffCertificate(opened: OpenedKeyFile, trust: TrustStore, at: Date): Identity {
  const leafPem = pki.certificateToPem(opened.certificate);
  const leaf = new X509Certificate(leafPem);
  const extra = opened.chainPem.map((pem) => new X509Certificate(pem));
  if (!chainsToTrustedRoot(leaf, extra, trust, at)) throw new AppError('signin.unknown_ca');
  if (trust.revoked?.has(normalizeSerial(leaf.serialNumber))) throw new AppError('signin.revoked');

  const validFrom = new Date(leaf.validFrom);
  const validTo = new Date(leaf.validTo);
  if (at > validTo) throw new AppError('signin.expired', { date: isoDate(validTo) });
  if (at < validFrom) throw new AppError('signin.not_yet_valid', { date: isoDate(validFrom) });

  const usage = opened.certificate.getExtension('keyUsage') as
    | { digitalSignature?: boolean; nonRepudiation?: boolean; keyEncipherment?: boolean }
    | undefined;
  if (!usage?.digitalSignature || !usage.nonRepudiation) {
    if (usage?.digitalSignature && usage.keyEncipherment) throw new AppError('signin.auth_only_key');
    throw new AppError('signin.not_signing_key');
  }

  // Node names the extended key usages "keyUsage"; forge drops OIDs it has no name for.
  const roles = rolesFromExtendedKeyUsage(leaf.keyUsage ?? []);
  if (roles.length === 0) throw new AppError('signin.no_role');

  const serialNumberField = field(opened.certificate, '2.5.4.5');
  const bin = field(opened.certificate, '2.5.4.11');
  return {
    commonName: field(opened.certificate, '2.5.4.3'),
    surname: field(opened.certificate, '2.5.4.4'),
    givenName: field(opened.certificate, '2.5.4.3').split(' ').slice(1).join(' '),
    patronymic: field(opened.certificate, '2.5.4.42'),
    iin: serialNumberField.replace(/^IIN/, ''),
    role: roles[0]!,
    roles,
    office: field(opened.certificate, '2.5.4.10'),
    officeBin: bin.replace(/^BIN/, ''),
    certificateSerial: leaf.serialNumber,
    certificateSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
    validTo: validTo.toISOString(),
  };
}

/** Reads PEM bundles (root and intermediates) into a trust store. */
export function trustStoreFromPem(rootsPem: string, intermediatesPem: string): TrustStore {
  const split = (bundle: string) =>
    (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));
  return { roots: split(rootsPem), intermediates: split(intermediatesPem) };
}

/** A key file's one name for the audit trail and its session: the first of the names its lockout counts by (./key-identity.ts). */
export function keyFileId(bytes: Buffer): string {
  return keyFileIds(bytes)[0]!;
}
