import { randomBytes, X509Certificate } from 'node:crypto';
import type { Identity } from '../../shared/contract/types';
import type { SessionInfo } from '../../shared/contract/types';
import { AppError, type ErrorCode } from '../../shared/errors';
import { readWorkstation } from '../../db/repositories/settings';
import { clearLockout, readLockout, saveLockout } from '../../db/repositories/security';
import { SESSION_HOURS, UNLOCK_MINUTES, type ServicesContext, type Session } from './context';
import { keyFileIds } from '../../node/pki/key-identity';
import { keyFileId, openKeyFile, provePossession, verifyStaffCertificate, type OpenedKeyFile } from '../../node/pki/keyfile';
import { audit } from './audit';
import { awaitsGenesisBy, importStaffFile, registerRoles, signAndTake } from './staff';
import { signDetached } from '../../node/pki/cms';
import { officeDate } from '../../shared/local-date';

/**
 * Wrong passwords per key, persisted in the workstation's database so that neither a fresh
 * sign-in nor a restart goes round them: the fifth wrong one in a row locks the key for a minute, each further one
 * doubles the wait, up to 15 minutes. A right password starts again from none. The same count holds at sign-in, at
 * a signing moment (session.unlock) and at the locked screen (session.resume). The key is counted by every name its
 * file gives it without the password (node/pki/key-identity.ts): a copy of the file re-wrapped without the password
 * carries the same ciphertext, so it shares the count; the file is locked while any of its names is.
 */
export const LOCKOUT = { freeFailures: 4, firstLockMs: 60_000, maxLockMs: 15 * 60_000 } as const;

export function lockMs(failures: number): number {
  if (failures <= LOCKOUT.freeFailures) return 0;
  return Math.min(LOCKOUT.firstLockMs * 2 ** (failures - LOCKOUT.freeFailures - 1), LOCKOUT.maxLockMs);
}

/** Refuses while the key is locked under any of its names, with the seconds left (the screens count them down). */
function refuseWhileLocked(ctx: ServicesContext, names: readonly string[], code: ErrorCode): void {
  const now = ctx.realNow().getTime();
  const until = Math.max(0, ...names.map((n) => readLockout(ctx.db, n)?.lockedUntil ?? 0));
  if (until > now) throw new AppError(code, { seconds: Math.ceil((until - now) / 1000) });
}

/** Counts a wrong password against every name of the key (from the most any of them has); the one that locks is answered with the lock. */
function countWrongPassword(ctx: ServicesContext, names: readonly string[], code: ErrorCode): void {
  const now = ctx.realNow();
  const failures = Math.max(0, ...names.map((n) => readLockout(ctx.db, n)?.failures ?? 0)) + 1;
  const wait = lockMs(failures);
  ctx.db.transaction(() => {
    for (const keyId of names) saveLockout(ctx.db, { keyId, failures, lockedUntil: wait > 0 ? now.getTime() + wait : 0 }, now.toISOString());
  })();
  if (wait > 0) throw new AppError(code, { seconds: Math.ceil(wait / 1000) });
}

/**
 * Opens the key file with the password under the lockout: refused while locked, a wrong password counted (and
 * written to the audit trail under `keyId`), a right one clears the count. A file opens only when the password
 * decrypts every part it has, so a right one proves it for every name the file carries.
 */
function openUnderLockout(ctx: ServicesContext, bytes: Buffer, keyId: string, password: string, lockedCode: ErrorCode, identity: Identity | null = null): OpenedKeyFile {
  const names = keyFileIds(bytes);
  refuseWhileLocked(ctx, names, lockedCode);
  try {
    const opened = openKeyFile(bytes, password);
    for (const name of names) clearLockout(ctx.db, name);
    return opened;
  } catch (error) {
    if (error instanceof AppError && error.code === 'signin.wrong_password') {
      audit(ctx, 'signin_failed', { identity, keyId, reason: error.code });
      countWrongPassword(ctx, names, lockedCode);
    }
    throw error;
  }
}

/** A new session beyond the cap ends the one idle longest (a closed tab leaves its session behind). */
function makeRoom(ctx: ServicesContext): void {
  while (ctx.sessions.size >= Math.max(1, ctx.limits.maxSessions)) {
    const oldest = [...ctx.sessions.values()].reduce((a, b) => (b.lastSeenAt < a.lastSeenAt ? b : a));
    oldest.unlocked = null;
    ctx.sessions.delete(oldest.token);
    audit(ctx, 'signout', { identity: oldest.identity, keyId: oldest.keyId, reason: 'session.cap' });
  }
}

/**
 * A session for a person whose key was proved (a key file opened, or a challenge signed through NCALayer): refused
 * when the key is of another organisation, except the city department's administrator.
 */
