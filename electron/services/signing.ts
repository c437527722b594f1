/**
 * The one place where the services sign with a person's key. It refuses, before any key is touched, an act the
 * signed-in certificate's roles may not certify (shared/domain/acts.ts), then takes the unlocked key (or asks for
 * the password; or NCALayer, which asks in its own dialog at each signature) once, so that an event and the document it records are signed at one signing moment.
 */
import { AppError } from '../../shared/errors';
import { roleForAct, type SignedAct } from '../../shared/domain/acts';
import type { ServicesContext, Session } from './context';
import { signatureLength, signDetached, type SignOptions } from '../../node/pki/cms';
import { signingKey } from './session';
import { ncalayerActSigner } from './keys/ncalayer-acts';

export type { ActSigner } from '../../node/events';
import type { ActSigner } from '../../node/events';

/** A signer that also says how long its signatures are (a signed PDF's placeholder is sized by it). */
export type KeySigner = ActSigner & { signatureLength: (options?: SignOptions) => number };

export function signerFor(ctx: ServicesContext, session: Session, act?: SignedAct): KeySigner {
  if (act && !roleForAct(session.identity.roles, act)) throw new AppError('ecp.role_not_allowed', { act, role: session.identity.role });
  if (session.keySource === 'ncalayer') return ncalayerActSigner(ctx, session);
  const key = signingKey(ctx, session);
  const at = ctx.now();
  const sign: ActSigner = (content, options) => signDetached(content, key, at, options);
  return Object.assign(sign, { signatureLength: (options?: SignOptions) => signatureLength(key, options) });
}
