/**
 * A root certificate an administrator proposes to trust: what they are shown before they confirm it (its SHA-256
 * fingerprint, the subject, the end of its validity) and why it is refused. A root whose key our verifier cannot
 * check (GOST 34.310, GOST 34.10-2015 of НУЦ РК's GOST chain, EC…) is refused by the algorithm's name: trusting it
 * would make every signature under it uncheckable, never silently accepted.
 */
import { X509Certificate } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { certificateInfo } from './certificate-info';

export interface ProposedRoot {
  /** Lower-case hex, as `openssl x509 -fingerprint -sha256` prints it without the colons. */
  sha256: string;
  subject: string;
  notAfter: string;
  pem: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export function describeRoot(text: string): ProposedRoot {
  const pem = PEM_CERT.exec(text)?.[0];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem ?? Buffer.from(text, 'binary'));
  } catch {
    throw new AppError('trust.not_certificate');
  }
  const info = certificateInfo(Buffer.from(cert.raw));
  if (info.unsupportedKey) throw new AppError('trust.unsupported_algorithm', { algorithm: info.unsupportedKey });
  // A root names itself as its issuer and is a CA; its own signature is checked with its own key.
  if (!cert.ca || cert.issuer !== cert.subject || !cert.verify(cert.publicKey)) throw new AppError('trust.not_root');
  return { sha256: info.sha256, subject: cert.subject.split('\n').join(', '), notAfter: new Date(cert.validTo).toISOString(), pem: cert.toString() };
}

/** The fingerprint as a person may type or paste it: colons, spaces and either case. */
export const normalizeFingerprint = (text: string) => text.replace(/[\s:]/g, '').toLowerCase();
