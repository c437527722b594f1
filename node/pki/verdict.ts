/**
 * The verdict on a detached signature, as a person needs it: who signed (name, IIN, role), when, whether the
 * content is intact, and the certificate's status at the signing time. Used by `jardem verify` and, later,
 * by the signature panel.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { rolesFromExtendedKeyUsage, type Role } from '../../shared/roles';
import { roleForAct, type SignedAct } from '../../shared/domain/acts';
import { verifyDetached } from './cms';
import { chainsToTrustedRoot, normalizeSerial, type TrustStore } from './keyfile';

export type SignatureError =
  | 'content_changed'
  | 'signature_invalid'
  | 'signer_certificate_missing'
  | 'unknown_ca'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_key_usage'
  | 'no_role'
  | 'wrong_role'
  | 'revoked';

export interface Verdict {
  valid: boolean;
  signer: { iin: string; name: string; role: Role | null } | null;
  signingTime: string | null;
  errors: SignatureError[];
}

/** One attribute of a subject as Node prints it, one attribute a line: "CN=…\nSN=…\nserialNumber=IIN…". */
export function subjectAttribute(subject: string, key: string): string {
  const line = subject.split('\n').find((l) => l.startsWith(`${key}=`));
  return line ? line.slice(key.length + 1) : '';
}

const subjectField = (cert: X509Certificate, key: string) => subjectAttribute(cert.subject, key);

/**
 * `content` and its detached `p7s`; throws CmsFormatError for input that is not a CMS signature at all.
 * With `act`, the signer's roles must allow that act (shared/domain/acts.ts), as they had to when it was signed.
 */
export function verifySignature(content: Buffer, p7s: Buffer, trust: TrustStore, act?: SignedAct): Verdict {
  const parsed = verifyDetached(content, p7s);
  const errors: SignatureError[] = [];
  if (!parsed.contentIntact) errors.push('content_changed');
  const cert = parsed.signerCertificate;
  if (!cert) return { valid: false, signer: null, signingTime: parsed.signingTime?.toISOString() ?? null, errors: [...errors, 'signer_certificate_missing'] };
  if (!parsed.signatureValid) errors.push('signature_invalid');
  // The certificate is judged at the time of signing, as Kazakh ECP verification does.
  const at = parsed.signingTime ?? new Date();
  if (!chainsToTrustedRoot(cert, parsed.certificates, trust, at)) errors.push('unknown_ca');
  if (trust.revoked?.has(normalizeSerial(cert.serialNumber))) errors.push('revoked');
  if (at > new Date(cert.validTo)) errors.push('expired');
  if (at < new Date(cert.validFrom)) errors.push('not_yet_valid');
  const usage = forge.pki.certificateFromPem(cert.toString()).getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | undefined;
  if (!usage?.digitalSignature || !usage.nonRepudiation) errors.push('wrong_key_usage');
  const roles = rolesFromExtendedKeyUsage(cert.keyUsage ?? []);
  if (roles.length === 0) errors.push('no_role');
  const actRole = act ? roleForAct(roles, act) : null;
  if (act && roles.length > 0 && !actRole) errors.push('wrong_role');
  const surname = subjectField(cert, 'SN');
  return {
    valid: errors.length === 0,
    signer: { iin: subjectField(cert, 'serialNumber').replace(/^IIN/, ''), name: subjectField(cert, 'CN') || surname, role: actRole ?? roles[0] ?? null },
    signingTime: parsed.signingTime?.toISOString() ?? null,
    errors,
  };
}
