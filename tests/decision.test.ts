/**
 * From registration to notification through the services, with a real SQLite file, real signatures,
 * the information-system simulator and real PDFs read back with pdftotext: the specialist's and the head's keys.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, CommissionStatus, DecisionDraft, DecisionReview, IssuedForm, JournalRow } from '../shared/contract/types';
import { calculateBenefit, seedTables } from '../shared/domain/benefit';
import { officeDate } from '../shared/local-date';
import { benefitTables } from '../electron/services/reference';
import { calculateForCase } from '../electron/services/decision';
import { loadCase } from '../electron/services/case-acts';
import { formatTenge as tenge } from '../shared/forms/money';
import { HEAD, type makeWorkstation, tempDir } from './helpers';
import { acceptedCase as acceptedCaseBy, counterWorkstation, documentPage, familyApplication, type startSimulator } from './intake-helpers';

const tmp = tempDir('decision');
const SCREENS = path.resolve('test-results', 'screens');
mkdirSync(SCREENS, { recursive: true });
let ws: ReturnType<typeof makeWorkstation>;
let specialist: string;
let head: string;
let adminKey: string;
let secretaryKey: string;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; params?: Record<string, unknown>; fieldErrors?: Record<string, string> } };
const callAs = async <T>(token: string, method: string, input: unknown) => (await ws.dispatch({ method, input, session: token })) as Ok<T> | Err;
const okAs = async <T>(token: string, method: string, input: unknown) => {
  const r = await callAs<T>(token, method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const ok = <T>(method: string, input: unknown) => okAs<T>(specialist, method, input);
const pdfText = (form: IssuedForm, name: string) => {
  const file = path.join(tmp.dir, `${name}.pdf`);
  writeFileSync(file, Buffer.from(form.pdfBase64, 'base64'));
  // The first page as a PNG, to look at (test-results/screens).
  spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, path.join(SCREENS, name)]);
  return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
};

const act = (date: string) => ({
  date,
  membersPresent: ['Төлеуова Гүлнар Ержанқызы', 'Оспанова Айгүл Қайратқызы'],
  housing: { type: 'apartment', ownership: 'own', rooms: 2, areaM2: 48.5, utilities: ['electricity', 'water', 'gas'] },
  property: { vehicles: '', livestock: '', land: '' },
  familyAsFound: 'Отбасы құрамы өтінішке сәйкес',
  observations: 'Пәтер жинақы, жиһаз ескі',
});
const conclusion = { needs: true, grounds: 'Жан басына табыс азық-түлік себетінен төмен', members: ['Төлеуова Гүлнар Ержанқызы', 'Ибраев Марат Сәкенұлы'] };

/** A family whose declared income puts it below (eligible) or at/above (not) the threshold. */
function familyIndex(eligible: boolean): number {
  const tables = benefitTables(ws.ctx.db);
  const today = officeDate(ws.ctx.now());
  for (let i = 0; i < sim.registry.families.length; i++) {
    const a = familyApplication(sim.registry, i, '00000000-0000-7000-8000-000000000000');
    const r = calculateBenefit(
      { applicationDate: today, region: 'almaty', members: a.members.map((m) => ({ id: m.id, name: m.surname, relation: m.relation, birthDate: m.birthDate })), income: a.income },
      tables,
    );
    if (!used.has(i) && r.eligible === eligible && r.explanation.children.some((c) => c.counted)) {
      used.add(i);
      return i;
    }
  }
  throw new Error(`no ${eligible ? 'eligible' : 'ineligible'} family in the registry`);
}
/** Families already taken: each test has its own applicant. */
const used = new Set<number>();

