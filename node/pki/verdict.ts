/**
 * The verdict on a detached signature, as a person needs it: who signed (name, IIN, role), when, whether the
 * content is intact, and the certificate's status at the signing time. Used by `jardem verify` and, later,
 * by the signature panel.
 */
import type { Role } from '../../shared/roles';
import { roleForAct, type SignedAct } from '../../shared/domain/acts';
import { UnsupportedAlgorithmError } from './algorithms';
import { subjectAttribute } from './certificate-info';
import { verifyDetached } from './cms';
import { chainValidAt, isRevoked, type TrustStore } from './trust';

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
  | 'revoked'
  | 'unsupported_algorithm';

export interface Verdict {
  valid: boolean;
  signer: { iin: string; name: string; role: Role | null } | null;
  signingTime: string | null;
  errors: SignatureError[];
  /** The algorithm's name, with 'unsupported_algorithm'. */
  algorithm?: string;
}

export { subjectAttribute };

/**
 * `content` and its detached `p7s`; throws CmsFormatError for input that is not a CMS signature at all. A signature
 * or key in an algorithm we cannot check (GOST) is a verdict with the error 'unsupported_algorithm' and its name.
 * With `act`, the signer's roles must allow that act (shared/domain/acts.ts), as they had to when it was signed.
 * `claimedTime`: the time a signature claims outside its CMS (a PAdES signature's /M, ETSI EN 319 142-1 5.3),
 * used when the CMS carries none. `rolesOf`: the signer's roles at the signing time as their office's staff register
 * has them (a workstation's checks); without it, the roles the certificate marks (a file checked with no register).
 */
/** A signer's roles at a time, from the staff register; null for a person it has no entry for (see registerRolesOf). */
export type RolesOf = (signer: { iin: string; bin: string }, at: Date) => readonly Role[] | null;

export function verifySignature(content: Buffer | { sha256: Buffer }, p7s: Buffer, trust: TrustStore, act?: SignedAct, claimedTime?: Date, rolesOf?: RolesOf): Verdict {
  let parsed;
  try {
    parsed = verifyDetached(content, p7s);
  } catch (error) {
    if (error instanceof UnsupportedAlgorithmError) return { valid: false, signer: null, signingTime: null, errors: ['unsupported_algorithm'], algorithm: error.algorithm };
    throw error;
  }
  const errors: SignatureError[] = [];
  const signingTime = parsed.signingTime ?? claimedTime ?? null;
  if (!parsed.contentIntact) errors.push('content_changed');
  const cert = parsed.signer;
  if (!cert) return { valid: false, signer: null, signingTime: signingTime?.toISOString() ?? null, errors: [...errors, 'signer_certificate_missing'] };
  if (!parsed.signatureValid) errors.push('signature_invalid');
  // The certificate is judged at the time of signing, as Kazakh ECP verification does.
  const at = signingTime ?? new Date();
  if (!chainValidAt(cert, parsed.carried, trust, at)) errors.push('unknown_ca');
  if (isRevoked(cert, trust)) errors.push('revoked');
  if (at.getTime() > cert.validTo) errors.push('expired');
  if (at.getTime() < cert.validFrom) errors.push('not_yet_valid');
  if (!cert.signingUsage) errors.push('wrong_key_usage');
  const roles = rolesOf?.({ iin: cert.iin, bin: cert.bin }, at) ?? cert.roles;
  if (roles.length === 0) errors.push('no_role');
  const actRole = act ? roleForAct([...roles], act) : null;
  if (act && roles.length > 0 && !actRole) errors.push('wrong_role');
  return {
    valid: errors.length === 0,
    signer: { iin: cert.iin, name: cert.commonName || cert.surname, role: actRole ?? roles[0] ?? null },
    signingTime: signingTime?.toISOString() ?? null,
    errors,
  };
}
