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
import { applicationDate } from './application';
import { eventsOfType } from '../../db/repositories/events';
import { commitActs, loadCase, type CaseProjection } from './case-acts';
import { readPayload } from '../../shared/events/payloads';
import { lastConcludedCaseOf } from '../../db/repositories/cases';
import { formContext, issueForm, issueForms, verificationCode } from './forms/forms';
import { actDefinition, conclusionDefinition } from './forms/commission-forms';
import { incomeQuarterOf } from '../../shared/domain/benefit';
import { formatMessage } from '../../shared/i18n/messages';
import { referralDefinition } from './forms/decision-forms';
import { formatDay } from './forms/pdf';
import { referenceServices } from './reference';

const incomeOf = (a: Application) => a.income.reduce((sum, l) => sum + l.amountTiyn, 0);
const compositionOf = (a: Application) => a.members.map((m) => m.iin);

/**
 * The repeat-application rule: the applicant's latest other case with an act on the family, compared with this
 * application (workflow.ts inspectionNeeded holds the rule itself).
 */
export function inspectionRule(ctx: ServicesContext, p: CaseProjection) {
  const current = p.facts.application;
  if (!current) throw new AppError('is.no_application');
  const previous = lastConcludedCaseOf(ctx.db, p.case.applicantIin, p.case.id);
  const earlier = previous ? loadCase(ctx, previous.id) : null;
  const before = earlier?.facts.application ?? null;
  const rule = inspectionNeeded({
    applicationDate: applicationDate(p),
    previous:
      previous && earlier && before
        ? { applicationDate: applicationDate(earlier), actId: `${previous.id}#${previous.seq}`, residence: before.registrationAddress, composition: compositionOf(before), incomeTiyn: incomeOf(before) }
        : null,
    current: { residence: current.registrationAddress, composition: compositionOf(current), incomeTiyn: incomeOf(current) },
  });
  return { rule, previous: previous ? { caseId: previous.id, caseNumber: previous.case_number, eventSeq: previous.seq } : null };
}

