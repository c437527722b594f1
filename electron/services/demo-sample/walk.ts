/**
 * One sample case walked through the regulation's workflow, act by act, as the counter (item 11.1) or the Center
 * (item 11.2) and then the district and its head would take it. The workflow, the catalogue and the benefit's
 * calculation decide; this only chooses what a person would have entered.
 */
import { v7 as uuidv7 } from 'uuid';
import { CURRENT_RULES_VERSION, type GuardContext } from '../../../shared/domain/workflow';
import { incomeQuarterOf } from '../../../shared/domain/benefit';
import { canonicalJson } from '../../../shared/text';
import { officeDateOf } from '../../../shared/local-date';
import type { ApplicationPayload } from '../../../shared/events/payloads';
import { signDetached } from '../../../node/pki/cms';
import { calculateForCase } from '../decision';
import { sampleFamily, type Random, type SampleFamily } from './families';
import { randomPageId, sampleAnswer, storeBlob } from './papers';
import { SampleCase, type CasePlan, type SampleOffice } from './walker';

export async function walkSampleCase(office: SampleOffice, plan: CasePlan, r: Random): Promise<string> {
  const c = new SampleCase(office, plan, r);
  const family = sampleFamily(r, plan.n);
  c.applicantName = `${family.applicant.surname} ${family.applicant.givenName} ${family.applicant.patronymic}`;
  c.applicantIin = family.applicant.iin;
  const taken = plan.channel === 'center' ? await atCenter(c, family) : await atCounter(c, family);
  if (taken) await decide(c);
  return c.id;
}

function application(c: SampleCase, family: SampleFamily): ApplicationPayload {
  const r = c.r;
  return {
    identityDocument: { kind: 'citizen_id', number: String(r.int(40_000_000, 49_999_999)).padStart(9, '0'), issuedOn: `${r.int(2016, 2023)}-0${r.int(1, 9)}-1${r.int(0, 9)}` },
    registrationAddress: family.applicant.address,
    bankAccount: family.bankAccount,
    representative: null,
    members: family.members,
    income: incomeLines(c.clock.day(), c.plan.lowIncome, r),
    applicantDataMatchBirthCertificates: true,
  };
}

/** Item 11.1 stages 1–2: at the counter, the information systems asked; accepted, or refused to accept. True: accepted. */
async function atCounter(c: SampleCase, family: SampleFamily): Promise<boolean> {
  const { ctx, specialist: S, officeCode, gateway } = c.office;
  c.caseNumber = c.number('case');
  if (!c.act(S, [{ type: 'intake.registered', payload: { applicant: family.applicant, caseNumber: c.caseNumber, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode } }])) return false;
  c.wait('application');
  if (!c.act(S, [{ type: 'application.recorded', payload: { application: application(c, family) } }])) return false;
  c.wait('checks');
  const requestId = uuidv7({ msecs: c.clock.at().getTime() });
  if (!c.may('checks') || !c.act(S, [{ type: 'is.requested', payload: { requestId } }])) return false;
  c.wait('answer');
  const refused = c.plan.kind === 'refused_to_accept';
  // A refusal to accept starts with a record the registry holds otherwise than declared (a child's birth date).
  const answer = sampleAnswer(ctx.dataDir, requestId, family.members.map((m) => m.iin), c.clock.at(), gateway, refused ? family.members[family.members.length - 1]!.iin : undefined);
  const answerFields = { requestId, answer: answer.answer.sha, answerSignature: answer.signature.sha };
  if (!refused) return c.may('answer') && c.act(S, [{ type: 'is.all_confirmed', payload: answerFields }], [answer.answer, answer.signature]);
  const notice = await c.form('notice_originals', S, ['Туу туралы куәлік / Свидетельство о рождении']);
  if (!c.act(S, [{ type: 'is.mismatch_notified', payload: { ...notice.fields, ...answerFields } }], [answer.answer, answer.signature, ...notice.blobs])) return false;
  // Three working days pass without the originals (Appendix 20): the refusal to accept on the fourth.
  c.clock.workingDays(4);
  const refusal = await c.form('refusal_acceptance', S, ['Түпнұсқалар ұсынылмады / Оригиналы не представлены']);
  c.act(S, [{ type: 'acceptance.refused', payload: { ...refusal.fields, grounds: ['originals_not_brought'] }, guards: { refusalGrounds: ['originals_not_brought'] } }], refusal.blobs);
  return false;
}

