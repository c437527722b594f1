/**
 * The counter's path after the application is taken (regulation item 11.1 stages 1–2):
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
import { checklistOf } from './application';
import { formContext, issueForm } from './forms/forms';
import { noticeDefinition, refusalDefinition } from './forms/letters';
import { formatDay } from './forms/pdf';
import { latestAnswer, newestRequest, queueRequest } from './information-systems';
import { commitActs, loadCase } from './case-acts';
import { declaredValue, displayValue, documentsToBring } from '../../shared/domain/originals';

export function intakeServices(ctx: ServicesContext, kick: () => void) {
  return {
    /** Item 11.1 stage 2: the request about every family member, queued and sent in the background. */
    requestChecks(session: Session, input: ParsedInputOf<'intake.requestChecks'>): { requestId: string } {
      const p = loadCase(ctx, input.caseId);
      if (!p.facts.application) throw new AppError('is.no_application');
      const stage = p.case.stage;
      const newest = newestRequest(ctx, input.caseId);
      // Asked again while checking: when the last answer was refused, or the application changed since.
      const askAgain = stage === 'is_check' && newest !== null && newest.status !== 'queued' && (newest.status === 'rejected' || newest.application_seq !== p.facts.applicationSeq);
      let requestId = '';
      ctx.db
        .transaction(() => {
          requestId = queueRequest(ctx, p, 'check');
          const act =
            stage === 'center_intake'
              ? { type: 'is.requested_at_center' as const, payload: { requestId, ...(newest ? { previous: newest.request_id } : {}) } }
              : askAgain
                ? { type: 'is.requested_again' as const, payload: { requestId, previous: newest!.request_id } }
                : { type: 'is.requested' as const, payload: { requestId } };
          commitActs(ctx, session, input.caseId, p, [act]);
        })
        .immediate();
      kick();
      return { requestId };
    },

    /** All confirmed and the package complete: accepted (then the receipt is printed). */
    accept(session: Session, input: ParsedInputOf<'intake.accept'>) {
      const p = loadCase(ctx, input.caseId);
      const latest = latestAnswer(ctx, p);
      if (!allConfirmed(latest.answer)) throw new AppError('is.not_all_confirmed');
      if (!checklistComplete(checklistOf(p, p.facts.application))) throw new AppError('intake.checklist_incomplete');
      const after = commitActs(ctx, session, input.caseId, p, [{ type: 'is.all_confirmed', payload: { requestId: latest.requestId, answer: latest.answerSha, answerSignature: latest.signatureSha } }]);
      return { stage: after.case.stage };
    },

    /** A mismatch or no data: the notice with what differed, per person and source, and the 3-working-day deadline. */
    async notifyMismatch(session: Session, input: ParsedInputOf<'intake.notifyMismatch'>): Promise<IssuedForm> {
      const p = loadCase(ctx, input.caseId);
      const latest = latestAnswer(ctx, p);
      if (allConfirmed(latest.answer)) throw new AppError('is.all_confirmed');
      const f = formContext(ctx, session, p);
      const lang = f.case.docLanguage;
      const declared = new Map(latest.declared.map((s) => [s.iin, s]));
      const applicantIin = p.case.applicantIin;
      const rows = latest.answer.subjects.flatMap((s) =>
        s.fields
          .filter((x) => x.result !== 'confirmed')
          .map((x) => {
            const d = declared.get(s.iin);
            const person = `${d?.declared.surname ?? ''} ${d?.declared.givenName ?? ''}, ${s.iin}`;
            const declaredText = d ? declaredValue(d, x.field, applicantIin) : null;
            return { person, field: formatMessage(lang, `is.field.${x.field}`), declared: declaredText ? displayValue(declaredText) : '—', registry: x.registry ? displayValue(x.registry) : '—', result: formatMessage(lang, `is.result.${x.result}`) };
          }),
      );
      // Item 11.1 stage 2: the originals of the documents whose data did not match, each with what did not.
      const identityKind = p.facts.application?.identityDocument.kind ?? 'citizen_id';
      const documents = documentsToBring({ subjects: latest.declared }, latest.answer, identityKind).map((r) => ({
        document: formatMessage(lang, `document.${r.document}`),
        person: `${r.person}, ${r.iin}`,
        mismatch: r.fields.map((f) => formatMessage(lang, `is.field.${f}`)).join(', '),
      }));
      // The deadline the workflow will start (item 11.1 stage 2), computed the same way for the paper.
      const deadline = dueDate('originals_and_consent', officeDate(f.now), ctx.calendar());
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'notice_originals', noticeDefinition({ ...f.base, rows, documents, deadline: formatDay(deadline) }), f.base.verificationCode, { requestId: latest.requestId, answer: latest.answerSha, answerSignature: latest.signatureSha }, { type: 'is.mismatch_notified' }, { now: f.now });
      return issued;
    },

    /** The originals and the consent brought in time: the reconciliation request goes the same day. */
    originalsBrought(session: Session, input: ParsedInputOf<'intake.originalsBrought'>): { requestId: string } {
      const p = loadCase(ctx, input.caseId);
      let requestId = '';
      ctx.db
        .transaction(() => {
          const after = commitActs(ctx, session, input.caseId, p, [{ type: 'originals.brought', payload: { consent: true } }]);
          requestId = queueRequest(ctx, after, 'reconciliation');
        })
        .immediate();
      kick();
      return { requestId };
    },

    /** Not brought within 3 working days: the refusal to accept (Appendix 20); the case closes as refused. */
    async refuseAcceptance(session: Session, input: ParsedInputOf<'intake.refuseAcceptance'>): Promise<IssuedForm> {
      const p = loadCase(ctx, input.caseId);
      // The workflow's guards (the 3 working days have passed) are checked before the refusal is rendered or signed.
      const f = formContext(ctx, session, p);
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'refusal_acceptance', refusalDefinition({ ...f.base, reason: 'originals_not_brought' }), f.base.verificationCode, { grounds: ['originals_not_brought'] }, { type: 'acceptance.refused', guards: { refusalGrounds: ['originals_not_brought'] } }, { now: f.now });
      return issued;
    },
  };
}
