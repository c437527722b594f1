import { randomBytes } from 'node:crypto';
import type { SessionInfo } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { readWorkstation } from '../../db/repositories/settings';
import { SESSION_HOURS, UNLOCK_MINUTES, type ServicesContext, type Session } from './context';
import { openKeyFile, provePossession, verifyStaffCertificate } from '../../node/pki/keyfile';

/**
 * Sign-in with a PKCS#12 signing key file. The password is never stored. The decrypted key stays in this
 * services process only for the unlock period (UNLOCK_MINUTES), as NCALayer does; later signing moments ask for
 * the password again (session.unlock). Nothing of the key is written to disk.
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
  const now = ctx.realNow().getTime();
  const expiresAt = Math.min(new Date(identity.validTo).getTime(), now + SESSION_HOURS * 3600_000);
  ctx.sessions.set(token, {
    token,
    identity,
    startedAt: now,
    expiresAt,
    keyFile: Buffer.from(input.p12Base64, 'base64'),
    unlocked: { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem, until: now + UNLOCK_MINUTES * 60_000, oneSignatureLeft: false },
    failedUnlocks: 0,
    lockedUntil: 0,
  });
  return { token, identity };
}

const MAX_FAILED_UNLOCKS = 5;
const LOCK_MS = 60_000;

/** A signing moment after the unlock has run out: the password again. Five wrong ones lock the key for a minute. */
export function unlockSigning(ctx: ServicesContext, session: Session, password: string): { until: string } {
  const now = ctx.realNow().getTime();
  if (session.lockedUntil > now) throw new AppError('ecp.key_locked', { seconds: Math.ceil((session.lockedUntil - now) / 1000) });
  let opened;
  try {
    opened = openKeyFile(session.keyFile, password);
  } catch (error) {
    if (error instanceof AppError && error.code === 'signin.wrong_password') {
      session.failedUnlocks += 1;
      if (session.failedUnlocks >= MAX_FAILED_UNLOCKS) {
        session.failedUnlocks = 0;
        session.lockedUntil = now + LOCK_MS;
        throw new AppError('ecp.key_locked', { seconds: LOCK_MS / 1000 });
      }
    }
    throw error;
  }
  session.failedUnlocks = 0;
  // The password typed at a signing moment always signs the act it was typed for, even when the unlock
  // period is zero (every signature asks).
  session.unlocked = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem, until: now + UNLOCK_MINUTES * 60_000, oneSignatureLeft: true };
  return { until: new Date(session.unlocked.until).toISOString() };
}

/**
 * Drops every decrypted key whose unlock period has run out, and every session past its end, whether or not
 * anyone calls: the key must not outlive its period in memory (issue 4). Run on every call and on a timer.
 */
export function sweepExpiredKeys(ctx: ServicesContext): void {
  const now = ctx.realNow().getTime();
  for (const [token, session] of ctx.sessions) {
    if (session.expiresAt <= now) {
      session.unlocked = null;
      ctx.sessions.delete(token);
    }
    // A key unlocked for the one signature the person typed the password for waits a minute for it, no longer.
    else if (session.unlocked && session.unlocked.until + (session.unlocked.oneSignatureLeft ? 60_000 : 0) <= now) session.unlocked = null;
  }
}

/** The signing key if still unlocked; otherwise the key is dropped and the caller must ask for the password. */
export function signingKey(ctx: ServicesContext, session: Session) {
  const key = session.unlocked;
  if (key && key.until > ctx.realNow().getTime()) return key;
  if (key?.oneSignatureLeft) {
    session.unlocked = null;
    return key;
  }
  session.unlocked = null;
  throw new AppError('ecp.unlock_required');
}