/** Item 11.2 stages 1–4: at the Center, its electronic request to the district, the package accepted. True: accepted. */
async function atCenter(c: SampleCase, family: SampleFamily): Promise<boolean> {
  const { ctx, specialist: S, center: C, centerCode, officeCode, gateway } = c.office;
  c.caseNumber = c.number('case');
  if (!c.act(C, [{ type: 'center.intake_registered', payload: { applicant: family.applicant, caseNumber: c.caseNumber, channel: 'center', rulesVersion: CURRENT_RULES_VERSION, officeCode, centerCode } }])) return false;
  c.wait('application');
  const filled = application(c, family);
  if (!c.act(C, [{ type: 'application.recorded', payload: { application: filled } }])) return false;
  c.wait('checks');
  const requestId = uuidv7({ msecs: c.clock.at().getTime() });
  if (!c.act(C, [{ type: 'is.requested_at_center', payload: { requestId } }])) return false;
  c.wait('answer');
  const answer = sampleAnswer(ctx.dataDir, requestId, family.members.map((m) => m.iin), c.clock.at(), gateway);
  // Stage 2: one manifest naming every blob the request sends, certified by the Center specialist.
  c.wait('request');
  if (!c.may('request')) return false;
  const app = storeBlob(ctx.dataDir, Buffer.from(canonicalJson(c.p!.facts.application), 'utf8'), 'application/json');
  const items = [
    { kind: 'is_answer' as const, ref: requestId, blob: answer.answer.sha, signature: answer.signature.sha },
    { kind: 'application' as const, ref: `seq:${c.p!.facts.applicationSeq}`, blob: app.sha },
  ];
  const manifest = Buffer.from(canonicalJson({ kind: 'jardem.center_request', caseId: c.id, caseNumber: c.caseNumber, center: centerCode, district: officeCode, version: c.p!.case.version, items }), 'utf8');
  const act = storeBlob(ctx.dataDir, manifest, 'application/json');
  const actSignature = storeBlob(ctx.dataDir, signDetached(manifest, C.signer, c.clock.at()), 'application/pkcs7-signature');
  if (!c.act(C, [{ type: 'center.request_sent', payload: { district: officeCode, act: act.sha, actSignature: actSignature.sha, items } }], [answer.answer, answer.signature, app, act, actSignature])) return false;
  const request = c.p!.case.version;
  // Stage 4: the district checks the package against item 13 and accepts it.
  c.wait('package');
  return c.may('package') && c.act(S, [{ type: 'center.package_accepted', payload: { request, pagesChecked: items.length, checklist: true }, guards: { checklistComplete: true } }]);
}

