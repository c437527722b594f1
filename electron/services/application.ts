/**
 * The application as taken at the counter: the applicant's documents and account, a representative, the family
 * and its income (issue 5, "The application"). Stored as a signed case event; each save is a new event, so the
 * log shows what was declared and when. The item 13 checklist is computed from it and from the pages scanned.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { ApplicationView } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { documentChecklist, withReceivedPages } from '../../shared/domain/checklist';
import { checkFamily } from '../../shared/domain/family';
import { TERMINAL_STAGES, type Stage } from '../../shared/domain/workflow';
import { officeDate } from '../../shared/local-date';
import type { ServicesContext, Session } from './context';
import { appendSignedEvent } from './cases';
import { signerFor } from './signing';

type Application = Omit<ParsedInputOf<'application.record'>, 'caseId'>;

function checklistOf(ctx: ServicesContext, caseId: string, application: Application | null) {
  if (!application) return [];
  const children = application.members.filter((m) => m.relation === 'child');
  if (children.length === 0) return [];
  const items = documentChecklist({
    applicant: { identityDocument: application.identityDocument.kind, representative: application.representative !== null },
    children: children.map((c) => ({
      id: c.id,
      birthRegistration: { inKazakhstan: c.birthRecord?.inKazakhstan ?? true, date: c.birthRecord?.date ?? c.birthDate },
      guardianshipOrAdoption: c.guardianshipOrAdoption ?? false,
    })),
    applicantDataMatchBirthCertificates: application.applicantDataMatchBirthCertificates,
  });
  const counts = ctx.db.prepare('SELECT document_kind AS kind, count(*) AS n FROM case_pages WHERE case_id = ? AND removed = 0 GROUP BY document_kind').all(caseId) as { kind: string; n: number }[];
  return withReceivedPages(items, Object.fromEntries(counts.map((c) => [c.kind, c.n])));
}

function caseRow(ctx: ServicesContext, caseId: string) {
  const row = ctx.db.prepare('SELECT stage, created_at FROM cases WHERE id = ?').get(caseId) as { stage: Stage; created_at: string } | undefined;
  if (!row) throw new AppError('not_found');
  return row;
}

/**
 * The application's date: the day the case was opened at the counter (Almaty time). The family check, the benefit
 * calculation (its quarter, threshold and period) and the repeat-application rule all count from it.
 */
export function applicationDateOf(ctx: ServicesContext, caseId: string): string {
  return officeDate(new Date(caseRow(ctx, caseId).created_at));
}

export function latestApplication(ctx: ServicesContext, caseId: string): Application | null {
  const row = ctx.db.prepare("SELECT payload FROM case_events WHERE case_id = ? AND type = 'application.recorded' ORDER BY seq DESC LIMIT 1").get(caseId) as { payload: string } | undefined;
  return row ? (JSON.parse(row.payload) as { application: Application }).application : null;
}

export function applicationServices(ctx: ServicesContext) {
  return {
    record(session: Session, input: ParsedInputOf<'application.record'>): ApplicationView {
      const c = caseRow(ctx, input.caseId);
      if (TERMINAL_STAGES.includes(c.stage)) throw new AppError('case.closed');
      const { caseId, ...application } = input;
      const applicationDate = applicationDateOf(ctx, input.caseId);
      const fieldErrors: Record<string, string> = {};
      for (const issue of checkFamily(application.members, applicationDate)) fieldErrors[issue.field] ??= issue.code;
      application.members.forEach((m, i) => {
        if (m.relation === 'child' && !m.birthRecord) fieldErrors[`members.${i}.birthRecord`] ??= 'family.birth_record_required';
      });
      const ids = new Set(application.members.map((m) => m.id));
      application.income.forEach((line, i) => {
        if (!ids.has(line.memberId)) fieldErrors[`income.${i}.memberId`] ??= 'field.invalid';
      });
      if (Object.keys(fieldErrors).length > 0) throw new AppError('validation', undefined, fieldErrors);
      const sign = signerFor(ctx, session);
      ctx.db.transaction(() => appendSignedEvent(ctx, caseId, 'application.recorded', { application }, session.identity, sign)).immediate();
      return { application, checklist: checklistOf(ctx, caseId, application) };
    },
    get(input: ParsedInputOf<'application.get'>): ApplicationView {
      caseRow(ctx, input.caseId);
      const application = latestApplication(ctx, input.caseId);
      return { application, checklist: checklistOf(ctx, input.caseId, application) };
    },
  };
}