/**
 * The person's office in Kazakh and Russian, from the office list this workstation was set up with (a certificate
 * names the organisation in one language only); none for another organisation (the city department).
 */
function officeNamesOf(workstation: NonNullable<ReturnType<typeof readWorkstation>>, bin: string): { kk: string; ru: string } | undefined {
  const center = workstation.centers?.find((c) => c.bin === bin);
  if (center) return { kk: center.nameKk, ru: center.nameRu };
  const own = workstation.acceptedBins.includes(bin) && !workstation.centers?.some((c) => c.bin === bin);
  return own && workstation.officeNameRu ? { kk: workstation.officeName, ru: workstation.officeNameRu } : undefined;
}

export function startSession(ctx: ServicesContext, identity: Identity, key: Pick<Session, 'keyFile' | 'keyId' | 'unlocked' | 'ncalayer'> & { source?: Session['keySource'] }, token: string): void {
  // A key of another organisation under the same CA may not work here: only this office and its Centers.
  const workstation = readWorkstation(ctx.db);
  if (!workstation) throw new AppError('workstation.not_configured');
  // The roles are the staff register's on this day, whatever the certificate carries (a national CA's names none).
  // Set on the caller's identity too: what the sign-in answers is what the session holds.
  importStaffFile(ctx);
  const roles = registerRoles(ctx, identity.iin, identity.officeBin, ctx.now());
  const genesis = roles.length === 0 ? awaitsGenesisBy(ctx, identity.iin, identity.officeBin) : null;
  // The city department's administrator signs in on any workstation of the city: what they enter there becomes a
  // signed reference act for every district. No other role of the city department works here.
  const cityAdmin = identity.officeBin === workstation.city?.bin && roles.includes('admin');
  if (!workstation.acceptedBins.includes(identity.officeBin) && !cityAdmin) throw new AppError('signin.other_office', { office: identity.office });
  if (roles.length === 0 && !genesis) throw new AppError('signin.not_in_register', { iin: identity.iin });
  identity.roles = genesis ? ['admin'] : roles;
  identity.role = identity.roles[0]!;
  const names = officeNamesOf(workstation, identity.officeBin);
  if (names) identity.officeNames = names;
  makeRoom(ctx);
  const now = ctx.realNow().getTime();
  ctx.sessions.set(token, {
    token,
    identity,
    startedAt: now,
    expiresAt: Math.min(new Date(identity.validTo).getTime(), now + SESSION_HOURS * 3600_000),
    keyFile: key.keyFile,
    unlocked: key.unlocked,
    keyId: key.keyId,
    keySource: key.source ?? 'file',
    ...(key.ncalayer ? { ncalayer: key.ncalayer } : {}),
    lastSeenAt: now,
    lockedAt: null,
    opened: new Map(),
  });
  if (genesis) beginRegister(ctx, ctx.sessions.get(token)!, identity);
}

/**
 * The office's named first administrator signs in to an empty register: their first act, signed with the key they
 * signed in with, grants themselves the role admin from today (the genesis every other act stands on).
 */
function beginRegister(ctx: ServicesContext, session: Session, identity: Identity): void {
  try {
    // The genesis is signed with the key the person signed in with, which NCALayer never hands over.
    const key = session.unlocked;
    if (!key) throw new AppError('staff.genesis_needs_key_file');
    const at = ctx.now();
    signAndTake(ctx, identity, { iin: identity.iin, role: 'admin', name: [identity.surname, identity.givenName, identity.patronymic].filter(Boolean).join(' '), from: officeDate(at) }, (content) => signDetached(content, key, at));
  } catch (error) {
    ctx.sessions.delete(session.token);
    throw error;
  }
}

/**
 * Sign-in with a PKCS#12 signing key file. The password is never stored. The decrypted key stays in this
 * services process only for the unlock period (UNLOCK_MINUTES), as NCALayer does; later signing moments ask for
 * the password again (session.unlock). Nothing of the key is written to disk. Every attempt goes to the audit trail.
 */
