import { randomBytes } from 'node:crypto';
import type { SessionInfo } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { readWorkstation } from '../../db/repositories/settings';
import { SESSION_HOURS, type ServicesContext } from './context';
import { openKeyFile, provePossession, verifyStaffCertificate } from './pki/keyfile';

/**
 * Sign-in with a PKCS#12 signing key file. The key is decrypted only to prove possession and is not kept:
 * nothing of the file or the password is stored. (Signing acts will ask for the key again: the ECP issue.)
 */
export function signIn(ctx: ServicesContext, input: { p12Base64: string; password: string }): SessionInfo {
  const opened = openKeyFile(Buffer.from(input.p12Base64, 'base64'), input.password);
  const identity = verifyStaffCertificate(opened, ctx.trust(), ctx.now());
  provePossession(opened);
  // A key of another organisation under the same CA may not work here: only this office and its Centers.
  const workstation = readWorkstation(ctx.db);
  if (!workstation) throw new AppError('workstation.not_configured');
  if (!workstation.acceptedBins.includes(identity.officeBin)) throw new AppError('signin.other_office', { office: identity.office });
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now().getTime();
  const expiresAt = Math.min(new Date(identity.validTo).getTime(), now + SESSION_HOURS * 3600_000);
  ctx.sessions.set(token, { token, identity, startedAt: now, expiresAt });
  return { token, identity };
}
