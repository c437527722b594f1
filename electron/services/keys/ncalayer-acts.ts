/**
 * Acts signed through NCALayer by a person who signed in there with the AUTH key. An event names the certificate it
 * is signed by (its actor), so the signing key (RSA256_…) is learned first, once a session: NCALayer's getKeyInfo
 * dialog, the certificate checked as at sign-in (chain, dates, revocation, the signing usage) and the same person's.
 * From then on the session acts under that certificate, and every CMS NCALayer returns is checked before anything is
 * committed: the content it covers, the signature itself, and that it is that key's (a person can pick another key
 * in NCALayer's dialog). A refusal or a failure throws: no event is committed without its signature.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { UnsupportedAlgorithmError } from '../../../node/pki/algorithms';
import { CmsFormatError, signedDigest, verifyDetached } from '../../../node/pki/cms';
import { checkStaffCertificate } from '../../../node/pki/keyfile';
import type { ActSigner } from '../../../node/events';
import type { ServicesContext, Session } from '../context';
import { askNcalayer } from './ncalayer-blocking';

/**
 * The CMS NCALayer returns carries the chain it holds, so its length is not known before: a PDF's placeholder is sized
 * for a chain of three RSA-4096 certificates and the signed attributes with room to spare (unused room stays zeros).
 */
export const NCALAYER_SIGNATURE_BYTES = 16 * 1024;

function learnSigningKey(ctx: ServicesContext, session: Session): void {
  if (session.ncalayerSigningCert) return;
  const pem = askNcalayer({ op: 'certificate', settings: session.ncalayer! });
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new AppError('keys.signature_invalid');
  }
  // The AUTH key picked here signs nothing: checkStaffCertificate refuses it by its usage (keys.wrong_usage at sign-in's words).
  const signing = checkStaffCertificate(cert, [], ctx.trust(), ctx.now(), 'sign');
  if (signing.iin !== session.identity.iin) throw new AppError('keys.other_person');
  // The signing certificate names the person and the key; the roles stay the staff register's, read at sign-in.
  session.identity = { ...signing, role: session.identity.role, roles: session.identity.roles };
  session.ncalayerSigningCert = signing.certificateSha256;
}

/** The signer for an NCALayer session's acts: each call is one NCALayer dialog. */
export function ncalayerActSigner(ctx: ServicesContext, session: Session): ActSigner & { signatureLength: () => number } {
  learnSigningKey(ctx, session);
  const expected = session.ncalayerSigningCert!;
  const sign: ActSigner = (content, options) => {
    const digest = options?.digest;
    const b64 = askNcalayer(digest ? { op: 'sign', settings: session.ncalayer!, digest } : { op: 'sign', settings: session.ncalayer!, content });
    const p7s = Buffer.from(b64, 'base64');
    let parsed;
    try {
      parsed = verifyDetached(digest ? Buffer.alloc(0) : content, p7s);
    } catch (error) {
      if (error instanceof UnsupportedAlgorithmError) throw new AppError('keys.unsupported_algorithm', { algorithm: error.algorithm });
      if (error instanceof CmsFormatError) throw new AppError('keys.signature_invalid');
      throw error;
    }
    // Content sent by its hash: the signature must be over that very hash, not any other NCALayer was given.
    const intact = digest ? signedDigest(p7s)?.equals(digest) === true : parsed.contentIntact;
    if (!parsed.signerCertificate || !parsed.signatureValid || !intact) throw new AppError('keys.signature_invalid');
    if (createHash('sha256').update(parsed.signerCertificate.raw).digest('hex') !== expected) throw new AppError('keys.not_session_key');
    return p7s;
  };
  return Object.assign(sign, { signatureLength: () => NCALAYER_SIGNATURE_BYTES });
}
