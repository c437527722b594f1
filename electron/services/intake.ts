/**
 * The counter's path after the application is taken (regulation item 11.1 stages 1–2; issue 5, "The paths"):
 * ask the information systems; all confirmed and the package complete → accepted (then the receipt); a mismatch
 * or no data → the notice to bring originals within 3 working days; brought in time → scanned, certified and the
 * reconciliation request sent the same day; not brought in time → the refusal to accept (Appendix 20).
 * Every step is a signed workflow event; the workflow's guards decide what is allowed when.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { IssuedForm } from '../../shared/contract/types';
import { allConfirmed } from '../../shared/contract/is-protocol';
import { AppError } from '../../shared/errors';
import { checklistComplete } from '../../shared/domain/checklist';
import { dueDate } from '../../shared/domain/deadlines';
import { formatMessage } from '../../shared/i18n/messages';
import { officeDate } from '../../shared/local-date';
import type { ServicesContext, Session } from './context';
import { applicationServices } from './application';
import { formContext, issueForm } from './forms/forms';
import { noticeDefinition, refusalDefinition } from './forms/letters';
import { formatDay } from './forms/pdf';
import { latestAnswer, newestRequest, queueRequest } from './information-systems';
import { appendSignedEvent } from './cases';
import { caseState, makeTransition } from './transitions';
import { signerFor } from './signing';

export function intakeServices(ctx: ServicesContext, kick: () => void) {
  const applications = applicationServices(ctx);
  return {
    /** Item 11.1 stage 2: the request about every family member, queued and sent in the background. */
    requestChecks(session: Session, input: ParsedInputOf<'intake.requestChecks'>): { requestId: string } {
      if (!applications.get({ caseId: input.caseId }).application) throw new AppError('is.no_application');
      let requestId = '';
      const stage = caseState(ctx, input.caseId).stage;
      const newest = newestRequest(ctx, input.caseId);
      // Asked again while checking: when the last answer was refused, or the application changed since.
      const askAgain = stage === 'is_check' && newest !== null && newest.status !== 'queued' && (newest.status === 'rejected' || (() => {
        try {
          latestAnswer(ctx, input.caseId);
          return false;
        } catch (error) {
          return error instanceof AppError && error.code === 'is.answer_outdated';
        }
      })());
      const sign = signerFor(ctx, session);
      ctx.db.transaction(() => {
        requestId = queueRequest(ctx, input.caseId, 'check');
        if (stage === 'center_intake') appendSignedEvent(ctx, input.caseId, 'is.requested_at_center', { requestId, ...(newest ? { previous: newest.request_id } : {}) }, session.identity, sign);
        else if (askAgain) appendSignedEvent(ctx, input.caseId, 'is.requested_again', { requestId, previous: newest!.request_id }, session.identity, sign);
        else makeTransition(ctx, session, input.caseId, 'is.requested', {}, { requestId }, sign);
      }).immediate();
      kick();
      return { requestId };
    },

    /** All confirmed and the package complete: accepted (then the receipt is printed). */
    accept(session: Session, input: ParsedInputOf<'intake.accept'>) {
      const latest = latestAnswer(ctx, input.caseId);
      if (!allConfirmed(latest.answer)) throw new AppError('is.not_all_confirmed');
      if (!checklistComplete(applications.get({ caseId: input.caseId }).checklist)) throw new AppError('intake.checklist_incomplete');
      makeTransition(ctx, session, input.caseId, 'is.all_confirmed', {}, { requestId: latest.requestId, answer: latest.answerSha });
      return { stage: caseState(ctx, input.caseId).stage };
    },

    /** A mismatch or no data: the notice with what differed, per person and source, and the 3-working-day deadline. */
    async notifyMismatch(session: Session, input: ParsedInputOf<'intake.notifyMismatch'>): Promise<IssuedForm> {
      const latest = latestAnswer(ctx, input.caseId);
      if (allConfirmed(latest.answer)) throw new AppError('is.all_confirmed');
      const f = formContext(ctx, session, input.caseId);
      const lang = f.case.doc_language;
      const request = ctx.db.prepare('SELECT request FROM is_requests WHERE request_id = ?').get(latest.requestId) as { request: string };
      const declared = new Map((JSON.parse(request.request) as { subjects: { iin: string; declared: Record<string, unknown> }[] }).subjects.map((s) => [s.iin, s.declared]));
      const rows = latest.answer.subjects.flatMap((s) =>
        s.fields
          .filter((x) => x.result !== 'confirmed')
          .map((x) => {
            const d = declared.get(s.iin) ?? {};
            const person = `${String(d.surname ?? '')} ${String(d.givenName ?? '')}, ${s.iin}`;
            const value = x.field === 'bankAccount' ? d.iban : x.field === 'income' ? (d.income as { month: string; amountTiyn: number }[] | undefined)?.map((l) => `${l.month}: ${l.amountTiyn / 100}`).join('; ') : d[x.field];
            return { person, field: formatMessage(lang, `is.field.${x.field}`), declared: String(value ?? '—'), registry: x.registry ?? '—', result: formatMessage(lang, `is.result.${x.result}`) };
          }),
      );
      // The deadline the workflow will start (item 11.1 stage 2), computed the same way for the paper.
      const deadline = dueDate('originals_and_consent', officeDate(f.now), ctx.calendar());
      return issueForm(ctx, session, input.caseId, 'notice_originals', noticeDefinition({ ...f.base, rows, deadline: formatDay(deadline) }), f.base.verificationCode, { requestId: latest.requestId, answer: latest.answerSha }, (payload, sign) => {
        makeTransition(ctx, session, input.caseId, 'is.mismatch_notified', {}, payload, sign);
      });
    },

    /** The originals and the consent brought in time: the reconciliation request goes the same day. */
    originalsBrought(session: Session, input: ParsedInputOf<'intake.originalsBrought'>): { requestId: string } {
      let requestId = '';
      const sign = signerFor(ctx, session);
      ctx.db.transaction(() => {
        makeTransition(ctx, session, input.caseId, 'originals.brought', {}, { consent: true }, sign);
        requestId = queueRequest(ctx, input.caseId, 'reconciliation');
      })();
      kick();
      return { requestId };
    },

    /** Not brought within 3 working days: the refusal to accept (Appendix 20); the case closes as refused. */
    async refuseAcceptance(session: Session, input: ParsedInputOf<'intake.refuseAcceptance'>): Promise<IssuedForm> {
      // The workflow's guards (the 3 working days have passed) refuse the step inside the transaction: nothing
      // is recorded then (the rendered PDF's blob file stays unnamed, which is harmless).
      const f = formContext(ctx, session, input.caseId);
      return issueForm(ctx, session, input.caseId, 'refusal_acceptance', refusalDefinition({ ...f.base, reason: 'originals_not_brought' }), f.base.verificationCode, { grounds: ['originals_not_brought'] }, (payload, sign) => {
        makeTransition(ctx, session, input.caseId, 'acceptance.refused', { refusalGrounds: ['originals_not_brought'] }, payload, sign);
      });
    },
  };
}