/** Item 11.1 stages 3–7 (and 11.2 stage 5): registered, the commission, the draft, the head's decision, the applicant told. */
async function decide(c: SampleCase): Promise<void> {
  const { ctx, specialist: S, head: H, center: C, officeCode, actPage } = c.office;
  const r = c.r;
  c.wait('journal');
  const documents = [{ kind: 'application_form', pages: 1 }, { kind: 'identity_document:citizen_id', pages: 1 }, { kind: 'family_composition_form', pages: 1 }, { kind: 'family_income_form', pages: 1 }, { kind: 'bank_account', pages: 1 }];
  if (!c.may('journal') || !c.act(S, [{ type: 'journal.registered', payload: { journalNumber: c.number('journal'), documents, flagsReviewed: [], officeCode }, guards: { checklistComplete: true } }])) return;
  c.wait('referral');
  if (!c.may('referral')) return;
  const precinct = r.pick(c.office.precincts);
  const referral = await c.form('commission_referral', S, [precinct]);
  const due = ctx.calendar().addWorkingDays(c.clock.day(), 3);
  if (!c.act(S, [{ type: 'commission.referred', payload: { ...referral.fields, precinct, reason: 'first_application', due } }], referral.blobs)) return;
  // The commission's paper act, scanned and entered by the specialist on its behalf.
  c.wait('conclusion');
  if (!c.may('conclusion')) return;
  const pageId = randomPageId(r.next);
  const png = storeBlob(ctx.dataDir, actPage.png, 'image/png');
  const pngSignature = storeBlob(ctx.dataDir, signDetached(actPage.png, S.signer, c.clock.at()), 'application/pkcs7-signature');
  const page = { pageId, documentKind: 'commission_act', position: 1, blob: png.sha, signature: pngSignature.sha, thumbnail: null, mediaType: 'image/png', width: actPage.width, height: actPage.height, dpi: 100, quality: [], source: 'sample' };
  c.act(S, [{ type: 'page.captured', payload: page }], [png, pngSignature]);
  c.clock.minutes(r.int(3, 10));
  const needs = c.plan.lowIncome;
  const grounds = needs ? 'Жан басына табыс төмен / Низкий доход на члена семьи' : 'Табыс шектен жоғары / Доход выше порога';
  const concluded = { act: { date: c.clock.day(), membersPresent: [c.applicantName] }, conclusion: { needs, grounds, members: [c.applicantName] }, onPapersBehalf: true, paperPages: [pageId] };
  if (!c.act(S, [{ type: 'commission.concluded', payload: concluded }])) return;
  // Stage 5: the draft, with the calculation the domain rules make.
  c.wait('draft');
  const { result } = calculateForCase(ctx, c.p!);
  const outcome = result.eligible ? 'assign' : 'refuse';
  const refusalGrounds = outcome === 'refuse' ? ['income_not_below_threshold' as const] : [];
  const guards: GuardContext = { conclusionOrReason: true, outcome, refusalGrounds };
  const me = S.session.identity;
  const drafter = { name: `${me.surname} ${me.givenName} ${me.patronymic}`, iin: me.iin };
  if (!c.may('draft') || !c.act(S, [{ type: 'decision.drafted', payload: { outcome, refusalGrounds, note: '', calculation: result as unknown as Record<string, unknown>, drafter }, guards }])) return;
  const draftSeq = c.p!.case.version;
  // Stage 6: the head signs the decision.
  c.wait('decision');
  if (!c.may('decision')) return;
  const decisionNumber = c.number('decision');
  const amount = outcome === 'assign' ? `${(result.monthlyAmountTiyn / 100).toFixed(2)} ₸` : 'Бас тартылды / Отказано';
  const decision = await c.form('decision', H, [`№ ${decisionNumber}`, amount]);
  const signed = { ...decision.fields, decisionNumber, draftSeq, decision: { outcome, refusalGrounds }, monthlyAmountTiyn: result.monthlyAmountTiyn, period: result.period, perCapitaTiyn: result.explanation.perCapitaTiyn, checklist: { documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true } };
  if (!c.act(H, [{ type: 'decision.signed', payload: signed, guards: { ...guards, calculationChecked: true } }], decision.blobs)) return;
  // Stage 7 (Appendix 22): the notification signed by the head; handed to the applicant, or passed to the Center.
  c.wait('notification');
  if (!c.may('notification')) return;
  const notification = await c.form('notification', H, [`№ ${decisionNumber}`, amount]);
  if (!c.act(H, [{ type: 'notification.issued', payload: { ...notification.fields, decisionNumber } }], notification.blobs)) return;
  // A Center's refusal goes back within 7 working days of its full package (item 10 paragraph 9): the same or next day.
  if (c.plan.channel === 'center' && outcome === 'refuse') c.clock.workingDays(r.int(0, 1));
  else c.wait('delivered');
  if (!c.may('delivered')) return;
  const on = officeDateOf(c.clock.at().toISOString());
  if (c.plan.channel === 'district') {
    c.act(S, [{ type: 'notification.delivered', payload: { method: 'in_person', handedTo: c.applicantName, on } }]);
    return;
  }
  const back = outcome === 'assign' ? 'notification.passed_to_center' : 'refusal.returned_to_center';
  if (!c.act(S, [{ type: back, payload: { method: 'center', on } }])) return;
  c.wait('handed_over');
  if (c.may('handed_over')) c.act(C, [{ type: 'center.notification_handed_over', payload: { on: officeDateOf(c.clock.at().toISOString()), handedTo: c.applicantName } }]);
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
