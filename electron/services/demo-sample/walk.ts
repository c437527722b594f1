/**
 * One sample case walked through the regulation's workflow (item 11.1), act by act, as the counter and the head
 * would take it: each act planned by the workflow (its guards, the deadlines it starts on the calendar), signed
 * with the demo person's key at the act's own time, and committed through the one commit path (case-acts.ts →
 * db/commit.ts). The legal clock of each act is the sample day's, as the demo's time travel sets it; the demo
 * PKI was made valid from before the sample year, so every signature verifies at its signing time.
 */
import { v7 as uuidv7 } from 'uuid';
import { CURRENT_RULES_VERSION } from '../../../shared/domain/workflow';
import { incomeQuarterOf } from '../../../shared/domain/benefit';
import { formatNumber, sequenceScope } from '../../../shared/numbers';
import { officeDateOf } from '../../../shared/local-date';
import type { ApplicationPayload } from '../../../shared/events/payloads';
import { signDetached, type Signer } from '../../../node/pki/cms';
import { nextInSequence } from '../../../db/repositories/settings';
import { markSampleCase } from '../../../db/repositories/sample-cases';
import { commitActs, type Act, type CaseProjection } from '../case-acts';
import { calculateForCase } from '../decision';
import type { ServicesContext, Session } from '../context';
import type { GuardContext } from '../../../shared/domain/workflow';
import { sampleFamily, type Random } from './families';
import { randomPageId, recordBlobs, sampleAnswer, sampleCode, sampleForm, storeBlob, type StoredBlob } from './papers';
import { SampleClock } from './clock';

export interface SampleActor {
  session: Session;
  signer: Signer;
}

export interface SampleOffice {
  ctx: ServicesContext;
  seed: number;
  specialist: SampleActor;
  head: SampleActor;
  gateway: Signer;
  precincts: readonly string[];
  officeCode: string;
  workstationCode: string;
  /** The scanned commission act's picture (the same placeholder page for every case). */
  actPage: { png: Buffer; width: number; height: number };
  /** No act after this moment: the cases whose steps would come later are still open. */
  until: Date;
}

/** What becomes of a sample case. */
export interface CasePlan {
  n: number;
  intakeDay: string;
  /** Refused to accept (the originals not brought within 3 working days), or taken to a decision. */
  kind: 'decided' | 'refused_to_accept';
  /** The family's income: below the threshold (assigned) or not (refused, with its ground). */
  lowIncome: boolean;
  /** The last step made, for a case left open on purpose (null: as far as the clock allows). */
  stopAfter: Step | null;
  /** Steps taken later than the regulation allows (their deadline missed). */
  late: ReadonlySet<Step>;
}

export const STEPS = ['intake', 'application', 'checks', 'answer', 'journal', 'referral', 'conclusion', 'draft', 'decision', 'notification', 'delivered'] as const;
export type Step = (typeof STEPS)[number];

/** Working days after the step before, on time and late (limits: shared/domain/deadlines.ts, item 11.1). */
const DELAYS: Partial<Record<Step, { onTime: [number, number]; late: [number, number] }>> = {
  journal: { onTime: [0, 1], late: [0, 1] },
  referral: { onTime: [0, 2], late: [3, 4] },
  conclusion: { onTime: [1, 3], late: [4, 6] },
  draft: { onTime: [0, 1], late: [0, 1] },
  decision: { onTime: [0, 1], late: [3, 5] },
  delivered: { onTime: [1, 4], late: [6, 8] },
};

