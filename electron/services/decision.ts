/**
 * The decision (regulation item 11.1 stages 5–6): the responsible specialist drafts it with the benefit
 * calculation and signs the draft; the head checks that the electronic documents match the paper case, that the
 * scans' quality flags are resolved and that the amount is right (re-computed here, independently of the
 * draft), then signs the decision or returns the case with a comment. A signed decision is never edited.
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { DecisionReview, DecisionDraft, IssuedForm } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { calculateBenefit, type BenefitInput, type BenefitResult } from '../../shared/domain/benefit';
import { DomainError } from '../../shared/domain/errors';
import type { RefusalGround } from '../../shared/domain/workflow';
import { officeDate } from '../../shared/local-date';
import { nextInSequence, readWorkstation } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';
import { applicationDateOf, latestApplication } from './application';
import { appendSignedEvent, eventsOf } from './cases';
import { formContext, issueForm } from './forms/forms';
import { decisionDefinition } from './forms/decision-forms';
import { benefitTables, officeRegion } from './reference';
import { caseState, makeTransition } from './transitions';
import { signerFor } from './signing';
import { roleForAct } from '../../shared/domain/acts';

/** The benefit as the domain rules compute it for the case's latest application, with its whole working. */
export function calculateForCase(ctx: ServicesContext, caseId: string): { input: BenefitInput; result: BenefitResult } {
  const application = latestApplication(ctx, caseId);
  if (!application) throw new AppError('is.no_application');
  const input: BenefitInput = {
    applicationDate: applicationDateOf(ctx, caseId),
    region: officeRegion(),
    members: application.members.map((m) => ({ id: m.id, name: [m.surname, m.givenName, m.patronymic].filter(Boolean).join(' '), relation: m.relation, birthDate: m.birthDate })),
    income: application.income.map((l) => ({ memberId: l.memberId, kind: l.kind, month: l.month, amountTiyn: l.amountTiyn })),
  };
  try {
    return { input, result: calculateBenefit(input, benefitTables(ctx.db)) };
  } catch (error) {
    // A missing threshold or MRP is the administrator's to fix: say which one, in the user's language.
    if (error instanceof DomainError && (error.code === 'benefit.threshold_missing' || error.code === 'benefit.mrp_missing')) throw new AppError(error.code, error.params);
    throw error;
  }
}

/** The figures the head's re-computation must match. */
function essentials(r: BenefitResult) {
  // Field by field: the stored draft is canonical JSON (keys sorted), so whole objects would not compare.
  const x = r.explanation;
  return [r.eligible, [...r.refusalReasons].sort().join('+'), r.monthlyAmountTiyn, r.period?.from, r.period?.to, x.totalIncomeTiyn, x.perCapitaTiyn, x.threshold.tiyn, x.mrp.tiyn, x.divisor.months, x.divisor.members, x.divisor.value].join('|');
}

function latestDraft(ctx: ServicesContext, caseId: string): DecisionDraft | null {
  const [row] = eventsOf(ctx, caseId, ['decision.drafted']).slice(-1);
  return row ? { seq: row.seq, at: row.at, ...(JSON.parse(row.payload) as Omit<DecisionDraft, 'seq' | 'at'>) } : null;
}

