import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRow } from '../shared/contract/types';
import { journalCsv } from '../shared/forms/journal-csv';
import { officeDate } from '../shared/local-date';
import { type makeWorkstation, tempDir } from './helpers';
import { acceptedCase as acceptedCaseBy, counterWorkstation, type startSimulator } from './intake-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const tmp = tempDir('journal');
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; params?: Record<string, unknown>; fieldErrors?: Record<string, string> } };
const call = async <T>(method: string, input: unknown) => (await ws.dispatch({ method, input, session: token })) as Ok<T> | Err;
const ok = async <T>(method: string, input: unknown) => {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};

/** A family the registry knows, accepted at the counter; one extra blank page among its scans. */
const acceptedCase = (index: number) => acceptedCaseBy(ok, ws.ctx, sim.registry, index);

beforeAll(async () => {
  counter = await counterWorkstation(tmp);
  ({ ws, sim } = counter);
  token = await counter.signIn(counter.pki.issue());
});
afterAll(() => counter.close());

describe('registration in the journal', () => {
  it('asks for the scans compared and each flagged page reviewed, then numbers the case and starts its deadlines', async () => {
    const { c, flagged } = await acceptedCase(0);
    expect(await call('journal.register', { caseId: c.id, scansCompared: false, flagsReviewed: [] })).toMatchObject({ ok: false, error: { fieldErrors: { scansCompared: 'journal.scans_not_compared' } } });
    expect(await call('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [] })).toMatchObject({ ok: false, error: { code: 'journal.flags_unresolved', params: { count: 1 } } });
    const row = await ok<JournalRow>('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
    const year = officeDate(ws.ctx.now()).slice(0, 4);
    expect(row.journalNumber).toBe(`AUE-W1-${year}-J000001`);
    expect(row.childrenCount).toBe(sim.registry.families[0]!.children.length);
    const detail = caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }));
    expect(detail.stage).toBe('registered');
    const today = officeDate(ws.ctx.now());
    expect(detail.deadlines.filter((d) => !d.stoppedOn).map((d) => [d.id, d.due]).sort()).toEqual(
      [
        ['decision', ws.ctx.calendar().addWorkingDays(today, 7)],
        ['send_to_commission', ws.ctx.calendar().addWorkingDays(today, 2)],
        ['service_total', ws.ctx.calendar().addWorkingDays(today, 7)],
      ].sort(),
    );
    // Registered once: a second registration is refused by the workflow and takes no number.
    expect(await call('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] })).toMatchObject({ ok: false, error: { fieldErrors: { event: 'workflow.not_allowed_now' } } });
    const second = await acceptedCase(1);
    expect((await ok<JournalRow>('journal.register', { caseId: second.c.id, scansCompared: true, flagsReviewed: [second.flagged.pageId] })).journalNumber).toBe(`AUE-W1-${year}-J000002`);
  });

  it('refuses to register a package made incomplete after acceptance, takes no number and changes nothing', async () => {
    const { c, flagged } = await acceptedCase(2);
    const { pages } = await ok<{ pages: { pageId: string; documentKind: string }[] }>('pages.list', { caseId: c.id });
    await ok('pages.remove', { caseId: c.id, pageId: pages.find((p) => p.documentKind === 'bank_account')!.pageId });
    const before = ws.ctx.db.prepare('SELECT count(*) AS n FROM journal').get();
    expect(await call('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] })).toMatchObject({
      ok: false,
      error: { fieldErrors: { event: 'workflow.guard.checklist_complete' } },
    });
    expect(ws.ctx.db.prepare('SELECT count(*) AS n FROM journal').get()).toEqual(before);
    expect((caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('completeness_check');
  });

  it('lists the journal for a period with filters and exports it as CSV', async () => {
    const today = officeDate(ws.ctx.now());
    const all = await ok<JournalRow[]>('journal.list', { from: today, to: today });
    expect(all.map((r) => r.journalNumber)).toEqual([expect.stringMatching(/-J000001$/), expect.stringMatching(/-J000002$/)]);
    expect(await ok<JournalRow[]>('journal.list', { from: today, to: today, query: all[1]!.applicantIin })).toHaveLength(1);
    expect(await ok<JournalRow[]>('journal.list', { from: today, to: today, channel: 'center' })).toHaveLength(0);
    expect(await ok<JournalRow[]>('journal.list', { from: '2020-01-01', to: '2020-12-31' })).toHaveLength(0);
    const csv = journalCsv(all, ['№', 'Күні', 'Өтініш беруші', 'ЖСН', 'Мекенжайы', 'Балалар', 'Арна', 'Құжаттар']);
    expect(csv.startsWith('\uFEFF№,Күні,Өтініш беруші,ЖСН')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(csv).toContain(all[0]!.applicantName);
    expect(csv).toContain('family_income_form×2');
  });
});
