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
import { applicationDate } from './application';
import { eventsOfType } from '../../db/repositories/events';
import { commitActs, loadCase, planAct, type CaseProjection } from './case-acts';
import { activePages } from './pages';
import { readPayload } from '../../shared/events/payloads';
import { formatNumber, sequenceScope } from '../../shared/numbers';
import { formContext, issueForm, stampOfEvent } from './forms/forms';
import { decisionDefinition } from './forms/decision-forms';
import { benefitTables, officeRegion } from './reference';
import { roleForAct } from '../../shared/domain/acts';

/** The benefit as the domain rules compute it for the case's latest application, with its whole working. */
export function calculateForCase(ctx: ServicesContext, p: CaseProjection): { input: BenefitInput; result: BenefitResult } {
  const application = p.facts.application;
  if (!application) throw new AppError('is.no_application');
  const input: BenefitInput = {
    applicationDate: applicationDate(p),
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
  const [row] = eventsOfType(ctx.db, caseId, ['decision.drafted']).slice(-1);
  if (!row) return null;
  const d = readPayload('decision.drafted', row.payload);
  return { seq: row.seq, at: row.at, outcome: d.outcome, refusalGrounds: d.refusalGrounds, note: d.note, calculation: d.calculation as unknown as BenefitResult, drafter: d.drafter };
}

/** The latest act or reuse of the commission, as its event records it. */
function latestConclusion(ctx: ServicesContext, caseId: string) {
  const [row] = eventsOfType(ctx.db, caseId, ['commission.concluded', 'commission.act_reused']).slice(-1);
  if (!row) return null;
  return row.type === 'commission.concluded' ? { type: row.type, ...readPayload('commission.concluded', row.payload) } : { type: row.type, ...readPayload('commission.act_reused', row.payload) };
}

/** The decision as the head signed it, from its event. */
export function signedDecision(ctx: ServicesContext, caseId: string) {
  const [row] = eventsOfType(ctx.db, caseId, ['decision.signed']).slice(-1);
  return row ? { seq: row.seq, at: row.at, ...readPayload('decision.signed', row.payload) } : null;
}

export function decisionServices(ctx: ServicesContext) {
  return {
    calculate(input: ParsedInputOf<'decision.calculate'>): BenefitResult {
      return calculateForCase(ctx, loadCase(ctx, input.caseId)).result;
    },

    /** Stage 5: the draft, assign or refuse, with the calculation, signed by the responsible specialist. */
    draft(session: Session, input: ParsedInputOf<'decision.draft'>): DecisionDraft {
      const p = loadCase(ctx, input.caseId);
      if (!latestConclusion(ctx, input.caseId)) throw new AppError('decision.no_conclusion');
      const { result } = calculateForCase(ctx, p);
      const grounds = new Set<RefusalGround>(input.refusalGrounds);
      if (input.outcome === 'assign' && !result.eligible) throw new AppError('decision.calculation_says_refuse');
      // A refusal the calculation gives carries the calculation's own reasons; other grounds (item 10) may be added.
      if (input.outcome === 'refuse') for (const r of result.refusalReasons) grounds.add(r);
      const refusalGrounds = input.outcome === 'refuse' ? [...grounds] : [];
      const me = session.identity;
      const payload = { outcome: input.outcome, refusalGrounds, note: input.note ?? '', calculation: result, drafter: { name: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(), iin: me.iin } };
      commitActs(ctx, session, input.caseId, p, [{ type: 'decision.drafted', payload, guards: { conclusionOrReason: true, outcome: input.outcome, refusalGrounds } }], 'decision.draft');
      return latestDraft(ctx, input.caseId)!;
    },

    /** Everything the head needs on one screen: the draft, an independent re-computation, the flags, the conclusion. */
    review(input: ParsedInputOf<'decision.review'>): DecisionReview {
      const p = loadCase(ctx, input.caseId);
      const draft = latestDraft(ctx, input.caseId);
      let recomputed: BenefitResult | null = null;
      let recomputeError: string | null = null;
      try {
        recomputed = calculateForCase(ctx, p).result;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        recomputeError = error.code;
      }
      const registered = eventsOfType(ctx.db, input.caseId, ['journal.registered']).pop();
      const reviewed = registered ? readPayload('journal.registered', registered.payload).flagsReviewed : [];
      const active = activePages(p);
      const returned = eventsOfType(ctx.db, input.caseId, ['decision.returned']).map((e) => ({ seq: e.seq, at: e.at, comment: readPayload('decision.returned', e.payload).comment }));
      const signed = signedDecision(ctx, input.caseId);
      return {
        stage: p.case.stage,
        draft,
        recomputed,
        recomputeError,
        matches: draft !== null && recomputed !== null && essentials(draft.calculation) === essentials(recomputed),
        flaggedPages: active.filter((x) => x.quality.length > 0).map((x) => ({ pageId: x.pageId, documentKind: x.documentKind, position: x.position, quality: x.quality, reviewedAtRegistration: reviewed.includes(x.pageId) })),
        pages: active.length,
        returned,
        conclusion: latestConclusion(ctx, input.caseId),
        decision: signed ? { decisionNumber: signed.decisionNumber, decision: signed.decision, monthlyAmountTiyn: signed.monthlyAmountTiyn, period: signed.period } : null,
        notificationIssued: p.documents.some((d) => d.eventType === 'notification.issued'),
      };
    },

    /** Stage 6: the head's decision, signed with the head's key; the decision PDF is certified with it. */
    async sign(session: Session, input: ParsedInputOf<'decision.sign'>): Promise<IssuedForm> {
      if (!input.documentsMatchPaper || !input.qualityFlagsResolved || !input.calculationMatches) throw new AppError('decision.checklist_incomplete');
      const p = loadCase(ctx, input.caseId);
      const draft = latestDraft(ctx, input.caseId);
      if (!draft || p.case.stage !== 'decision_drafted') throw new AppError('decision.not_drafted');
      // The head's tick is checked against a re-computation from the application and today's reference tables.
      const { result } = calculateForCase(ctx, p);
      if (essentials(result) !== essentials(draft.calculation)) throw new AppError('decision.calculation_differs');
      // The role is refused before anything is rendered or numbered (the key itself is taken once, by issueForm).
      if (!roleForAct(session.identity.roles, 'decision')) throw new AppError('ecp.role_not_allowed', { act: 'decision', role: session.identity.role });
      const f = formContext(ctx, session, p);
      // The workflow's guards, before a number is taken or the PDF rendered (issueForm checks them again).
      const guards = { outcome: draft.outcome, refusalGrounds: draft.refusalGrounds, calculationChecked: true };
      planAct(ctx, session, p, { type: 'decision.signed', payload: {}, guards }, f.now);
      const ws = readWorkstation(ctx.db);
      const conclusion = latestConclusion(ctx, input.caseId);
      const decision = { outcome: draft.outcome, refusalGrounds: draft.refusalGrounds };
      // Office, workstation, year and sequence, like case numbers: unique offline. Taken before the PDF that
      // prints it; a step refused after this leaves a gap, never a number used twice.
      const year = officeDate(f.now).slice(0, 4);
      const office = ws?.officeCode ?? session.identity.office;
      const station = ws?.workstationCode ?? 'W';
      const decisionNumber = formatNumber('decision', office, station, year, nextInSequence(ctx.db, sequenceScope('decision', office, station, year)));
      const definition = decisionDefinition({
        ...f.base,
        decisionNumber,
        journalNumber: p.journal?.journalNumber ?? '—',
        outcome: draft.outcome,
        refusalGrounds: draft.refusalGrounds,
        calculation: result,
        conclusion: conclusion?.type === 'commission.act_reused' ? 'reused' : conclusion && 'conclusion' in conclusion ? conclusion.conclusion : null,
        drafter: `${draft.drafter.name}, ${draft.drafter.iin}`,
        head: `${session.identity.surname} ${session.identity.givenName} ${session.identity.patronymic}`.trim(),
        draftStamp: stampOfEvent(eventsOfType(ctx.db, input.caseId, ['decision.drafted']).find((e) => e.seq === draft.seq)!),
      });
      const extra = { decisionNumber, draftSeq: draft.seq, decision, monthlyAmountTiyn: result.monthlyAmountTiyn, period: result.period, perCapitaTiyn: result.explanation.perCapitaTiyn, checklist: { documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true } };
      const { after: _after, ...issued } = await issueForm(ctx, session, p, 'decision', definition, f.base.verificationCode, extra, { type: 'decision.signed', guards }, { now: f.now });
      return issued;
    },

    /**
     * A signed decision is never edited: a correction is a new act, signed by the head, that names the decision it
     * corrects and says what and why. The decision, its PDF and its signature stay as they were.
     */
    correct(session: Session, input: ParsedInputOf<'decision.correct'>): { corrects: number } {
      const p = loadCase(ctx, input.caseId);
      const signed = signedDecision(ctx, input.caseId);
      if (!signed) throw new AppError('decision.not_signed');
      commitActs(ctx, session, input.caseId, p, [{ type: 'decision.corrected', payload: { corrects: signed.seq, correction: input.correction, reason: input.reason } }], 'decision');
      return { corrects: signed.seq };
    },

    /** Stage 6, the other way: the head returns the case to the specialist with a comment. */
    returnToSpecialist(session: Session, input: ParsedInputOf<'decision.return'>): { stage: string } {
      const p = loadCase(ctx, input.caseId);
      const after = commitActs(ctx, session, input.caseId, p, [{ type: 'decision.returned', payload: { comment: input.comment } }], 'decision');
      return { stage: after.case.stage };
    },
  };
}