export async function walkSampleCase(office: SampleOffice, plan: CasePlan, r: Random): Promise<string> {
  const { ctx } = office;
  const family = sampleFamily(r, plan.n);
  const clock = new SampleClock(ctx.calendar(), plan.intakeDay, r);
  const caseId = uuidv7({ msecs: clock.at().getTime() });
  let p: CaseProjection | null = null;

  /** One act (or several made together) by `who` at the clock's time; false when that time is past `until`. */
  const act = (who: SampleActor, acts: Act[], blobs: StoredBlob[] = []): boolean => {
    const at = clock.at();
    if (at > office.until) return false;
    const sign = (content: Buffer, options?: Parameters<typeof signDetached>[3]) => signDetached(content, who.signer, at, options);
    p = commitActs(ctx, who.session, caseId, p, acts, sign, {
      now: at,
      before: () => {
        recordBlobs(ctx.db, blobs, at.toISOString());
        if (!p) markSampleCase(ctx.db, caseId, office.seed, at.toISOString());
      },
    });
    return true;
  };
  const step = (s: Step): boolean => plan.stopAfter === null || STEPS.indexOf(s) <= STEPS.indexOf(plan.stopAfter);
  const wait = (s: Step) => {
    const d = DELAYS[s];
    if (d) clock.workingDays(r.int(...(plan.late.has(s) ? d.late : d.onTime)));
    else clock.minutes(r.int(4, 25));
  };
  const number = (kind: 'case' | 'journal' | 'decision') => {
    const year = clock.day().slice(0, 4);
    return formatNumber(kind, office.officeCode, office.workstationCode, year, nextInSequence(ctx.db, sequenceScope(kind, office.officeCode, office.workstationCode, year)));
  };
  const applicantName = `${family.applicant.surname} ${family.applicant.givenName} ${family.applicant.patronymic}`;
  const form = async (name: Parameters<typeof sampleForm>[1], who: SampleActor, caseNumber: string, details: string[]) => {
    const { pdf, p7s } = await sampleForm(ctx.dataDir, name, { caseNumber, applicant: `${applicantName}, ЖСН/ИИН ${family.applicant.iin}`, date: clock.day(), details }, who.signer, clock.at());
    return { fields: { form: name, blob: pdf.sha, signature: p7s.sha, verificationCode: sampleCode(r.next) }, blobs: [pdf, p7s] };
  };
  const S = office.specialist;
  const H = office.head;

  // Item 11.1 stage 1: the applicant at the counter, the application entered.
  const caseNumber = number('case');
  if (!act(S, [{ type: 'intake.registered', payload: { applicant: family.applicant, caseNumber, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: office.officeCode } }])) return caseId;
  wait('application');
  const application: ApplicationPayload = {
    identityDocument: { kind: 'citizen_id', number: String(r.int(40_000_000, 49_999_999)).padStart(9, '0'), issuedOn: `${r.int(2016, 2023)}-0${r.int(1, 9)}-1${r.int(0, 9)}` },
    registrationAddress: family.applicant.address,
    bankAccount: family.bankAccount,
    representative: null,
    members: family.members,
    income: incomeLines(clock.day(), plan.lowIncome, r),
    applicantDataMatchBirthCertificates: true,
  };
  if (!act(S, [{ type: 'application.recorded', payload: { application } }])) return caseId;
  // Stage 2: the information systems asked and answered (the demo PKI's sample gateway).
  wait('checks');
  const requestId = uuidv7({ msecs: clock.at().getTime() });
  if (!step('checks') || !act(S, [{ type: 'is.requested', payload: { requestId } }])) return caseId;
  wait('answer');
  const mismatch = plan.kind === 'refused_to_accept' ? family.members[family.members.length - 1]!.iin : undefined;
  const answer = sampleAnswer(ctx.dataDir, requestId, family.members.map((m) => m.iin), clock.at(), office.gateway, mismatch);
  const answerFields = { requestId, answer: answer.answer.sha, answerSignature: answer.signature.sha };
  if (plan.kind === 'refused_to_accept') {
    const notice = await form('notice_originals', S, caseNumber, ['Туу туралы куәлік / Свидетельство о рождении']);
    if (!act(S, [{ type: 'is.mismatch_notified', payload: { ...notice.fields, ...answerFields } }], [answer.answer, answer.signature, ...notice.blobs])) return caseId;
    // Three working days pass without the originals (Appendix 20): the refusal to accept on the fourth.
    clock.workingDays(4);
    const refusal = await form('refusal_acceptance', S, caseNumber, ['Түпнұсқалар ұсынылмады / Оригиналы не представлены']);
    act(S, [{ type: 'acceptance.refused', payload: { ...refusal.fields, grounds: ['originals_not_brought'] }, guards: { refusalGrounds: ['originals_not_brought'] } }], refusal.blobs);
    return caseId;
  }
  if (!step('answer') || !act(S, [{ type: 'is.all_confirmed', payload: answerFields }], [answer.answer, answer.signature])) return caseId;
  // Stage 3: registered in the journal (Appendix 21).
  wait('journal');
  const documents = [{ kind: 'application_form', pages: 1 }, { kind: 'identity_document:citizen_id', pages: 1 }, { kind: 'family_composition_form', pages: 1 }, { kind: 'family_income_form', pages: 1 }, { kind: 'bank_account', pages: 1 }];
  if (!step('journal') || !act(S, [{ type: 'journal.registered', payload: { journalNumber: number('journal'), documents, flagsReviewed: [], officeCode: office.officeCode }, guards: { checklistComplete: true } }])) return caseId;
  // Stage 4: the precinct commission.
  wait('referral');
  const precinct = r.pick(office.precincts);
  const referral = await form('commission_referral', S, caseNumber, [`${precinct}`]);
  const due = ctx.calendar().addWorkingDays(clock.day(), 3);
  if (!step('referral') || !act(S, [{ type: 'commission.referred', payload: { ...referral.fields, precinct, reason: 'first_application', due } }], referral.blobs)) return caseId;
  wait('conclusion');
  if (!step('conclusion') || clock.at() > office.until) return caseId;
  const pageId = randomPageId(r.next);
  const png = storeBlob(ctx.dataDir, office.actPage.png, 'image/png');
  const pngSignature = storeBlob(ctx.dataDir, signDetached(office.actPage.png, S.signer, clock.at()), 'application/pkcs7-signature');
  const page = { pageId, documentKind: 'commission_act', position: 1, blob: png.sha, signature: pngSignature.sha, thumbnail: null, mediaType: 'image/png', width: office.actPage.width, height: office.actPage.height, dpi: 100, quality: [], source: 'sample' };
  const needs = plan.lowIncome;
  const actPayload = { act: { date: clock.day(), membersPresent: [applicantName] }, conclusion: { needs, grounds: needs ? 'Жан басына табыс төмен / Низкий доход на члена семьи' : 'Табыс шектен жоғары / Доход выше порога', members: [applicantName] }, onPapersBehalf: true, paperPages: [pageId] };
  act(S, [{ type: 'page.captured', payload: page }], [png, pngSignature]);
  clock.minutes(r.int(3, 10));
  if (!act(S, [{ type: 'commission.concluded', payload: actPayload }])) return caseId;
  // Stage 5: the draft, with the calculation the domain rules make.
  wait('draft');
  const { result } = calculateForCase(ctx, p!);
  const outcome = result.eligible ? 'assign' : 'refuse';
  const grounds = outcome === 'refuse' ? (['income_not_below_threshold'] as const) : ([] as const);
  const guards: GuardContext = { conclusionOrReason: true, outcome, refusalGrounds: [...grounds] };
  const drafter = { name: `${S.session.identity.surname} ${S.session.identity.givenName} ${S.session.identity.patronymic}`, iin: S.session.identity.iin };
  if (!step('draft') || !act(S, [{ type: 'decision.drafted', payload: { outcome, refusalGrounds: [...grounds], note: '', calculation: result as unknown as Record<string, unknown>, drafter }, guards }])) return caseId;
  const draftSeq = p!.case.version;
  // Stage 6: the head signs the decision.
  wait('decision');
  if (!step('decision') || clock.at() > office.until) return caseId;
  const decisionNumber = number('decision');
  const amount = outcome === 'assign' ? `${(result.monthlyAmountTiyn / 100).toFixed(2)} ₸` : 'Бас тартылды / Отказано';
  const decision = await form('decision', H, caseNumber, [`№ ${decisionNumber}`, amount]);
  const signed = { ...decision.fields, decisionNumber, draftSeq, decision: { outcome, refusalGrounds: [...grounds] }, monthlyAmountTiyn: result.monthlyAmountTiyn, period: result.period, perCapitaTiyn: result.explanation.perCapitaTiyn, checklist: { documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true } };
  if (!act(H, [{ type: 'decision.signed', payload: signed, guards: { ...guards, calculationChecked: true } }], decision.blobs)) return caseId;
  // Stage 7 (Appendix 22): the notification, signed by the head, handed to the applicant.
  wait('notification');
  const notification = await form('notification', H, caseNumber, [`№ ${decisionNumber}`, amount]);
  if (!step('notification') || !act(H, [{ type: 'notification.issued', payload: { ...notification.fields, decisionNumber } }], notification.blobs)) return caseId;
  wait('delivered');
  if (!step('delivered')) return caseId;
  act(S, [{ type: 'notification.delivered', payload: { method: 'in_person', handedTo: applicantName, on: officeDateOf(clock.at().toISOString()) } }]);
  return caseId;
}

/** Three months of income (the quarter the benefit counts, benefit.md): a small wage and a child benefit, or a good wage. */
function incomeLines(applicationDate: string, low: boolean, r: Random): ApplicationPayload['income'] {
  const months = incomeQuarterOf(applicationDate).months;
  const wage = low ? r.int(40_000, 90_000) : r.int(450_000, 900_000);
  return months.flatMap((month) => [
    { memberId: 'm2', kind: 'wage' as const, month, amountTiyn: wage * 100 },
    ...(low ? [{ memberId: 'm1', kind: 'benefit' as const, month, amountTiyn: r.int(15_000, 30_000) * 100 }] : []),
  ]);
}