export function signIn(ctx: ServicesContext, input: { p12Base64: string; password: string }): SessionInfo {
  const bytes = Buffer.from(input.p12Base64, 'base64');
  const keyId = keyFileId(bytes);
  const token = randomBytes(32).toString('base64url');
  let opened: OpenedKeyFile | null = null;
  try {
    opened = openUnderLockout(ctx, bytes, keyId, input.password, 'signin.locked');
    const identity = verifyStaffCertificate(opened, ctx.trust(), ctx.now());
    provePossession(opened);
    startSession(ctx, identity, { keyFile: bytes, keyId, unlocked: { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem, until: ctx.realNow().getTime() + UNLOCK_MINUTES * 60_000, oneSignatureLeft: false } }, token);
    audit(ctx, 'signin', { identity, keyId });
    return { token, identity };
  } catch (error) {
    // The wrong password was written where it was counted; any other refusal is written here, with the certificate if it was read.
    if (error instanceof AppError && error.code !== 'signin.wrong_password' && error.code !== 'signin.locked') {
      const certSha256 = opened ? certificateSha256(opened) : null;
      audit(ctx, 'signin_failed', { keyId, certSha256, reason: error.code });
    }
    throw error;
  }
}

function certificateSha256(opened: OpenedKeyFile): string | null {
  try {
    return new X509Certificate(opened.chainPem[0]!).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch {
    return null;
  }
}

/** A signing moment after the unlock has run out: the password again, under the key file's lockout. */
export function unlockSigning(ctx: ServicesContext, session: Session, password: string): { until: string } {
  // NCALayer asks for its key's password in its own dialog at each signature: nothing to unlock here.
  if (session.keySource === 'ncalayer') throw new AppError('keys.ncalayer_asks');
  const opened = openUnderLockout(ctx, session.keyFile, session.keyId, password, 'ecp.key_locked', session.identity);
  const now = ctx.realNow().getTime();
  // The password typed at a signing moment always signs the act it was typed for, even when the unlock
  // period is zero (every signature asks).
  session.unlocked = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem, until: now + UNLOCK_MINUTES * 60_000, oneSignatureLeft: true };
  return { until: new Date(session.unlocked.until).toISOString() };
}

/** The screen locks (idle, or asked by the person): the decrypted key goes; drafts stay in the screens. */
export function lockSession(ctx: ServicesContext, session: Session, reason: 'idle' | 'asked'): void {
  if (session.lockedAt !== null) return;
  session.lockedAt = ctx.realNow().getTime();
  session.unlocked = null;
  audit(ctx, 'session_locked', { identity: session.identity, keyId: session.keyId, reason });
}

/** The locked screen: the same person's key password again, and the session goes on where it was. */
export function resumeSession(ctx: ServicesContext, session: Session, password: string): SessionInfo {
  const opened = openUnderLockout(ctx, session.keyFile, session.keyId, password, 'signin.locked', session.identity);
  // The certificate is checked again: a CRL imported meanwhile, or its expiry, ends the session here.
  verifyStaffCertificate(opened, ctx.trust(), ctx.now());
  const now = ctx.realNow().getTime();
  session.lockedAt = null;
  session.lastSeenAt = now;
  session.unlocked = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem, until: now + UNLOCK_MINUTES * 60_000, oneSignatureLeft: false };
  audit(ctx, 'session_resumed', { identity: session.identity, keyId: session.keyId });
  return { token: session.token, identity: session.identity };
}

/** Whether the session has been idle past the workstation's idle timeout. */
export function idleTooLong(ctx: ServicesContext, session: Session, now = ctx.realNow().getTime()): boolean {
  return ctx.limits.idleMinutes > 0 && now - session.lastSeenAt >= ctx.limits.idleMinutes * 60_000;
}

/**
 * Drops every decrypted key whose unlock period has run out, locks every session idle too long, and ends every
 * session past its end, whether or not anyone calls: the key must not outlive its period in memory.
 * Run on every call and on a timer.
 */
export function sweepExpiredKeys(ctx: ServicesContext): void {
  const now = ctx.realNow().getTime();
  for (const [token, session] of ctx.sessions) {
    if (session.expiresAt <= now) {
      session.unlocked = null;
      ctx.sessions.delete(token);
      continue;
    }
    if (session.lockedAt === null && idleTooLong(ctx, session, now)) lockSession(ctx, session, 'idle');
    // A key unlocked for the one signature the person typed the password for waits a minute for it, no longer.
    else if (session.unlocked && session.unlocked.until + (session.unlocked.oneSignatureLeft ? 60_000 : 0) <= now) session.unlocked = null;
  }
}

/** The signing key if still unlocked; otherwise the key is dropped and the caller must ask for the password. */
export function signingKey(ctx: ServicesContext, session: Session) {
  // A session signed in through NCALayer holds no key: its acts are signed by NCALayer (./keys/ncalayer-acts.ts).
  if (session.keySource === 'ncalayer') throw new AppError('keys.ncalayer_asks');
  const key = session.unlocked;
  if (key && key.until > ctx.realNow().getTime()) return key;
  if (key?.oneSignatureLeft) {
    session.unlocked = null;
    return key;
  }
  session.unlocked = null;
  throw new AppError('ecp.unlock_required');
}
