/**
 * The application as taken at the counter: the applicant's documents and account, a representative, the family
 * and its income. Stored as a signed case event; each save is a new event, so the
 * log shows what was declared and when. The item 13 checklist is computed from it and from the pages scanned.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { ApplicationView } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { documentChecklist, withReceivedPages } from '../../shared/domain/checklist';
import { checkFamily } from '../../shared/domain/family';
import { TERMINAL_STAGES } from '../../shared/domain/workflow';
import { officeDate } from '../../shared/local-date';
import type { ServicesContext, Session } from './context';
import { commitActs, loadCase, type CaseProjection } from './case-acts';
import { documentsReceived } from './pages';
import { openCaseWithChild } from '../../db/repositories/cases';

type Application = Omit<ParsedInputOf<'application.record'>, 'caseId'>;

/** The item 13 checklist of the application, with the pages received for each document. */
export function checklistOf(p: CaseProjection, application: Application | null) {
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
  return withReceivedPages(items, Object.fromEntries(documentsReceived(p).map((d) => [d.kind, d.pages])));
}

/**
 * The application's date: the day the case was opened at the counter (Almaty time). The family check, the benefit
 * calculation (its quarter, threshold and period) and the repeat-application rule all count from it.
 */
export function applicationDate(p: CaseProjection): string {
  return officeDate(new Date(p.case.createdAt));
}

export function applicationServices(ctx: ServicesContext) {
  return {
    record(session: Session, input: ParsedInputOf<'application.record'>): ApplicationView {
      const p = loadCase(ctx, input.caseId);
      if (TERMINAL_STAGES.includes(p.case.stage)) throw new AppError('case.closed');
      const { caseId, ...application } = input;
      const fieldErrors: Record<string, string> = {};
      for (const issue of checkFamily(application.members, applicationDate(p))) fieldErrors[issue.field] ??= issue.code;
      application.members.forEach((m, i) => {
        if (m.relation === 'child' && !m.birthRecord) fieldErrors[`members.${i}.birthRecord`] ??= 'family.birth_record_required';
      });
      const ids = new Set(application.members.map((m) => m.id));
      application.income.forEach((line, i) => {
        if (!ids.has(line.memberId)) fieldErrors[`income.${i}.memberId`] ??= 'field.invalid';
      });
      if (Object.keys(fieldErrors).length > 0) throw new AppError('validation', undefined, fieldErrors);
      // A family has one open application at a time: a child counted in another open case of
      // this office is refused beside the child's IIN, naming that case.
      const children = application.members.filter((m) => m.relation === 'child').map((m) => m.iin);
      const other = openCaseWithChild(ctx.db, children, p.case.officeCode, caseId);
      if (other) {
        const i = application.members.findIndex((m) => m.relation === 'child' && m.iin === other.iin);
        throw new AppError('case.child_in_open_case', { caseNumber: other.case_number, caseId: other.id, iin: other.iin }, { [`members.${i}.iin`]: 'family.child_in_open_case' });
      }
      const a = application.members.find((m) => m.relation === 'applicant');
      const applicant = a ? { surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate } : undefined;
      const after = commitActs(ctx, session, caseId, p, [{ type: 'application.recorded', payload: { application, ...(applicant ? { applicant } : {}) } }]);
      return { application, checklist: checklistOf(after, application) };
    },
    get(input: ParsedInputOf<'application.get'>): ApplicationView {
      const p = loadCase(ctx, input.caseId);
      return { application: p.facts.application, checklist: checklistOf(p, p.facts.application) };
    },
  };
}
