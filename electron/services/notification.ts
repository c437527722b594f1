/**
 * The notification (regulation item 11.1 stage 7; Rules, Appendix 22): within 5 working days of the decision
 * the head signs the notification in the applicant's language; the responsible specialist hands it over in
 * person or sends it by post, and the case closes. In the Center channel (item 11.2 stage 5) it is passed to the
 * Center, which hands it over against its receipt.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { IssuedForm } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { officeDate } from '../../shared/local-date';
import type { BenefitResult } from '../../shared/domain/benefit';
import { readPayload } from '../../shared/events/payloads';
import type { ServicesContext, Session } from './context';
import { eventsOfType } from '../../db/repositories/events';
import { commitActs, loadCase } from './case-acts';
import { signedDecision } from './decision';
import { formContext, issueForm } from './forms/forms';
import { notificationDefinition } from './forms/decision-forms';
import { roleForAct } from '../../shared/domain/acts';

export function notificationServices(ctx: ServicesContext) {
  return {
    /** The Appendix 22 notification, signed by the head; only after the decision, and once. */
    async issue(session: Session, input: ParsedInputOf<'notification.issue'>): Promise<IssuedForm> {
      const p = loadCase(ctx, input.caseId);
      const signed = signedDecision(ctx, input.caseId);
      if (!signed || p.case.stage !== 'decided') throw new AppError('notification.before_decision');
      if (p.documents.some((d) => d.eventType === 'notification.issued')) throw new AppError('notification.already_issued');
      if (!roleForAct(session.identity.roles, 'notification')) throw new AppError('ecp.role_not_allowed', { act: 'notification', role: session.identity.role });
      const [draft] = eventsOfType(ctx.db, input.caseId, ['decision.drafted']).filter((e) => e.seq === signed.draftSeq);
      const calculation = readPayload('decision.drafted', draft!.payload).calculation as unknown as BenefitResult;
      const f = formContext(ctx, session, p);
      const children = calculation.explanation.children.filter((c) => c.counted).map((c) => ({ name: c.name, birthDate: c.birthDate }));
      const definition = notificationDefinition({
        ...f.base,
        decisionNumber: signed.decisionNumber,
        decidedOn: officeDate(new Date(signed.at)),
        outcome: signed.decision.outcome,
        refusalGrounds: signed.decision.refusalGrounds,
        children,
        monthlyAmountTiyn: signed.monthlyAmountTiyn,
        period: signed.period,
        head: `${session.identity.surname} ${session.identity.givenName} ${session.identity.patronymic}`.trim(),
      });
      // Two heads signing at once leave one notification: the second is made on a version that is gone.
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'notification', definition, f.base.verificationCode, { decisionNumber: signed.decisionNumber }, { type: 'notification.issued' }, { now: f.now });
      return issued;
    },

    /** Handed over in person, sent by post, or (Center channel) passed to the Center: the case closes. */
    deliver(session: Session, input: ParsedInputOf<'notification.deliver'>): { stage: string } {
      const p = loadCase(ctx, input.caseId);
      if (!p.facts.decision) throw new AppError('notification.before_decision');
      if (!p.documents.some((d) => d.eventType === 'notification.issued')) throw new AppError('notification.not_issued');
      const now = ctx.now();
      const on = officeDate(now);
      const center = p.case.channel === 'center';
      // Item 11.2 stage 5: a Center application's notification goes back to the Center; others in person or by post.
      if (center !== (input.method === 'center')) throw new AppError('notification.wrong_channel');
      const type = center ? (p.facts.decision.outcome === 'refuse' ? 'refusal.returned_to_center' : 'notification.passed_to_center') : 'notification.delivered';
      const { caseId: _caseId, ...delivery } = input;
      const after = commitActs(ctx, session, input.caseId, p, [{ type, payload: { ...delivery, on } }], undefined, { now });
      return { stage: after.case.stage };
    },

    /** Item 11.2 stage 5: the Center hands the notification over against its receipt; the case closes. */
    centerHandedOver(session: Session, input: ParsedInputOf<'notification.centerHandedOver'>): { stage: string } {
      const p = loadCase(ctx, input.caseId);
      // Nothing to hand over before the notification reached the Center (center.handover also prints the record).
      if (p.case.stage !== 'notification_at_center') throw new AppError('center.handover_before_notification');
      const now = ctx.now();
      const after = commitActs(ctx, session, input.caseId, p, [{ type: 'center.notification_handed_over', payload: { on: officeDate(now) } }], undefined, { now });
      return { stage: after.case.stage };
    },
  };
}