export function decisionServices(ctx: ServicesContext) {
  return {
    calculate(input: ParsedInputOf<'decision.calculate'>): BenefitResult {
      return calculateForCase(ctx, input.caseId).result;
    },

    /** Stage 5: the draft, assign or refuse, with the calculation, signed by the responsible specialist. */
    draft(session: Session, input: ParsedInputOf<'decision.draft'>): DecisionDraft {
      if (eventsOf(ctx, input.caseId, ['commission.concluded', 'commission.act_reused']).length === 0) throw new AppError('decision.no_conclusion');
      const { result } = calculateForCase(ctx, input.caseId);
      const grounds = new Set<RefusalGround>(input.refusalGrounds);
      if (input.outcome === 'assign' && !result.eligible) throw new AppError('decision.calculation_says_refuse');
      // A refusal the calculation gives carries the calculation's own reasons; other grounds (item 10) may be added.
      if (input.outcome === 'refuse') for (const r of result.refusalReasons) grounds.add(r);
      const refusalGrounds = input.outcome === 'refuse' ? [...grounds] : [];
      const me = session.identity;
      const payload = { outcome: input.outcome, refusalGrounds, note: input.note ?? '', calculation: result, drafter: { name: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(), iin: me.iin } };
      makeTransition(ctx, session, input.caseId, 'decision.drafted', { conclusionOrReason: true, outcome: input.outcome, refusalGrounds }, payload, 'decision.draft');
      return latestDraft(ctx, input.caseId)!;
    },

    /** Everything the head needs on one screen: the draft, an independent re-computation, the flags, the conclusion. */
    review(input: ParsedInputOf<'decision.review'>): DecisionReview {
      const state = caseState(ctx, input.caseId);
      const draft = latestDraft(ctx, input.caseId);
      let recomputed: BenefitResult | null = null;
      let recomputeError: string | null = null;
      try {
        recomputed = calculateForCase(ctx, input.caseId).result;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        recomputeError = error.code;
      }
      const registered = eventsOf(ctx, input.caseId, ['journal.registered']).pop();
      const reviewed = registered ? (JSON.parse(registered.payload) as { flagsReviewed?: string[] }).flagsReviewed ?? [] : [];
      const flagged = ctx.db.prepare("SELECT page_id AS pageId, document_kind AS documentKind, position, quality FROM case_pages WHERE case_id = ? AND removed = 0 AND quality != '[]' ORDER BY document_kind, position").all(input.caseId) as { pageId: string; documentKind: string; position: number; quality: string }[];
      const pages = (ctx.db.prepare('SELECT count(*) AS n FROM case_pages WHERE case_id = ? AND removed = 0').get(input.caseId) as { n: number }).n;
      const returned = eventsOf(ctx, input.caseId, ['decision.returned']).map((e) => ({ seq: e.seq, at: e.at, comment: (JSON.parse(e.payload) as { comment: string }).comment }));
      const [conclusion] = eventsOf(ctx, input.caseId, ['commission.concluded', 'commission.act_reused']).slice(-1);
      const [signed] = eventsOf(ctx, input.caseId, ['decision.signed']).slice(-1);
      return {
        stage: state.stage,
        draft,
        recomputed,
        recomputeError,
        matches: draft !== null && recomputed !== null && essentials(draft.calculation) === essentials(recomputed),
        flaggedPages: flagged.map((p) => ({ ...p, quality: JSON.parse(p.quality) as string[], reviewedAtRegistration: reviewed.includes(p.pageId) })),
        pages,
        returned,
        conclusion: conclusion ? { type: conclusion.type, ...(JSON.parse(conclusion.payload) as Record<string, unknown>) } : null,
        decision: signed ? (JSON.parse(signed.payload) as DecisionReview['decision']) : null,
        notificationIssued: eventsOf(ctx, input.caseId, ['notification.issued']).length > 0,
      };
    },

    /** Stage 6: the head's decision, signed with the head's key; the decision PDF is certified with it. */
    async sign(session: Session, input: ParsedInputOf<'decision.sign'>): Promise<IssuedForm> {
      if (!input.documentsMatchPaper || !input.qualityFlagsResolved || !input.calculationMatches) throw new AppError('decision.checklist_incomplete');
      const draft = latestDraft(ctx, input.caseId);
      if (!draft || caseState(ctx, input.caseId).stage !== 'decision_drafted') throw new AppError('decision.not_drafted');
      // The head's tick is checked against a re-computation from the application and today's reference tables.
      const { result } = calculateForCase(ctx, input.caseId);
      if (essentials(result) !== essentials(draft.calculation)) throw new AppError('decision.calculation_differs');
      // The role is refused before anything is rendered or numbered (the key itself is taken once, by issueForm).
      if (!roleForAct(session.identity.roles, 'decision')) throw new AppError('ecp.role_not_allowed', { act: 'decision', role: session.identity.role });
      const f = formContext(ctx, session, input.caseId);
      const ws = readWorkstation(ctx.db);
      const today = officeDate(f.now);
      const journal = ctx.db.prepare('SELECT journal_number FROM journal WHERE case_id = ?').get(input.caseId) as { journal_number: string } | undefined;
      const [conclusion] = eventsOf(ctx, input.caseId, ['commission.concluded', 'commission.act_reused']).slice(-1);
      const decision = { outcome: draft.outcome, refusalGrounds: draft.refusalGrounds };
      // Office, year, workstation and sequence, like journal numbers: unique offline. Taken before the PDF that
      // prints it; a step refused after this leaves a gap, never a number used twice.
      const year = today.slice(0, 4);
      const office = ws?.officeCode ?? session.identity.office;
      const station = ws?.workstationCode ?? 'W';
      const decisionNumber = `${office}-${year}-${station}-D${String(nextInSequence(ctx.db, `decision/${office}/${year}/${station}`)).padStart(5, '0')}`;
      const definition = decisionDefinition({
        ...f.base,
        decisionNumber,
        journalNumber: journal?.journal_number ?? '—',
        outcome: draft.outcome,
        refusalGrounds: draft.refusalGrounds,
        calculation: result,
        conclusion: conclusion?.type === 'commission.act_reused' ? 'reused' : (JSON.parse(conclusion?.payload ?? '{}') as { conclusion?: { needs: boolean; grounds: string } }).conclusion ?? null,
        drafter: `${draft.drafter.name}, ${draft.drafter.iin}`,
        head: `${session.identity.surname} ${session.identity.givenName} ${session.identity.patronymic}`.trim(),
      });
      const extra = { decisionNumber, draftSeq: draft.seq, decision, monthlyAmountTiyn: result.monthlyAmountTiyn, period: result.period };
      return issueForm(ctx, session, input.caseId, 'decision', definition, f.base.verificationCode, extra, (payload, sign) => {
        makeTransition(ctx, session, input.caseId, 'decision.signed', { outcome: draft.outcome, refusalGrounds: draft.refusalGrounds, calculationChecked: true }, { ...payload, checklist: input }, sign);
        ctx.db
          .prepare('UPDATE journal SET per_capita_tiyn = ?, decision = ?, decision_number = ?, decided_on = ?, monthly_amount_tiyn = ?, period_from = ?, period_to = ? WHERE case_id = ?')
          .run(result.explanation.perCapitaTiyn, draft.outcome, decisionNumber, today, draft.outcome === 'assign' ? result.monthlyAmountTiyn : null, result.period?.from ?? null, result.period?.to ?? null, input.caseId);
      });
    },

    /**
     * A signed decision is never edited: a correction is a new act, signed by the head, that names the decision it
     * corrects and says what and why. The decision, its PDF and its signature stay as they were.
     */
    correct(session: Session, input: ParsedInputOf<'decision.correct'>): { corrects: number } {
      const [signed] = eventsOf(ctx, input.caseId, ['decision.signed']).slice(-1);
      if (!signed) throw new AppError('decision.not_signed');
      const sign = signerFor(ctx, session, 'decision');
      ctx.db.transaction(() => appendSignedEvent(ctx, input.caseId, 'decision.corrected', { corrects: signed.seq, correction: input.correction, reason: input.reason }, session.identity, sign)).immediate();
      return { corrects: signed.seq };
    },

    /** Stage 6, the other way: the head returns the case to the specialist with a comment. */
    returnToSpecialist(session: Session, input: ParsedInputOf<'decision.return'>): { stage: string } {
      makeTransition(ctx, session, input.caseId, 'decision.returned', {}, { comment: input.comment }, 'decision');
      return { stage: caseState(ctx, input.caseId).stage };
    },
  };
}
