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
import type { RefusalGround } from '../../shared/domain/workflow';
import type { ServicesContext, Session } from './context';
import { appendSignedEvent, eventsOf } from './cases';
import { formContext, issueForm } from './forms/forms';
import { notificationDefinition } from './forms/decision-forms';
import { caseState, makeTransition } from './transitions';
import { roleForAct } from '../../shared/domain/acts';

interface SignedDecision {
  decisionNumber: string;
  decision: { outcome: 'assign' | 'refuse'; refusalGrounds: RefusalGround[] };
  monthlyAmountTiyn: number;
  period: { from: string; to: string } | null;
  draftSeq: number;
}

export function notificationServices(ctx: ServicesContext) {
  return {
    /** The Appendix 22 notification, signed by the head; only after the decision, and once. */
    async issue(session: Session, input: ParsedInputOf<'notification.issue'>): Promise<IssuedForm> {
      const [signed] = eventsOf(ctx, input.caseId, ['decision.signed']).slice(-1);
      if (!signed || caseState(ctx, input.caseId).stage !== 'decided') throw new AppError('notification.before_decision');
      if (eventsOf(ctx, input.caseId, ['notification.issued']).length > 0) throw new AppError('notification.already_issued');
      if (!roleForAct(session.identity.roles, 'notification')) throw new AppError('ecp.role_not_allowed', { act: 'notification', role: session.identity.role });
      const decision = JSON.parse(signed.payload) as SignedDecision;
      const draft = ctx.db.prepare('SELECT payload FROM case_events WHERE case_id = ? AND seq = ?').get(input.caseId, decision.draftSeq) as { payload: string };
      const calculation = (JSON.parse(draft.payload) as { calculation: BenefitResult }).calculation;
      const f = formContext(ctx, session, input.caseId);
      const children = calculation.explanation.children.filter((c) => c.counted).map((c) => ({ name: c.name, birthDate: c.birthDate }));
      const definition = notificationDefinition({
        ...f.base,
        decisionNumber: decision.decisionNumber,
        decidedOn: officeDate(new Date(signed.at)),
        outcome: decision.decision.outcome,
        refusalGrounds: decision.decision.refusalGrounds,
        children,
        monthlyAmountTiyn: decision.monthlyAmountTiyn,
        period: decision.period,
        head: `${session.identity.surname} ${session.identity.givenName} ${session.identity.patronymic}`.trim(),
      });
      return issueForm(ctx, session, input.caseId, 'notification', definition, f.base.verificationCode, { decisionNumber: decision.decisionNumber }, (payload, sign) => {
        // Checked again where it is written: two heads signing at once leave one notification.
        if (eventsOf(ctx, input.caseId, ['notification.issued']).length > 0) throw new AppError('notification.already_issued');
        appendSignedEvent(ctx, input.caseId, 'notification.issued', payload, session.identity, sign);
      });
    },

    /** Handed over in person, sent by post, or (Center channel) passed to the Center: the case closes. */
    deliver(session: Session, input: ParsedInputOf<'notification.deliver'>): { stage: string } {
      if (eventsOf(ctx, input.caseId, ['decision.signed']).length === 0) throw new AppError('notification.before_decision');
      if (eventsOf(ctx, input.caseId, ['notification.issued']).length === 0) throw new AppError('notification.not_issued');
      const state = caseState(ctx, input.caseId);
      const on = officeDate(ctx.now());
      const event = state.channel === 'center' ? (state.decision?.outcome === 'refuse' ? 'refusal.returned_to_center' : 'notification.passed_to_center') : 'notification.delivered';
      // Item 11.2 stage 5: a Center application's notification goes back to the Center; others in person or by post.
      if ((state.channel === 'center') !== (input.method === 'center')) throw new AppError('notification.wrong_channel');
      ctx.db.transaction(() => {
        makeTransition(ctx, session, input.caseId, event, {}, { ...input, on });
        // The applicant is notified when the notification is in their hands: for the Center, at its handover.
        if (state.channel === 'district') ctx.db.prepare('UPDATE journal SET notified_on = ? WHERE case_id = ?').run(on, input.caseId);
      }).immediate();
      return { stage: caseState(ctx, input.caseId).stage };
    },

    /** Item 11.2 stage 5: the Center hands the notification over against its receipt; the case closes. */
    centerHandedOver(session: Session, input: ParsedInputOf<'notification.centerHandedOver'>): { stage: string } {
      const on = officeDate(ctx.now());
      ctx.db.transaction(() => {
        makeTransition(ctx, session, input.caseId, 'center.notification_handed_over', {}, { on });
        ctx.db.prepare('UPDATE journal SET notified_on = ? WHERE case_id = ?').run(on, input.caseId);
      }).immediate();
      return { stage: caseState(ctx, input.caseId).stage };
    },
  };
}
