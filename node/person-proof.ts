/**
 * Proof of the signed-in person beside a device's request: the person's key signs (CMS, as every act) the request's
 * path and query, which carry a fresh time. The device's signature says which workstation asks; this says who sits
 * at it. The server checks it on its own trust store (the certificate chains to a trusted root, is valid now and not
 * revoked) and reads the person's roles and office from the certificate, never from the request.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { rolesFromExtendedKeyUsage, type Role } from '../shared/roles';
import { CmsFormatError, verifyDetached } from './pki/cms';
import { chainsToTrustedRoot, normalizeSerial, type TrustStore } from './pki/keyfile';
import { subjectAttribute } from './pki/verdict';
import type { ActSigner } from './events';

/** The header that carries the person's signature (base64 CMS, detached). */
export const PERSON_SIGNATURE_HEADER = 'x-jardem-person-signature';

/** How far the signed time may be from the server's: a proof is for the request it was made for, now. */
export const PERSON_PROOF_WINDOW_MS = 5 * 60_000;

/** What the person signs: a fixed purpose and the request's path with its query (the time among its parameters). */
export function personProofContent(pathWithQuery: string): Buffer {
  return Buffer.from(`jardem.person-proof\n${pathWithQuery}`, 'utf8');
}

/** The person's signature over `pathWithQuery`, for the header. */
export function signPersonProof(pathWithQuery: string, sign: ActSigner): string {
  return sign(personProofContent(pathWithQuery)).toString('base64');
}

export type PersonProofRefusal = 'person_signature' | 'person_time' | 'person_untrusted' | 'person_revoked';

export interface ProvenPerson {
  iin: string;
  officeBin: string;
  roles: Role[];
  certSha256: string;
}

/**
 * The person who signed `pathWithQuery`, or why the proof fails: a signature that does not verify over exactly this
 * path, a time (`signedAt`, from the query, and the CMS signing time) outside the window, a certificate that does not
 * chain to a trusted root or is not valid now, or a revoked one.
 */
export function verifyPersonProof(opts: { pathWithQuery: string; signatureBase64: string | undefined; signedAt: string | undefined; trust: TrustStore; now: Date }): { ok: true; person: ProvenPerson } | { ok: false; reason: PersonProofRefusal } {
  if (!opts.signatureBase64 || !/^[A-Za-z0-9+/=]{1,16000}$/.test(opts.signatureBase64)) return { ok: false, reason: 'person_signature' };
  let sig;
  try {
    sig = verifyDetached(personProofContent(opts.pathWithQuery), Buffer.from(opts.signatureBase64, 'base64'));
  } catch (error) {
    if (error instanceof CmsFormatError) return { ok: false, reason: 'person_signature' };
    throw error;
  }
  const cert: X509Certificate | null = sig.signerCertificate;
  if (!cert || !sig.contentIntact || !sig.signatureValid) return { ok: false, reason: 'person_signature' };
  const now = opts.now.getTime();
  const at = Date.parse(opts.signedAt ?? '');
  const within = (t: number) => Number.isFinite(t) && Math.abs(t - now) <= PERSON_PROOF_WINDOW_MS;
  if (!within(at) || (sig.signingTime && !within(sig.signingTime.getTime()))) return { ok: false, reason: 'person_time' };
  let chains = false;
  try {
    chains = chainsToTrustedRoot(cert, sig.certificates, opts.trust, opts.now);
  } catch {
    chains = false;
  }
  if (!chains || opts.now > new Date(cert.validTo) || opts.now < new Date(cert.validFrom)) return { ok: false, reason: 'person_untrusted' };
  if (opts.trust.revoked?.has(normalizeSerial(cert.serialNumber))) return { ok: false, reason: 'person_revoked' };
  return {
    ok: true,
    person: {
      iin: subjectAttribute(cert.subject, 'serialNumber').replace(/^IIN/, ''),
      officeBin: subjectAttribute(cert.subject, 'OU').replace(/^BIN/, ''),
      roles: rolesFromExtendedKeyUsage(cert.keyUsage ?? []),
      certSha256: createHash('sha256').update(cert.raw).digest('hex'),
    },
  };
}
