/**
 * The precinct commission (regulation item 11.1 stage 4): within 2 working days of registration the case goes
 * to the commission of the applicant's precinct with a referral; within 3 working days the commission returns an
 * act on the family's material situation and a conclusion on need. A repeat application within the calendar
 * year, with residence, composition and income unchanged, is not inspected: the last act is referenced.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { CommissionStatus, IssuedForm } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { dueDate } from '../../shared/domain/deadlines';
import { inspectionNeeded } from '../../shared/domain/workflow';
import { officeDate } from '../../shared/local-date';
import type { Application } from '../../shared/contract/types';
import type { ServicesContext, Session } from './context';
import { latestApplication, applicationDateOf } from './application';
import { eventsOf } from './cases';
import { formContext, issueForm } from './forms/forms';
import { referralDefinition } from './forms/decision-forms';
import { formatDay } from './forms/pdf';
import { referenceServices } from './reference';
import { caseState, makeTransition } from './transitions';

const incomeOf = (a: Application) => a.income.reduce((sum, l) => sum + l.amountTiyn, 0);
const compositionOf = (a: Application) => a.members.map((m) => m.iin);

/**
 * The repeat-application rule: the applicant's latest other case with an act on the family, compared with this
 * application (workflow.ts inspectionNeeded holds the rule itself).
 */
export function inspectionRule(ctx: ServicesContext, caseId: string) {
  const c = ctx.db.prepare('SELECT applicant_iin FROM cases WHERE id = ?').get(caseId) as { applicant_iin: string } | undefined;
  if (!c) throw new AppError('not_found');
  const current = latestApplication(ctx, caseId);
  if (!current) throw new AppError('is.no_application');
  const previous = ctx.db
    .prepare(
      `SELECT c.id, c.case_number, e.seq FROM cases c JOIN case_events e ON e.case_id = c.id AND e.type = 'commission.concluded'
       WHERE c.applicant_iin = ? AND c.id != ? ORDER BY e.at DESC LIMIT 1`,
    )
    .get(c.applicant_iin, caseId) as { id: string; case_number: string; seq: number } | undefined;
  const before = previous ? latestApplication(ctx, previous.id) : null;
  const rule = inspectionNeeded({
    applicationDate: applicationDateOf(ctx, caseId),
    previous:
      previous && before
        ? { applicationDate: applicationDateOf(ctx, previous.id), actId: `${previous.id}#${previous.seq}`, residence: before.registrationAddress, composition: compositionOf(before), incomeTiyn: incomeOf(before) }
        : null,
    current: { residence: current.registrationAddress, composition: compositionOf(current), incomeTiyn: incomeOf(current) },
  });
  return { rule, previous: previous ? { caseId: previous.id, caseNumber: previous.case_number, eventSeq: previous.seq } : null };
}

export function commissionServices(ctx: ServicesContext) {
  const reference = referenceServices(ctx);
  return {
    status(input: ParsedInputOf<'commission.status'>): CommissionStatus {
      const stage = caseState(ctx, input.caseId).stage;
      const [referral] = eventsOf(ctx, input.caseId, ['commission.referred']).slice(-1);
      const [concluded] = eventsOf(ctx, input.caseId, ['commission.concluded', 'commission.act_reused']).slice(-1);
      let rule: CommissionStatus['rule'] = null;
      try {
        const r = inspectionRule(ctx, input.caseId);
        rule = r.rule.needed ? { needed: true, reason: r.rule.reason, previous: r.previous } : { needed: false, reason: 'unchanged', previous: r.previous };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
      return {
        stage,
        rule,
        precincts: reference.precincts(),
        referral: referral ? { seq: referral.seq, ...(JSON.parse(referral.payload) as { precinct: string; reason: string; due: string }) } : null,
        conclusion: concluded ? { seq: concluded.seq, type: concluded.type, ...(JSON.parse(concluded.payload) as Omit<NonNullable<CommissionStatus['conclusion']>, 'seq' | 'type'>) } : null,
      };
    },

    /** The referral to the commission of the applicant's precinct, signed by the specialist. */
    async refer(session: Session, input: ParsedInputOf<'commission.refer'>): Promise<IssuedForm> {
      const precinct = reference.precincts().find((p) => p.code === input.precinctCode);
      if (!precinct) throw new AppError('commission.unknown_precinct', { code: input.precinctCode });
      const { rule } = inspectionRule(ctx, input.caseId);
      // Referring although the last act could be used is the specialist's call, and the referral says so.
      const reason = rule.needed ? rule.reason : 'specialist_decision';
      const f = formContext(ctx, session, input.caseId);
      const journal = ctx.db.prepare('SELECT journal_number FROM journal WHERE case_id = ?').get(input.caseId) as { journal_number: string } | undefined;
      // The commission's 3 working days start when it receives the documents: today, with the referral.
      const due = dueDate('commission_conclusion', officeDate(f.now), ctx.calendar());
      const me = session.identity;
      const definition = referralDefinition({
        ...f.base,
        journalNumber: journal?.journal_number ?? '—',
        precinct: { name: f.case.doc_language === 'kk' ? precinct.nameKk : precinct.nameRu, members: precinct.members.map((m) => m.name) },
        reason,
        due: formatDay(due),
        specialist: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(),
      });
      return issueForm(ctx, session, input.caseId, 'commission_referral', definition, f.base.verificationCode, { precinct: precinct.code, reason, due }, (payload, sign) => {
        makeTransition(ctx, session, input.caseId, 'commission.referred', {}, payload, sign);
      });
    },

    /**
     * The act and the conclusion as the commission signed them on paper. The secretary enters them with their
     * own key; a specialist may enter them on paper's behalf only once the paper act is scanned.
     */
    conclude(session: Session, input: ParsedInputOf<'commission.conclude'>): { stage: string } {
      const [referral] = eventsOf(ctx, input.caseId, ['commission.referred']).slice(-1);
      const today = officeDate(ctx.now());
      if (referral && (input.act.date < officeDate(new Date(referral.at)) || input.act.date > today)) {
        throw new AppError('commission.act_date_invalid', { from: formatDay(officeDate(new Date(referral.at))), to: formatDay(today) });
      }
      const paperPages = (ctx.db.prepare("SELECT page_id AS id FROM case_pages WHERE case_id = ? AND removed = 0 AND document_kind = 'commission_act'").all(input.caseId) as { id: string }[]).map((p) => p.id);
      const onPapersBehalf = session.identity.role !== 'secretary';
      if (onPapersBehalf && paperPages.length === 0) throw new AppError('commission.paper_not_scanned');
      makeTransition(ctx, session, input.caseId, 'commission.concluded', {}, { act: input.act, conclusion: input.conclusion, onPapersBehalf, paperPages }, 'commission.act');
      return { stage: caseState(ctx, input.caseId).stage };
    },

    /** A repeat application in the same year with nothing changed: no inspection, the last act is referenced. */
    reuse(session: Session, input: ParsedInputOf<'commission.reuse'>): { stage: string } {
      const { rule, previous } = inspectionRule(ctx, input.caseId);
      if (rule.needed || !previous) throw new AppError('commission.inspection_needed', { reason: rule.needed ? rule.reason : 'first_application' });
      makeTransition(ctx, session, input.caseId, 'commission.act_reused', { reuseAllowed: true }, { previous, reason: 'repeat_application_unchanged' });
      return { stage: caseState(ctx, input.caseId).stage };
    },
  };
}
