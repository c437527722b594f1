/**
 * Events for tests of the commit path itself: a payload of every type that passes the catalogue, built from a
 * case's state, signed with a fixed placeholder (the commit path and rebuild never verify signatures; Verify
 * case does, and its tests use real keys).
 */
import { v7 as uuidv7 } from 'uuid';
import { EVENT_CATALOGUE, type EventType } from '../shared/events/catalogue';
import { workflowState, type CaseProjection } from '../shared/events/projection';
import { availableTransitions, transitionsOf, CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import { ROLES, type Role } from '../shared/roles';
import type { Db } from '../db/connection';
import { writeStaffEntry } from '../db/repositories/staff';
import { signEvents } from '../node/events';
import type { SignedEvent } from '../db/repositories/events';

export const SHA = (n: number) => n.toString(16).padStart(64, '0');
const DAY = '2026-11-16';
const form = (name: string, n: number) => ({ form: name, blob: SHA(n), signature: SHA(n + 1), verificationCode: 'ABCDEFGHJK' });
const starts = (ids: readonly string[]) => ids.map((id) => ({ id, startedOn: DAY, due: '2026-11-20' }));

const application = {
  identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
  registrationAddress: 'Алматы қ., Әуезов ауданы',
  bankAccount: { iban: 'KZ123456789012345678', bank: 'Halyk Bank' },
  representative: null,
  members: [
    { id: 'm1', relation: 'applicant', iin: '850615300012', surname: 'Сейітова', givenName: 'Әйгерім', patronymic: '', birthDate: '1985-06-15' },
    { id: 'c1', relation: 'child', iin: '150615500006', surname: 'Сейітов', givenName: 'Нұрлан', patronymic: '', birthDate: '2015-06-15', birthRecord: { number: '1', date: '2015-06-20', registryOffice: 'АХАЖ', inKazakhstan: true } },
  ],
  income: [{ memberId: 'm1', kind: 'wage', month: '2026-08', amountTiyn: 9_000_000 }],
  applicantDataMatchBirthCertificates: true,
};

/** A payload of `type` that passes its schema, for the case as it is (pages named exist, numbers are unique). */
export function samplePayload(type: EventType, p: CaseProjection | null, n: number): Record<string, unknown> {
  const transition = transitionsOf(CURRENT_RULES_VERSION).find((t) => t.event === type);
  const s = transition ? { starts: starts(transition.starts) } : {};
  const page = p?.pages.find((x) => !x.removed);
  switch (type) {
    case 'intake.registered':
    case 'center.intake_registered':
      return {
        applicant: { iin: '850615300012', surname: 'Сейітова', givenName: 'Әйгерім', patronymic: '', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' },
        caseNumber: `AUE-W1-2026-${String(n).padStart(6, '0')}`,
        channel: type === 'center.intake_registered' ? 'center' : 'district',
        rulesVersion: CURRENT_RULES_VERSION,
        officeCode: 'AUE',
        ...s,
      };
    case 'application.recorded':
      return { application };
    case 'page.captured':
      return { pageId: uuidv7(), documentKind: 'application_form', position: (p?.pages.length ?? 0) + 1, blob: SHA(n), signature: SHA(n + 1), thumbnail: null, mediaType: 'image/png', width: 10, height: 10, dpi: 200, quality: n % 3 === 0 ? ['blank'] : [], source: 'file:x.png' };
    case 'page.removed':
      return { pageId: page?.pageId ?? uuidv7() };
    case 'pages.reordered':
      return { documentKind: 'application_form', order: p?.pages.filter((x) => !x.removed && x.documentKind === 'application_form').map((x) => x.pageId).reverse() ?? [uuidv7()] };
    case 'originals.returned':
      return { pages: 1 };
    case 'form.issued':
      return { ...form('receipt', n), expectedDecision: DAY, documents: [{ kind: 'application_form', pages: 1 }] };
    case 'is.requested':
    case 'is.requested_again':
    case 'is.requested_at_center':
      return { requestId: uuidv7(), ...(type === 'is.requested_again' ? { previous: uuidv7() } : {}), ...s };
    case 'is.all_confirmed':
      return { requestId: uuidv7(), answer: SHA(n), ...s };
    case 'is.mismatch_notified':
      return { ...form('notice_originals', n), requestId: uuidv7(), answer: SHA(n + 2), ...s };
    case 'originals.brought':
      return { consent: true, ...s };
    case 'acceptance.refused':
      return { ...form('refusal_acceptance', n), grounds: ['originals_not_brought'], ...s };
    case 'journal.registered':
      return { journalNumber: `AUE-W1-2026-J${String(n).padStart(6, '0')}`, documents: [{ kind: 'application_form', pages: 1 }], flagsReviewed: [], officeCode: 'AUE', ...s };
    case 'commission.referred':
      return { ...form('commission_referral', n), precinct: 'AUE-01', reason: 'first_application', due: DAY, ...s };
    case 'commission.concluded':
      return { act: { date: DAY, membersPresent: ['А'] }, conclusion: { needs: true, grounds: 'төмен', members: ['А'] }, onPapersBehalf: false, paperPages: [], ...s };
    case 'commission.act_reused':
      return { previous: { caseId: uuidv7(), caseNumber: 'AUE-W1-2026-000009', eventSeq: 9 }, reason: 'repeat_application_unchanged', ...s };
    case 'decision.drafted':
      return { outcome: 'assign', refusalGrounds: [], note: '', calculation: { eligible: true, monthlyAmountTiyn: 432_500, explanation: { perCapitaTiyn: 1_500_000 } }, drafter: { name: 'Сейітқали Әйгерім', iin: '900512400018' }, ...s };
    case 'decision.returned':
      return { comment: 'қайта', ...s };
    case 'decision.signed':
      return {
        ...form('decision', n),
        decisionNumber: `AUE-W1-2026-D${String(n).padStart(6, '0')}`,
        draftSeq: p?.facts.lastDraft?.seq ?? 1,
        decision: { outcome: 'assign', refusalGrounds: [] },
        monthlyAmountTiyn: 432_500,
        period: { from: '2026-11-01', to: '2026-12-31' },
        perCapitaTiyn: 1_500_000,
        checklist: { documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true },
        ...s,
      };
    case 'decision.corrected':
      return { corrects: 1, correction: 'аты', reason: 'қате' };
    case 'notification.issued':
      return { ...form('notification', n), decisionNumber: 'AUE-W1-2026-D000001' };
    case 'notification.delivered':
      return { method: 'in_person', handedTo: 'өзі', on: DAY, ...s };
    case 'notification.passed_to_center':
    case 'refusal.returned_to_center':
      return { method: 'center', on: DAY, ...s };
    case 'center.notification_handed_over':
      return { on: DAY, ...s };
    case 'conflict.resolved':
      return { conflictId: uuidv7(), resolution: n % 2 === 0 ? 'withdrawn' : 'redone', losing: [SHA(n)], note: '' };
    case 'case.closed_as_duplicate':
      return { conflictId: uuidv7(), kept: { caseId: uuidv7(), caseNumber: 'AUE-W2-2026-000001' }, note: 'бір отбасы', ...s };
    // The Center's request names every blob it sends; the notice lists what is missing.
    case 'center.request_sent':
    case 'center.request_resent':
      return {
        district: 'AUE',
        act: SHA(n),
        actSignature: SHA(n + 1),
        items: [{ kind: 'application', ref: 'seq:2', blob: SHA(n + 2) }],
        ...(type === 'center.request_resent' ? { answers: 1, added: [page?.pageId ?? uuidv7()] } : {}),
        ...s,
      };
    case 'center.returned_incomplete':
      return { ...form('missing_documents', n), request: 1, missing: [{ documentKind: 'bank_account', note: 'жоқ' }], due: DAY, ...s };
    case 'center.package_accepted':
      return { request: 1, pagesChecked: 1, checklist: true, ...s };
    default:
      return { ...s };
  }
}

/** A role that may make `type`. */
export function roleFor(type: EventType): Role {
  return EVENT_CATALOGUE[type].roles[0]!;
}

/** The acts that may follow now: every record allowed in the stage, and every workflow step from it. */
export function legalNext(p: CaseProjection | null): EventType[] {
  if (!p) return ['intake.registered', 'center.intake_registered'];
  const state = workflowState(p);
  const steps = new Set<EventType>();
  for (const role of ['specialist', 'head', 'center', 'secretary'] as Role[]) for (const t of availableTransitions(state, role)) steps.add(t.event as EventType);
  // The catalogue allows a resolution's step from any open stage (the work's steps above leave it out).
  if (!['closed', 'refused_to_accept'].includes(p.case.stage)) steps.add('case.closed_as_duplicate');
  const records = (Object.keys(EVENT_CATALOGUE) as EventType[]).filter((t) => {
    const e = EVENT_CATALOGUE[t];
    if (e.kind !== 'record') return false;
    if (e.stages === 'open' || e.stages === undefined) return !['closed', 'refused_to_accept'].includes(p.case.stage);
    return e.stages.includes(p.case.stage);
  });
  // A page can be removed or reordered only when there is one.
  const hasPage = p.pages.some((x) => !x.removed && x.documentKind === 'application_form');
  return [...steps, ...records.filter((t) => (t !== 'page.removed' && t !== 'pages.reordered') || hasPage)];
}

/** Signed events on top of a case (a placeholder signature: see above). */
export function sampleEvents(caseId: string, p: CaseProjection | null, acts: { type: EventType; payload: unknown; role?: Role }[], at = '2026-11-16T06:00:00.000Z'): SignedEvent[] {
  const out: SignedEvent[] = [];
  let head = { version: p?.case.version ?? 0, headHash: p?.case.headHash ?? null };
  for (const a of acts) {
    const [e] = signEvents(caseId, head, [{ id: uuidv7(), type: a.type, payload: a.payload, at }], { iin: '900512400018', role: a.role ?? roleFor(a.type), certSha256: SHA(7) }, () => Buffer.from('placeholder'));
    out.push(e!);
    head = { version: e!.seq, headHash: e!.hash };
  }
  return out;
}

/**
 * The sample actor (900512400018) in every role of the office's staff register: the commit path takes a role from
 * the register, and these events carry placeholder signatures, so their register is written as plainly.
 */
export function registerSampleActor(db: Db): void {
  for (const role of ROLES) writeStaffEntry(db, { office: 'AUE', iin: '900512400018', role, name: 'Сейітқали Әйгерім', from: '2000-01-01', to: null }, { id: `sample-${role}`, at: '2000-01-01T00:00:00.000Z' });
}
