/**
 * The one place where the services sign with a person's key. It refuses, before any key is touched, an act the
 * signed-in certificate's roles may not certify (shared/domain/acts.ts), then takes the unlocked key (or asks for
 * the password) once, so that an event and the document it records are signed at one signing moment.
 */
import { AppError } from '../../shared/errors';
import { roleForAct, type SignedAct } from '../../shared/domain/acts';
import type { ServicesContext, Session } from './context';
import { signDetached } from '../../node/pki/cms';
import { signingKey } from './session';

export type { ActSigner } from '../../node/events';
import type { ActSigner } from '../../node/events';

export function signerFor(ctx: ServicesContext, session: Session, act?: SignedAct): ActSigner {
  if (act && !roleForAct(session.identity.roles, act)) throw new AppError('ecp.role_not_allowed', { act, role: session.identity.role });
  const key = signingKey(ctx, session);
  const at = ctx.now();
  return (content) => signDetached(content, key, at);
}
