/**
 * Sign-in by challenge, as eGov services do it: the person proves their authentication key (AUTH_RSA256_…) by
 * signing a fresh challenge through the key source (NCALayer, in its own dialog); the services check the CMS, the
 * certificate's chain, dates and usage, then open a session. Nothing of the key is held here: acts are signed by the
 * signing key (RSA256_…) through NCALayer again (./ncalayer-acts.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SessionInfo } from '../../../shared/contract/types';
import { AppError } from '../../../shared/errors';
import { UnsupportedAlgorithmError } from '../../../node/pki/algorithms';
import { CmsFormatError, verifyDetached } from '../../../node/pki/cms';
import { checkStaffCertificate } from '../../../node/pki/keyfile';
import { readWorkstation } from '../../../db/repositories/settings';
import { audit } from '../audit';
import type { ServicesContext } from '../context';
import { startSession } from '../session';
import type { KeySource } from './source';

/** The challenge: random, bound to this workstation and the moment, never signed twice. */
export function makeChallenge(ctx: ServicesContext): Buffer {
  const ws = readWorkstation(ctx.db);
  return Buffer.from(JSON.stringify({ purpose: 'jardem.signin', workstation: ws ? `${ws.officeCode}-${ws.workstationCode}` : null, at: ctx.realNow().toISOString(), nonce: randomBytes(32).toString('base64url') }));
}

export async function signInByChallenge(ctx: ServicesContext, source: KeySource): Promise<SessionInfo> {
  const challenge = makeChallenge(ctx);
  const p7s = await source.sign(challenge, 'auth');
  let certSha256: string | null = null;
  try {
    let parsed;
    try {
      parsed = verifyDetached(challenge, p7s);
    } catch (error) {
      if (error instanceof UnsupportedAlgorithmError) throw new AppError('keys.unsupported_algorithm', { algorithm: error.algorithm });
      if (error instanceof CmsFormatError) throw new AppError('keys.signature_invalid');
      throw error;
    }
    if (!parsed.signerCertificate || !parsed.contentIntact || !parsed.signatureValid) throw new AppError('keys.signature_invalid');
    certSha256 = parsed.signer!.sha256;
    const chain = parsed.certificates.filter((c) => c !== parsed.signerCertificate).map((c) => c.toString());
    const identity = checkStaffCertificate(parsed.signerCertificate, chain, ctx.trust(), ctx.now(), 'auth');
    const token = randomBytes(32).toString('base64url');
    const keyId = `${source.kind}:${createHash('sha256').update(parsed.signerCertificate.raw).digest('hex')}`;
    startSession(ctx, identity, { keyFile: Buffer.alloc(0), keyId, unlocked: null, source: source.kind, ncalayer: source.settings }, token);
    audit(ctx, 'signin', { identity, keyId });
    return { token, identity };
  } catch (error) {
    if (error instanceof AppError) audit(ctx, 'signin_failed', { keyId: `${source.kind}:challenge`, certSha256, reason: error.code });
    throw error;
  }
}