export function commissionServices(ctx: ServicesContext) {
  const reference = referenceServices(ctx);
  return {
    status(input: ParsedInputOf<'commission.status'>): CommissionStatus {
      const p = loadCase(ctx, input.caseId);
      const [referral] = eventsOfType(ctx.db, input.caseId, ['commission.referred']).slice(-1);
      const [concluded] = eventsOfType(ctx.db, input.caseId, ['commission.concluded', 'commission.act_reused']).slice(-1);
      let rule: CommissionStatus['rule'] = null;
      try {
        const r = inspectionRule(ctx, p);
        rule = r.rule.needed ? { needed: true, reason: r.rule.reason, previous: r.previous } : { needed: false, reason: 'unchanged', previous: r.previous };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
      const ref = referral ? readPayload('commission.referred', referral.payload) : null;
      return {
        stage: p.case.stage,
        rule,
        precincts: reference.precincts(),
        referral: ref && referral ? { seq: referral.seq, precinct: ref.precinct, reason: ref.reason, due: ref.due } : null,
        conclusion: concluded ? { seq: concluded.seq, type: concluded.type, ...(readPayload(concluded.type as 'commission.concluded' | 'commission.act_reused', concluded.payload) as Omit<NonNullable<CommissionStatus['conclusion']>, 'seq' | 'type'>) } : null,
      };
    },

    /** The referral to the commission of the applicant's precinct, signed by the specialist. */
    async refer(session: Session, input: ParsedInputOf<'commission.refer'>): Promise<IssuedForm> {
      const precinct = reference.precincts().find((x) => x.code === input.precinctCode);
      if (!precinct) throw new AppError('commission.unknown_precinct', { code: input.precinctCode });
      const p = loadCase(ctx, input.caseId);
      const { rule } = inspectionRule(ctx, p);
      // Referring although the last act could be used is the specialist's call, and the referral says so.
      const reason = rule.needed ? rule.reason : 'specialist_decision';
      const f = formContext(ctx, session, p);
      // The commission's 3 working days start when it receives the documents: today, with the referral.
      const due = dueDate('commission_conclusion', officeDate(f.now), ctx.calendar());
      const me = session.identity;
      const definition = referralDefinition({
        ...f.base,
        journalNumber: p.journal?.journalNumber ?? '—',
        precinct: { name: f.case.docLanguage === 'kk' ? precinct.nameKk : precinct.nameRu, members: precinct.members.map((m) => m.name) },
        reason,
        due: formatDay(due),
        specialist: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(),
      });
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'commission_referral', definition, f.base.verificationCode, { precinct: precinct.code, reason, due }, { type: 'commission.referred' }, { now: f.now });
      return issued;
    },

    /**
     * The act and the conclusion as the commission signed them on paper. The secretary enters them with their
     * own key; a specialist may enter them on paper's behalf only once the paper act is scanned. Both are printed
     * and certified with the same key: the act by the workflow step, the conclusion by a form.issued beside it.
     */
    async conclude(session: Session, input: ParsedInputOf<'commission.conclude'>): Promise<{ stage: string }> {
      const p = loadCase(ctx, input.caseId);
      const [referral] = eventsOfType(ctx.db, input.caseId, ['commission.referred']).slice(-1);
      const today = officeDate(ctx.now());
      if (referral && (input.act.date < officeDate(new Date(referral.at)) || input.act.date > today)) {
        throw new AppError('commission.act_date_invalid', { from: formatDay(officeDate(new Date(referral.at))), to: formatDay(today) });
      }
      const paperPages = p.pages.filter((x) => !x.removed && x.documentKind === 'commission_act').map((x) => x.pageId);
      const onPapersBehalf = session.identity.role !== 'secretary';
      if (onPapersBehalf && paperPages.length === 0) throw new AppError('commission.paper_not_scanned');
      const application = p.facts.application;
      if (!application) throw new AppError('is.no_application');
      const { caseId: _caseId, ...entered } = input;
      const f = formContext(ctx, session, p);
      const lang = f.case.docLanguage;
      const code = referral ? readPayload('commission.referred', referral.payload).precinct : null;
      const precinct = reference.precincts().find((x) => x.code === code);
      const paper = {
        ...f.base,
        journalNumber: p.journal?.journalNumber ?? '—',
        precinct: precinct ? (lang === 'kk' ? precinct.nameKk : precinct.nameRu) : (code ?? '—'),
        roster: precinct?.members ?? [],
        onPapersBehalf,
      };
      const quarter = incomeQuarterOf(applicationDate(p));
      const family = application.members.map((m) => ({
        name: [m.surname, m.givenName, m.patronymic].filter(Boolean).join(' '),
        relation: formatMessage(lang, `relation.${m.relation}`),
        birthYear: m.birthDate.slice(0, 4),
        occupation: entered.act.occupations?.[m.id] ?? '',
        incomeTiyn: application.income.filter((l) => l.memberId === m.id && quarter.months.includes(l.month)).reduce((sum, l) => sum + l.amountTiyn, 0),
      }));
      const actForm = actDefinition({ ...paper, act: entered.act, family, incomeQuarter: `${formatDay(quarter.from)} – ${formatDay(quarter.to)}` });
      const conclusionCode = verificationCode();
      const conclusionForm = conclusionDefinition({ ...paper, verificationCode: conclusionCode, actDate: entered.act.date, conclusion: entered.conclusion });
      const { after } = await issueForms(
        ctx,
        session,
        p,
        [
          { form: 'commission_act', definition: actForm, verificationCode: f.base.verificationCode, extra: { act: entered.act, conclusion: entered.conclusion, onPapersBehalf, paperPages }, act: { type: 'commission.concluded' } },
          { form: 'commission_conclusion', definition: conclusionForm, verificationCode: conclusionCode, extra: {} },
        ],
        { now: f.now },
      );
      return { stage: after.case.stage };
    },

    /** A repeat application in the same year with nothing changed: no inspection, the last act is referenced. */
    reuse(session: Session, input: ParsedInputOf<'commission.reuse'>): { stage: string } {
      const p = loadCase(ctx, input.caseId);
      const { rule, previous } = inspectionRule(ctx, p);
      if (rule.needed || !previous) throw new AppError('commission.inspection_needed', { reason: rule.needed ? rule.reason : 'first_application' });
      const after = commitActs(ctx, session, input.caseId, p, [{ type: 'commission.act_reused', payload: { previous, reason: 'repeat_application_unchanged' }, guards: { reuseAllowed: true } }]);
      return { stage: after.case.stage };
    },
  };
}
