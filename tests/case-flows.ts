/**
 * Whole cases through the services, as the counter and the head would take them: for the rebuild, sync and
 * crash tests. Each flow takes a counter workstation (tests/intake-helpers.ts counterWorkstation).
 */
import type { CasePage, IssuedForm, JournalRow, RegisterResult } from '../shared/contract/types';
import { calculateBenefit } from '../shared/domain/benefit';
import { officeDate } from '../shared/local-date';
import { benefitTables } from '../electron/services/reference';
import { sendDueRequests } from '../electron/services/information-systems';
import { HEAD } from './helpers';
import { acceptedCase, documentPage, familyApplication, moveClock, REQUIRED_SCANS, type counterWorkstation } from './intake-helpers';

type Counter = Awaited<ReturnType<typeof counterWorkstation>>;

function caller(counter: Counter, token: string) {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const r = (await counter.ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
}

/** A registry family whose income puts it below the threshold (about one in ten), not used yet. */
const used = new WeakMap<Counter, Set<number>>();
export function eligibleFamily(counter: Counter): number {
  return familyWhere(counter, true);
}

/** A registry family, not used yet, that the calculation assigns (eligible) or refuses (income not below the threshold). */
export function familyWhere(counter: Counter, eligible: boolean): number {
  const taken = used.get(counter) ?? used.set(counter, new Set()).get(counter)!;
  const { ws, sim } = counter;
  const tables = benefitTables(ws.ctx.db);
  const today = officeDate(ws.ctx.now());
  for (let i = 0; i < sim.registry.families.length; i++) {
    if (taken.has(i)) continue;
    const a = familyApplication(sim.registry, i, '00000000-0000-7000-8000-000000000000');
    const r = calculateBenefit({ applicationDate: today, region: 'almaty', members: a.members.map((m) => ({ id: m.id, name: m.surname, relation: m.relation, birthDate: m.birthDate })), income: a.income }, tables);
    if (r.eligible === eligible && r.explanation.children.some((c) => c.counted)) {
      taken.add(i);
      return i;
    }
  }
  throw new Error(`no ${eligible ? 'eligible' : 'ineligible'} family left in the registry`);
}

/**
 * Intake to the signed notification, straight through (no returns or corrections): accepted, receipt, registered,
 * referred, act and conclusion entered from the scanned paper, drafted, decided, notified. Assigned or refused as
 * the family's income says; documents in `docLanguage`.
 */
export async function notifiedCase(counter: Counter, opts: { eligible: boolean; docLanguage: 'kk' | 'ru' }) {
  const ok = caller(counter, await counter.signIn(counter.pki.issue()));
  const okHead = caller(counter, await counter.signIn(counter.pki.issue({ role: 'head', ...HEAD })));
  const today = officeDate(counter.ws.ctx.now());
  const { c, flagged } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, familyWhere(counter, opts.eligible), opts.docLanguage);
  await ok('forms.issueReceipt', { caseId: c.id });
  await ok<JournalRow>('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
  await ok<IssuedForm>('commission.refer', { caseId: c.id, precinctCode: 'AUE-01' });
  await ok('pages.import', { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
  await ok('commission.conclude', { caseId: c.id, act: ACT(today), conclusion: CONCLUSION });
  await ok('decision.draft', { caseId: c.id, outcome: opts.eligible ? 'assign' : 'refuse', refusalGrounds: [] });
  await okHead('decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
  await okHead('session.unlock', { password: 'pw' });
  await okHead('notification.issue', { caseId: c.id });
  return c;
}

export const ACT = (date: string) => ({
  date,
  membersPresent: ['Төлеуова Гүлнар Ержанқызы'],
  housing: { type: 'apartment', ownership: 'own', rooms: 2, areaM2: 48.5, utilities: ['electricity'] },
  property: { vehicles: '', livestock: '', land: '' },
  familyAsFound: 'Отбасы құрамы өтінішке сәйкес',
  observations: 'Жинақы',
});
export const CONCLUSION = { needs: true, grounds: 'Жан басына табыс төмен', members: ['Төлеуова Гүлнар Ержанқызы'] };

/** Intake to the delivered notification: pages turned, moved and removed; returned once; decided, corrected, notified. */
export async function wholeDistrictCase(counter: Counter) {
  const specialist = await counter.signIn(counter.pki.issue());
  const head = await counter.signIn(counter.pki.issue({ role: 'head', ...HEAD }));
  const ok = caller(counter, specialist);
  const okHead = caller(counter, head);
  const today = officeDate(counter.ws.ctx.now());
  const { c, flagged } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, eligibleFamily(counter));
  await ok('forms.issueReceipt', { caseId: c.id });
  const pages = (await ok<{ pages: CasePage[] }>('pages.list', { caseId: c.id })).pages;
  await ok('pages.rotate', { caseId: c.id, pageId: pages[0]!.pageId, degrees: 90 });
  const extra = (await ok<{ pages: CasePage[] }>('pages.import', { caseId: c.id, documentKind: 'bank_account', fileName: 'b2.png', base64: await documentPage() })).pages[0]!;
  await ok('pages.move', { caseId: c.id, pageId: extra.pageId, direction: 'up' });
  await ok('pages.remove', { caseId: c.id, pageId: extra.pageId });
  await ok('pages.originalsReturned', { caseId: c.id });
  await ok<JournalRow>('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
  await ok<IssuedForm>('commission.refer', { caseId: c.id, precinctCode: 'AUE-01' });
  await ok('pages.import', { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
  await ok('commission.conclude', { caseId: c.id, act: ACT(today), conclusion: CONCLUSION });
  await ok('decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [], note: 'бірінші' });
  await okHead('decision.return', { caseId: c.id, comment: 'Қайта қараңыз' });
  await ok('decision.draft', { caseId: c.id, outcome: 'assign', refusalGrounds: [] });
  await okHead('decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
  await okHead('session.unlock', { password: 'pw' });
  await okHead('decision.correct', { caseId: c.id, correction: 'Әкесінің аты', reason: 'Қате' });
  await okHead('session.unlock', { password: 'pw' });
  await okHead('notification.issue', { caseId: c.id });
  await ok('notification.deliver', { caseId: c.id, method: 'in_person', handedTo: 'Өтініш берушінің өзі' });
  return c;
}

/** A mismatch, the notice, three working days without the originals: the refusal to accept (Appendix 20). */
export async function refusedAtAcceptance(counter: Counter, familyIndex = 5) {
  const ok = caller(counter, await counter.signIn(counter.pki.issue()));
  const { ws, sim } = counter;
  const f = sim.registry.families[familyIndex]!;
  const a = sim.registry.persons.get(f.applicant)!;
  const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
  const app = familyApplication(sim.registry, familyIndex, c.id);
  app.members[0]!.surname = 'Басқаша';
  await ok('application.record', app);
  for (const kind of REQUIRED_SCANS) await ok('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: await documentPage() });
  await ok('intake.requestChecks', { caseId: c.id });
  await sendDueRequests(ws.ctx);
  await ok('intake.notifyMismatch', { caseId: c.id });
  const previous = process.env.JARDEM_TIME_TRAVEL;
  process.env.JARDEM_TIME_TRAVEL = '1';
  const due = (ws.ctx.db.prepare("SELECT due FROM case_deadlines WHERE case_id = ? AND deadline = 'originals_and_consent'").get(c.id) as { due: string }).due;
  const days = Math.round((Date.parse(due) - Date.parse(officeDate(new Date()))) / 86_400_000) + 1;
  await moveClock(counter, days);
  await ok('intake.refuseAcceptance', { caseId: c.id });
  await moveClock(counter, 0);
  if (previous === undefined) delete process.env.JARDEM_TIME_TRAVEL;
  else process.env.JARDEM_TIME_TRAVEL = previous;
  return c;
}