/** Accepted, registered in the journal and (unless told not to) through the commission. */
async function registeredCase(eligible: boolean) {
  const { c, flagged } = await acceptedCaseBy(ok, ws.ctx, sim.registry, familyIndex(eligible));
  await ok<JournalRow>('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
  return c;
}
async function concluded(caseId: string) {
  await ok<IssuedForm>('commission.refer', { caseId, precinctCode: 'AUE-01' });
  await ok('pages.import', { caseId, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
  await ok('commission.conclude', { caseId, act: act(officeDate(ws.ctx.now())), conclusion });
}

/** The case decided and its notification handed over to the applicant: closed. */
async function closed(caseId: string, opts: { drafted?: boolean } = {}) {
  await okAs(head, 'session.unlock', { password: 'pw' });
  if (!opts.drafted) {
    await ok('decision.draft', { caseId, outcome: 'assign', refusalGrounds: [] });
    await okAs(head, 'decision.sign', { caseId, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
  }
  await okAs(head, 'notification.issue', { caseId });
  await ok('notification.deliver', { caseId, method: 'in_person', handedTo: 'Өтініш берушінің өзі' });
}

beforeAll(async () => {
  // Enough families for several eligible ones (about one in ten is below the threshold).
  counter = await counterWorkstation(tmp, { families: 120 });
  const pki = counter.pki;
  ({ ws, sim } = counter);
  specialist = await counter.signIn(pki.issue());
  head = await counter.signIn(pki.issue({ role: 'head', ...HEAD }));
  secretaryKey = pki.issue({ role: 'secretary', iin: '851120400008', surname: 'Оспанова', givenName: 'Айгүл', patronymic: 'Қайратқызы' });
  adminKey = pki.issue({ role: 'admin', iin: '820202300009', surname: 'Әкімші', givenName: 'Бақыт', patronymic: '' });
});
afterAll(() => counter.close());

describe('from registration to notification', () => {
  it('one case: referral, act and conclusion, draft, the head’s decision, the notification handed over; every step refused out of turn', async () => {
    const c = await registeredCase(true);
    // Out of turn: each gives its own message and changes nothing.
    expect(await callAs(specialist, 'decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [] })).toMatchObject({ ok: false, error: { code: 'decision.no_conclusion' } });
    expect(await callAs(head, 'notification.issue', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'notification.before_decision' } });

    const status = await ok<CommissionStatus>('commission.status', { caseId: c.id });
    expect(status.rule).toMatchObject({ needed: true, reason: 'first_application' });
    expect(status.precincts.map((p) => p.code)).toEqual(['AUE-01', 'AUE-02']);
    expect(await callAs(specialist, 'commission.reuse', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'commission.inspection_needed' } });
    expect(await callAs(specialist, 'commission.refer', { caseId: c.id, precinctCode: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'commission.unknown_precinct' } });

    const referral = await ok<IssuedForm>('commission.refer', { caseId: c.id, precinctCode: 'AUE-01' });
    const today = officeDate(ws.ctx.now());
    const due = ws.ctx.calendar().addWorkingDays(today, 3);
    const referralText = pdfText(referral, 'referral');
    expect(referralText).toContain('УЧАСКЕЛІК КОМИССИЯҒА ЖОЛДАМА');
    expect(referralText).toContain('№1 учаскелік комиссия');
    expect(referralText).toContain('алғашқы өтініш');
    expect(referralText).toContain(due.split('-').reverse().join('.'));

    // A specialist enters the conclusion on paper's behalf only with the paper act scanned.
    expect(await callAs(specialist, 'commission.conclude', { caseId: c.id, act: act(today), conclusion })).toMatchObject({ ok: false, error: { code: 'commission.paper_not_scanned' } });
    await ok('pages.import', { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
    expect(await callAs(specialist, 'commission.conclude', { caseId: c.id, act: act('2020-01-01'), conclusion })).toMatchObject({ ok: false, error: { code: 'commission.act_date_invalid' } });
    expect(await ok('commission.conclude', { caseId: c.id, act: act(today), conclusion })).toEqual({ stage: 'conclusion_received' });

    // The draft carries the domain rule's own output, whole.
    const draft = await ok<DecisionDraft>('decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [] });
    const expected = calculateForCase(ws.ctx, loadCase(ws.ctx, c.id)).result;
    expect(draft.calculation).toEqual(expected);
    expect(expected.eligible).toBe(true);
    const children = expected.explanation.children.filter((k) => k.counted).length;
    // 1 MRP per child (benefit.md §1), the MRP in force on the application date from the reference table.
    const mrp = [...seedTables().mrp].filter((r) => r.from <= today).sort((a, b) => (a.from < b.from ? -1 : 1)).pop()!;
    expect(expected.monthlyAmountTiyn).toBe(children * mrp.tenge * 100);

    // A head's decision with a specialist's key is refused by the services.
    expect(await callAs(specialist, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const review = await okAs<DecisionReview>(head, 'decision.review', { caseId: c.id });
    expect(review).toMatchObject({ stage: 'decision_drafted', matches: true });
    expect(review.flaggedPages).toEqual([expect.objectContaining({ quality: expect.arrayContaining(['blank']), reviewedAtRegistration: true })]);
    expect(await callAs(head, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: false, calculationMatches: true })).toMatchObject({ ok: false, error: { code: 'decision.checklist_incomplete' } });
    expect(await callAs(head, 'decision.correct', { caseId: c.id, correction: 'x', reason: 'y' })).toMatchObject({ ok: false, error: { code: 'decision.not_signed' } });
    // A password typed at the signing moment signs exactly one act: the decision (taken once, not twice).
    const headSession = ws.ctx.sessions.get(head)!;
    headSession.unlocked = { ...headSession.unlocked!, until: ws.ctx.realNow().getTime() - 1, oneSignatureLeft: true };
    const decision = await okAs<IssuedForm>(head, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    expect(await callAs(head, 'notification.issue', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'ecp.unlock_required' } });
    expect(await okAs(head, 'session.unlock', { password: 'pw' })).toBeTruthy();
    const text = pdfText(decision, 'decision');
    expect(text).toContain('МЕМЛЕКЕТТІК ЖӘРДЕМАҚЫ ТАҒАЙЫНДАУ ТУРАЛЫ ШЕШІМ');
    for (const figure of [expected.monthlyAmountTiyn, expected.explanation.perCapitaTiyn, expected.explanation.threshold.tiyn, expected.explanation.totalIncomeTiyn, mrp.tenge * 100]) expect(text).toContain(tenge(figure).replace(/\u00a0/g, ' '));
    expect(text).toContain(`${expected.explanation.divisor.months} × ${expected.explanation.divisor.members} = ${expected.explanation.divisor.value}`);
    expect(text).toContain('Жұмабеков Ерлан');

    // Signed decisions are not edited: a second signature is refused, the journal shows the decision.
    expect(await callAs(head, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true })).toMatchObject({ ok: false, error: { code: 'decision.not_drafted' } });
    // A correction is a new signed act naming the decision; the decision's own event and PDF stay as signed.
    expect(await callAs(specialist, 'decision.correct', { caseId: c.id, correction: 'x', reason: 'y' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const corrected = await okAs<{ corrects: number }>(head, 'decision.correct', { caseId: c.id, correction: 'Әкесінің аты: Қайратұлы', reason: 'Қате басылған' });
    const correction = ws.ctx.db.prepare("SELECT payload FROM case_events WHERE case_id = ? AND type = 'decision.corrected'").get(c.id) as { payload: string };
    expect(JSON.parse(correction.payload)).toEqual({ corrects: corrected.corrects, correction: 'Әкесінің аты: Қайратұлы', reason: 'Қате басылған' });
    expect(ws.ctx.db.prepare('SELECT type FROM case_events WHERE case_id = ? AND seq = ?').get(c.id, corrected.corrects)).toEqual({ type: 'decision.signed' });
    expect(() => ws.ctx.db.prepare("UPDATE case_events SET payload = '{}' WHERE case_id = ? AND seq = ?").run(c.id, corrected.corrects)).toThrow();
    expect((await okAs<IssuedForm>(head, 'forms.reprint', { caseId: c.id, form: 'decision' })).pdfBase64).toBe(decision.pdfBase64);
    const [row] = await ok<JournalRow[]>('journal.list', { from: today, to: today, query: c.iin });
    expect(row).toMatchObject({ decision: 'assign', monthlyAmountTiyn: expected.monthlyAmountTiyn, perCapitaTiyn: expected.explanation.perCapitaTiyn });

    expect(await callAs(specialist, 'notification.deliver', { caseId: c.id, method: 'in_person', handedTo: 'өзі' })).toMatchObject({ ok: false, error: { code: 'notification.not_issued' } });
    const notification = await okAs<IssuedForm>(head, 'notification.issue', { caseId: c.id });
    expect(await callAs(head, 'notification.issue', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'notification.already_issued' } });
    const note = pdfText(notification, 'notification');
    expect(note).toContain('Ережеге 22-қосымша');
    expect(note).toContain(tenge(expected.monthlyAmountTiyn).replace(/\u00a0/g, ' '));
    for (const k of expected.explanation.children.filter((x) => x.counted)) expect(note).toContain(k.name);
    expect(await callAs(specialist, 'notification.deliver', { caseId: c.id, method: 'in_person' })).toMatchObject({ ok: false, error: { fieldErrors: { handedTo: 'field.required' } } });
    expect(await callAs(specialist, 'notification.deliver', { caseId: c.id, method: 'center' })).toMatchObject({ ok: false, error: { code: 'notification.wrong_channel' } });
    expect(await ok('notification.deliver', { caseId: c.id, method: 'in_person', handedTo: 'Өтініш берушінің өзі' })).toEqual({ stage: 'closed' });
    const [closed] = await ok<JournalRow[]>('journal.list', { from: today, to: today, query: c.iin });
    expect(closed!.notifiedOn).toBe(today);
    expect((await ok<CaseVerification>('cases.verify', { caseId: c.id })).valid).toBe(true);
  });

  it('a refusal through income at or above the threshold: the draft takes the calculation’s ground; decision and notification say why', async () => {
    const c = await registeredCase(false);
    await concluded(c.id);
    expect(await callAs(specialist, 'decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [] })).toMatchObject({ ok: false, error: { code: 'decision.calculation_says_refuse' } });
    expect(await callAs(specialist, 'decision.draft', { caseId: c.id, outcome: 'refuse', refusalGrounds: ['no_child_under_18'] })).toMatchObject({ ok: false, error: { code: 'validation' } });
    const draft = await ok<DecisionDraft>('decision.draft', { caseId: c.id, outcome: 'refuse', refusalGrounds: [] });
    expect(draft.refusalGrounds).toEqual(['income_not_below_threshold']);
    expect(draft.calculation.explanation.belowThreshold).toBe(false);
    const decision = await okAs<IssuedForm>(head, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    expect(pdfText(decision, 'refusal-decision')).toContain('ТАҒАЙЫНДАУДАН БАС ТАРТУ ТУРАЛЫ ШЕШІМ');
    const note = pdfText(await okAs<IssuedForm>(head, 'notification.issue', { caseId: c.id }), 'refusal-notification');
    expect(note).toContain('жан басына шаққандағы табыс азық-түлік себетінің құнынан төмен емес');
    expect(note).toContain('шағым жасауға болады');
    expect(await ok('notification.deliver', { caseId: c.id, method: 'post', postalNumber: 'RR123456789KZ' })).toEqual({ stage: 'closed' });
  });

  it('the commission’s secretary enters the act with her own key; the head returns the draft; the specialist drafts again', async () => {
    const c = await registeredCase(true);
    await ok<IssuedForm>('commission.refer', { caseId: c.id, precinctCode: 'AUE-01' });
    const secretary = await counter.signIn(secretaryKey);
    // No paper scan needed: the secretary signs for the commission herself.
    expect(await okAs(secretary, 'commission.conclude', { caseId: c.id, act: act(officeDate(ws.ctx.now())), conclusion })).toEqual({ stage: 'conclusion_received' });
    expect((await ok<CommissionStatus>('commission.status', { caseId: c.id })).conclusion).toMatchObject({ onPapersBehalf: false, conclusion: { needs: true } });
    expect(await callAs(secretary, 'decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ok('decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [], note: 'бірінші нұсқа' });
    expect(await callAs(head, 'decision.return', { caseId: c.id, comment: '' })).toMatchObject({ ok: false, error: { fieldErrors: { comment: 'field.required' } } });
    expect(await okAs(head, 'decision.return', { caseId: c.id, comment: 'Банк шотының көшірмесі анық емес' })).toEqual({ stage: 'conclusion_received' });
    const review = await ok<DecisionReview>('decision.review', { caseId: c.id });
    expect(review.returned).toEqual([expect.objectContaining({ comment: 'Банк шотының көшірмесі анық емес' })]);
    await ok('decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [], note: 'түзетілді' });
    await okAs(head, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    expect((await okAs<DecisionReview>(head, 'decision.review', { caseId: c.id })).decision).toMatchObject({ decision: { outcome: 'assign' } });
  });

  it('the head’s re-computation catches a threshold changed after the draft; only an administrator enters thresholds', async () => {
    const c = await registeredCase(true);
    await concluded(c.id);
    await ok('decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [] });
    const quarter = { year: Number(officeDate(ws.ctx.now()).slice(0, 4)), quarter: Math.floor((Number(officeDate(ws.ctx.now()).slice(5, 7)) - 1) / 3) + 1 };
    const entry = { ...quarter, tiyn: 2900000, source: 'Акимат г. Алматы, постановление (тест)' };
    expect(await callAs(specialist, 'reference.setThreshold', entry)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const admin = await counter.signIn(adminKey);
    expect(await okAs(admin, 'reference.setThreshold', entry)).toMatchObject({ tiyn: 2900000, mark: 'sourced' });
    expect((await ok<{ year: number; quarter: number; tiyn: number; mark: string }[]>('reference.thresholds', {}))[0]).toMatchObject({ ...quarter, tiyn: 2900000, mark: 'sourced' });
    const review = await okAs<DecisionReview>(head, 'decision.review', { caseId: c.id });
    expect(review.matches).toBe(false);
    expect(review.recomputed?.explanation.threshold.tiyn).toBe(2900000);
    expect(await callAs(head, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true })).toMatchObject({ ok: false, error: { code: 'decision.calculation_differs' } });
  });

  it('a repeat application in the same year with nothing changed is not inspected: the last act is referenced', async () => {
    const first = await registeredCase(true);
    await concluded(first.id);
    // Decided and handed over first: a family has one open application at a time.
    await closed(first.id);
    // The same family applies again (a new case, accepted and registered): same residence, composition and income.
    const index = [...used].pop()!;
    const { c: again, flagged } = await acceptedCaseBy(ok, ws.ctx, sim.registry, index);
    await ok<JournalRow>('journal.register', { caseId: again.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
    expect((await ok<CommissionStatus>('commission.status', { caseId: again.id })).rule).toMatchObject({ needed: false, previous: { caseId: first.id } });
    expect(await ok('commission.reuse', { caseId: again.id })).toEqual({ stage: 'conclusion_received' });
    await ok('decision.draft', { caseId: again.id, outcome: 'assign', refusalGrounds: [] });
    const decision = await okAs<IssuedForm>(head, 'decision.sign', { caseId: again.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    expect(pdfText(decision, 'reused-decision')).toContain('Осы жылы жасалған отбасының материалдық жағдайы туралы акт қолданылды');
    await closed(again.id, { drafted: true });

    // Another application whose income changed must be inspected.
    const third = await acceptedCaseBy(ok, ws.ctx, sim.registry, index);
    const changed = familyApplication(sim.registry, index, third.c.id);
    changed.income[0]!.amountTiyn += 100;
    await ok('application.record', changed);
    expect((await ok<CommissionStatus>('commission.status', { caseId: third.c.id })).rule).toMatchObject({ needed: true, reason: 'income_changed' });
  });
});
