/**
 * The audit trail: who signed in, who failed to, who opened which case, when and at which
 * workstation. Applicants' data is personal data: the trail names a case by its id and number only, and a refusal
 * by its error code; never a payload, never what was typed. Append-only (migration 9), viewable by the head.
 */
import type { Identity } from '../../shared/contract/types';
import { appendAudit, listAudit, type AuditKind } from '../../db/repositories/security';
import { readWorkstation } from '../../db/repositories/settings';
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { AuditList } from '../../shared/contract/types';
import type { ServicesContext, Session } from './context';
import { officeDayStart } from '../../shared/local-date';

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** A case opened again by the same session within this while is one line, not one per screen refresh. */
export const CASE_OPEN_WINDOW_MS = 15 * 60_000;

export interface AuditFacts {
  identity?: Identity | null;
  keyId?: string | null;
  certSha256?: string | null;
  caseId?: string | null;
  caseNumber?: string | null;
  reason?: string | null;
}

export function audit(ctx: ServicesContext, kind: AuditKind, facts: AuditFacts = {}): void {
  const ws = readWorkstation(ctx.db);
  const who = facts.identity;
  appendAudit(ctx.db, {
    at: ctx.realNow().toISOString(),
    kind,
    actorIin: who?.iin ?? null,
    actorName: who ? [who.surname, who.givenName, who.patronymic].filter(Boolean).join(' ') : null,
    actorRole: who?.role ?? null,
    certSha256: who?.certificateSha256 ?? facts.certSha256 ?? null,
    keyId: facts.keyId ?? null,
    caseId: facts.caseId ?? null,
    caseNumber: facts.caseNumber ?? null,
    reason: facts.reason ?? null,
    workstation: ws ? `${ws.officeCode}/${ws.workstationCode}` : '—',
    hostName: ctx.hostName,
  });
}

/** A person looked at a case: one line per session and case per CASE_OPEN_WINDOW_MS. */
export function caseOpened(ctx: ServicesContext, session: Session, c: { id: string; caseNumber: string }): void {
  const now = ctx.realNow().getTime();
  const last = session.opened.get(c.id);
  if (last !== undefined && now - last < CASE_OPEN_WINDOW_MS) return;
  session.opened.set(c.id, now);
  audit(ctx, 'case_opened', { identity: session.identity, keyId: session.keyId, caseId: c.id, caseNumber: c.caseNumber });
}

export function auditServices(ctx: ServicesContext) {
  return {
    list(input: ParsedInputOf<'audit.list'>): AuditList {
      // The period is in office days (Almaty); the trail's instants are UTC.
      const { rows, total } = listAudit(ctx.db, {
        from: input.from ? officeDayStart(input.from).toISOString() : undefined,
        to: input.to ? officeDayStart(nextDay(input.to)).toISOString() : undefined,
        kind: input.kind,
        actorIin: input.actorIin,
        caseNumber: input.caseNumber,
        limit: input.limit,
        offset: input.offset,
      });
      return { rows, total };
    },
  };
}
