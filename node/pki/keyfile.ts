/**
 * Opening a staff PKCS#12 key file and checking its certificate as a Kazakh office's sign-in does: the chain to
 * a trusted root, the validity dates, the key usage and the role. Each failure has its own error code.
 */
import { X509Certificate, createHash, createPrivateKey, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { keyFileIds } from './key-identity';
import { AppError } from '../../shared/errors';
import type { Identity } from '../../shared/contract/types';
import { certificateInfo, infoOfX509, subjectAttribute } from './certificate-info';
import { openPkcs12 } from './pkcs12';
import type { Role } from '../../shared/roles';
import { chainValidAt, type TrustStore } from './trust';

export type { TrustStore };

export interface OpenedKeyFile {
  /** The certificate of the key in the file. */
  certificate: X509Certificate;
  /** Every certificate in the file, leaf first, as PEM. */
  chainPem: string[];
  privateKeyPem: string;
}

/**
 * Decrypts a PKCS#12 file with node:crypto (./pkcs12.ts). Throws signin.not_pkcs12, signin.wrong_password,
 * signin.no_certificate, signin.key_mismatch, ecp.not_rsa_key, ecp.unsupported_encryption.
 */
export function openKeyFile(bytes: Buffer, password: string): OpenedKeyFile {
  const { privateKey, certificates } = openPkcs12(bytes, password);
  return {
    certificate: certificates[0]!,
    chainPem: certificates.map((c) => c.toString()),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** Proof of possession: the decrypted private key signs a random challenge that the certificate's key verifies. */
export function provePossession(opened: OpenedKeyFile): void {
  const challenge = createHash('sha256').update(String(Math.random()) + Date.now()).digest();
  const signature = rsaSign('sha256', challenge, createPrivateKey(opened.privateKeyPem));
  if (!rsaVerify('sha256', challenge, opened.certificate.publicKey, signature)) throw new AppError('signin.key_mismatch');
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

/**
 * Checks a staff signing certificate at time `at`, in this order: chain to a trusted root, validity dates,
 * key usage, role. Returns the person as the certificate names them.
 */
export function verifyStaffCertificate(opened: OpenedKeyFile, trust: TrustStore, at: Date): Identity {
  return checkStaffCertificate(opened.certificate, opened.chainPem, trust, at, 'sign');
}

/**
 * The same checks for a certificate however it came (a key file, a signature made in NCALayer): `sign` asks for a
 * signing key (digitalSignature + nonRepudiation, RSA256_…), `auth` for an authentication key (digitalSignature +
 * keyEncipherment, AUTH_RSA256_…) as a sign-in by challenge proves. A key of an algorithm we cannot check is refused
 * by its name (ecp.not_rsa_key) before anything else.
 */
export function checkStaffCertificate(leaf: X509Certificate, chainPem: string[], trust: TrustStore, at: Date, usageWanted: 'sign' | 'auth'): Identity {
  const info = certificateInfo(Buffer.from(leaf.raw));
  if (info.unsupportedKey) throw new AppError('ecp.not_rsa_key', { algorithm: info.unsupportedKey });
  const extra = chainPem.map((pem) => new X509Certificate(pem));
  if (!chainsToTrustedRoot(leaf, extra, trust, at)) throw new AppError('signin.unknown_ca');
  if (trust.revoked?.has(normalizeSerial(leaf.serialNumber))) throw new AppError('signin.revoked');

  const validFrom = new Date(leaf.validFrom);
  const validTo = new Date(leaf.validTo);
  if (at > validTo) throw new AppError('signin.expired', { date: isoDate(validTo) });
  if (at < validFrom) throw new AppError('signin.not_yet_valid', { date: isoDate(validFrom) });

  const usage = info.keyUsage;
  if (usageWanted === 'auth') {
    if (!usage.digitalSignature || !usage.keyEncipherment || usage.nonRepudiation) throw new AppError('keys.wrong_usage');
  } else if (!usage.digitalSignature || !usage.nonRepudiation) {
    if (usage.digitalSignature && usage.keyEncipherment) throw new AppError('signin.auth_only_key');
    throw new AppError('signin.not_signing_key');
  }

  // A national CA's certificate names the person and the organisation, not their role in this workflow: the office's
  // staff register decides it when the session starts (electron/services/staff.ts), so none is read here.
  const roles: Role[] = [];

  const field = (key: string) => subjectAttribute(leaf.subject, key);
  return {
    commonName: field('CN'),
    surname: field('SN'),
    givenName: field('CN').split(' ').slice(1).join(' '),
    patronymic: field('GN'),
    iin: field('serialNumber').replace(/^IIN/, ''),
    role: 'specialist',
    roles,
    office: field('O'),
    officeBin: field('OU').replace(/^BIN/, ''),
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
