import { randomBytes } from 'node:crypto';
import type { SessionInfo } from '../../shared/contract/types';
import type { ServicesContext } from './context';
import { openKeyFile, provePossession, verifyStaffCertificate } from './pki/keyfile';

/**
 * Sign-in with a PKCS#12 signing key file. The key is decrypted only to prove possession and is not kept:
 * nothing of the file or the password is stored. (Signing acts will ask for the key again: the ECP issue.)
 */
export function signIn(ctx: ServicesContext, input: { p12Base64: string; password: string }): SessionInfo {
  const opened = openKeyFile(Buffer.from(input.p12Base64, 'base64'), input.password);
  const identity = verifyStaffCertificate(opened, ctx.trust(), ctx.now());
  provePossession(opened);
  const token = randomBytes(32).toString('base64url');
  ctx.sessions.set(token, { token, identity, startedAt: ctx.now().getTime() });
  return { token, identity };
}
