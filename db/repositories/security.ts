/**
 * The workstation's own security records (migration 9): the sign-in lockout per key file, and the audit trail of
 * sign-ins, failed sign-ins and case opens (append-only: only INSERT is written here, and triggers refuse the rest).
 */
import type { Db } from '../connection';

export interface Lockout {
  keyId: string;
  failures: number;
  /** Milliseconds since 1970; 0 when not locked. */
  lockedUntil: number;
}

const cache = new WeakMap<Db, ReturnType<typeof statements>>();
function statements(db: Db) {
  return {
    lockout: db.prepare('SELECT key_id AS keyId, failures, locked_until AS lockedUntil FROM signin_lockouts WHERE key_id = ?'),
    saveLockout: db.prepare(
      `INSERT INTO signin_lockouts (key_id, failures, locked_until, last_failure_at) VALUES (@keyId, @failures, @lockedUntil, @at)
       ON CONFLICT (key_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at`,
    ),
    clearLockout: db.prepare('DELETE FROM signin_lockouts WHERE key_id = ?'),
    audit: db.prepare(
      `INSERT INTO audit_trail (at, kind, actor_iin, actor_name, actor_role, cert_sha256, key_id, case_id, case_number, reason, workstation, host_name)
       VALUES (@at, @kind, @actorIin, @actorName, @actorRole, @certSha256, @keyId, @caseId, @caseNumber, @reason, @workstation, @hostName)`,
    ),
  };
}
function st(db: Db) {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = statements(db)));
  return s;
}

export function readLockout(db: Db, keyId: string): Lockout | null {
  return (st(db).lockout.get(keyId) as Lockout | undefined) ?? null;
}

export function saveLockout(db: Db, l: Lockout, at: string): void {
  st(db).saveLockout.run({ ...l, at });
}

/** A right password: the key file starts again from no failures. */
export function clearLockout(db: Db, keyId: string): void {
  st(db).clearLockout.run(keyId);
}

export type AuditKind = 'signin' | 'signin_failed' | 'case_opened' | 'signout' | 'session_locked' | 'session_resumed';

export interface AuditEntry {
  at: string;
  kind: AuditKind;
  actorIin: string | null;
  actorName: string | null;
  actorRole: string | null;
  certSha256: string | null;
  keyId: string | null;
  caseId: string | null;
  caseNumber: string | null;
  reason: string | null;
  workstation: string;
  hostName: string;
}

export function appendAudit(db: Db, e: AuditEntry): void {
  st(db).audit.run(e);
}

export interface AuditFilter {
  from?: string;
  to?: string;
  kind?: AuditKind;
  actorIin?: string;
  caseNumber?: string;
  limit: number;
  offset: number;
}

/** The trail, newest first, filtered; `at` bounds are ISO instants (from inclusive, to exclusive). */
export function listAudit(db: Db, f: AuditFilter): { rows: (AuditEntry & { seq: number })[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  const filters: [keyof AuditFilter, string][] = [
    ['from', 'at >= @from'],
    ['to', 'at < @to'],
    ['kind', 'kind = @kind'],
    ['actorIin', 'actor_iin = @actorIin'],
    ['caseNumber', 'case_number = @caseNumber'],
  ];
  for (const [name, clause] of filters) {
    if (f[name] === undefined) continue;
    where.push(clause);
    params[name] = f[name];
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = db
    .prepare(
      `SELECT seq, at, kind, actor_iin AS actorIin, actor_name AS actorName, actor_role AS actorRole, cert_sha256 AS certSha256, key_id AS keyId,
              case_id AS caseId, case_number AS caseNumber, reason, workstation, host_name AS hostName
       FROM audit_trail ${filter} ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
    )
    .all(params) as (AuditEntry & { seq: number })[];
  const { limit: _l, offset: _o, ...countParams } = params;
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_trail ${filter}`).get(countParams) as { n: number }).n;
  return { rows, total };
}
