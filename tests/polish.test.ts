/**
 * The services behind the screens: a corrected name or birth date is the case's everywhere (item 9), the
 * declared values beside the registry's (item 10), the journal's CSV in words (item 12), plausible simulated
 * families (item 14), the case list as a work queue (item 16), and the documents to bring after a mismatch (item 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRow, RegisterResult, SearchResult } from '../shared/contract/types';
import type { IsAnswer, IsRequest } from '../shared/contract/is-protocol';
import { journalCsv } from '../shared/forms/journal-csv';
import { declaredValue, displayValue, documentsToBring } from '../shared/domain/originals';
import { rolesActingIn } from '../shared/events/catalogue';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { tempDir } from './helpers';
import { acceptedCase, counterWorkstation, familyApplication } from './intake-helpers';
import { officeDate } from '../shared/local-date';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const tmp = tempDir('polish');
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
let token: string;
const ok = async <T>(method: string, input: unknown) => {
  const r = (await counter.ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

beforeAll(async () => {
  counter = await counterWorkstation(tmp, { families: 30 });
  token = await counter.signIn(counter.pki.issue());
});
afterAll(() => counter.close());

describe('every view of a case reads the current projection (item 9)', () => {
  it('a birth date and a name corrected in the application are the case’s header, its list row and its search', async () => {
    const f = counter.sim.registry.families[0]!;
    const a = counter.sim.registry.persons.get(f.applicant)!;
    const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: 'Қате', givenName: a.givenName, patronymic: a.patronymic, birthDate: '1970-01-01', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    await ok('application.record', familyApplication(counter.sim.registry, 0, c.id));
    const detail = caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }));
    expect(detail).toMatchObject({ surname: a.surname, birthDate: a.birthDate });
    const listed = (await ok<SearchResult>('cases.search', { query: '', limit: 50 })).items.find((x) => x.id === c.id)!;
    expect(listed).toMatchObject({ surname: a.surname, birthDate: a.birthDate });
    expect((await ok<SearchResult>('cases.search', { query: a.surname.slice(0, 4).toLowerCase() })).items.map((x) => x.id)).toContain(c.id);
    expect((await ok<SearchResult>('cases.search', { query: 'Қате' })).items.map((x) => x.id)).not.toContain(c.id);
    // The projection is the log's: rebuilt, the header is the same.
    const { rebuildProjections } = await import('../db/rebuild');
    expect(rebuildProjections(counter.ws.ctx.db).differences).toEqual([]);
  });
});

describe('the case list as a work queue (item 16)', () => {
  it('shows each case’s nearest open deadline and who must act, and sorts by the deadline', async () => {
    const accepted = (await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, 1)).c;
    const { c, flagged } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, 2);
    await ok('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
    const all = await ok<SearchResult>('cases.search', { query: '', limit: 50 });
    // Accepted, before registration: no deadline runs yet, and the specialist acts.
    expect(all.items.find((x) => x.id === accepted.id)).toMatchObject({ nextDeadline: null, actingRoles: ['specialist'] });
    // Registered: the nearest deadline is the referral to the commission, 2 working days (item 11.1).
    const due = counter.ws.ctx.calendar().addWorkingDays(officeDate(counter.ws.ctx.now()), 2);
    expect(all.items.find((x) => x.id === c.id)).toMatchObject({ nextDeadline: { id: 'send_to_commission', due }, actingRoles: ['specialist'] });
    const byDue = await ok<SearchResult>('cases.search', { query: '', limit: 50, sort: 'due' });
    expect(byDue.items[0]!.id).toBe(c.id);
    const dues = byDue.items.map((x) => x.nextDeadline?.due ?? '9999');
    expect(dues).toEqual([...dues].sort());
    expect(byDue.items.map((x) => x.id).sort()).toEqual(all.items.map((x) => x.id).sort());
    // Page by page, each from where the one before ended (through the cases with a deadline, on to those with none):
    // the same queue, nothing twice, nothing skipped.
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page: SearchResult = await ok<SearchResult>('cases.search', { query: '', limit: 1, sort: 'due', ...(after ? { after } : {}) });
      paged.push(...page.items.map((x) => x.id));
      after = page.next ?? undefined;
    } while (after);
    expect(paged).toEqual(byDue.items.map((x) => x.id));
    expect(byDue.items.some((x) => x.nextDeadline === null) && byDue.items.some((x) => x.nextDeadline !== null)).toBe(true);
  });

  it('names the role of each stage from the workflow', () => {
    expect(rolesActingIn('decision_drafted', 'district')).toEqual(['head']);
    expect(rolesActingIn('at_commission', 'district')).toEqual(['secretary', 'specialist']);
    expect(rolesActingIn('decided', 'district')).toEqual(['head', 'specialist']);
    expect(rolesActingIn('center_intake', 'center')).toEqual(['center']);
    expect(rolesActingIn('closed', 'district')).toEqual([]);
  });
});

describe('the journal’s CSV in words (item 12)', () => {
  it('exports names in the chosen language, with the channel’s code in a column of its own', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const row: JournalRow = {
      journalNumber: 'AUE-W1-2026-J000001', caseId: 'x', registeredOn: today, channel: 'district', applicantIin: '850615300012', applicantName: 'Әбілқайыров Нұрсұлтан',
      address: 'Алматы', childrenCount: 2, documents: JSON.stringify([{ kind: 'identity_document:citizen_id', pages: 2 }, { kind: 'family_income_form', pages: 1 }]), requestNumber: null,
      perCapitaTiyn: 2_400_000, decision: 'assign', decisionNumber: 'AUE-W1-2026-D000001', decidedOn: today, monthlyAmountTiyn: 865_000, periodFrom: today, periodTo: today, notifiedOn: null, note: '',
    };
    const { formatMessage } = await import('../shared/i18n/messages');
    const m = (k: string) => formatMessage('kk', k);
    const csv = journalCsv([row], ['№'], { channel: (c) => m(`channel.${c}`), decision: (d) => m(`decision.ui.outcome_${d}`), document: (k, n) => `${m(`document.${k}`)} (${n})`, channelCode: m('journal.csvCode') });
    const [header, line] = csv.replace('\uFEFF', '').split('\r\n');
    expect(header).toBe('№,Арна коды');
    expect(line).toContain('Аудандық бөлім');
    expect(line).toContain('Тағайындалды');
    expect(line).toContain('Жеке куәлік (2); Отбасы табысы туралы мәліметтер (1)');
    expect(line).not.toMatch(/identity_document|family_income_form|×|,assign,/);
    expect(line!.endsWith(',district')).toBe(true);
  });
});

describe('the information-system simulator’s families (item 14)', () => {
  it('are plausible: siblings 18 months or more apart with different names, a mother of 20 to 42 at each birth, every child under 18', () => {
    for (const seed of [1, 7, 42]) {
      const r = generateRegistry(seed, 300);
      for (const f of r.families) {
        const mother = r.persons.get(f.applicant)!;
        const father = r.persons.get(f.spouse)!;
        const kids = f.children.map((c) => r.persons.get(c)!).sort((a, b) => a.birthDate.localeCompare(b.birthDate));
        expect(kids.length, `${seed}`).toBeGreaterThan(0);
        expect(new Set(kids.map((k) => k.givenName)).size).toBe(kids.length);
        expect(kids.map((k) => k.givenName)).not.toContain(father.givenName);
        const years = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / (365.25 * 86_400_000);
        for (const [i, k] of kids.entries()) {
          expect(years(mother.birthDate, k.birthDate)).toBeGreaterThanOrEqual(20);
          expect(years(mother.birthDate, k.birthDate)).toBeLessThanOrEqual(42.1);
          expect(years(father.birthDate, k.birthDate)).toBeGreaterThanOrEqual(20);
          expect(years(k.birthDate, '2026-12-31')).toBeLessThan(18);
          if (i > 0) expect(years(kids[i - 1]!.birthDate, k.birthDate)).toBeGreaterThanOrEqual(1.49);
        }
      }
    }
  });
});

describe('the documents to bring and the declared values (items 2 and 10)', () => {
  const request: Pick<IsRequest, 'subjects'> = {
    subjects: [
      { iin: '880418410028', relation: 'applicant', declared: { surname: 'Басқаша', givenName: 'Жанар', patronymic: '', birthDate: '1988-04-18', address: 'Алматы', iban: 'KZ00', income: [{ month: '2026-07', amountTiyn: 100 }] } },
      { iin: '150301500009', relation: 'child', declared: { surname: 'Қасымов', givenName: 'Алихан', patronymic: '', birthDate: '2015-03-01', birthRecord: { number: 'I-АЛ 123456', date: '2015-03-05' } } },
      { iin: '810909410202', relation: 'spouse', declared: { surname: 'Қасымов', givenName: 'Серік', patronymic: '', birthDate: '1981-09-09' } },
    ],
  };
  const answer: IsAnswer = {
    requestId: '00000000-0000-7000-8000-000000000000', answeredAt: '', gateway: 'test',
    subjects: [
      { iin: '880418410028', fields: [{ field: 'surname', result: 'mismatch', registry: 'Қасымова' }, { field: 'address', result: 'not_found', registry: null }, { field: 'bankAccount', result: 'mismatch', registry: 'KZ11' }, { field: 'income', result: 'mismatch', registry: '' }, { field: 'birthDate', result: 'confirmed', registry: '1988-04-18' }] },
      { iin: '150301500009', fields: [{ field: 'birthRecord', result: 'not_found', registry: null }, { field: 'parent', result: 'mismatch', registry: '1' }, { field: 'givenName', result: 'mismatch', registry: 'Әлихан' }] },
      { iin: '810909410202', fields: [{ field: 'patronymic', result: 'mismatch', registry: 'Ерланұлы' }] },
    ],
  };

  it('one row per document and person, each with what did not match, by item 13', () => {
    expect(documentsToBring(request, answer, 'residence_permit')).toEqual([
      { document: 'identity_document:residence_permit', iin: '880418410028', person: 'Басқаша Жанар', fields: ['surname'] },
      { document: 'residence_registration', iin: '880418410028', person: 'Басқаша Жанар', fields: ['address'] },
      { document: 'bank_account', iin: '880418410028', person: 'Басқаша Жанар', fields: ['bankAccount'] },
      { document: 'family_income_form', iin: '880418410028', person: 'Басқаша Жанар', fields: ['income'] },
      { document: 'birth_certificate', iin: '150301500009', person: 'Қасымов Алихан', fields: ['birthRecord', 'parent', 'givenName'] },
      { document: 'marriage_or_divorce_certificate', iin: '150301500009', person: 'Қасымов Алихан', fields: ['parent'] },
      { document: 'identity_document:citizen_id', iin: '810909410202', person: 'Қасымов Серік', fields: ['patronymic'] },
    ]);
    expect(documentsToBring({ subjects: [] }, answer, 'citizen_id')).toEqual([]);
  });

  it('the declared value of every field, dates as people write them', () => {
    const [applicant, child, spouse] = request.subjects as [IsRequest['subjects'][number], IsRequest['subjects'][number], IsRequest['subjects'][number]];
    expect(declaredValue(child, 'birthRecord', '880418410028')).toBe('I-АЛ 123456 2015-03-05');
    expect(displayValue(declaredValue(child, 'birthRecord', '880418410028')!)).toBe('I-АЛ 123456 05.03.2015');
    expect(declaredValue(child, 'parent', '880418410028')).toBe('880418410028');
    expect(declaredValue(spouse, 'parent', '880418410028')).toBeNull();
    expect(declaredValue(applicant, 'bankAccount', '')).toBe('KZ00');
    expect(declaredValue(applicant, 'income', '')).toBe('2026-07: 1');
    expect(declaredValue(spouse, 'income', '')).toBeNull();
    expect(declaredValue(spouse, 'bankAccount', '')).toBeNull();
    expect(declaredValue(spouse, 'birthRecord', '')).toBeNull();
    expect(declaredValue(spouse, 'address', '')).toBeNull();
    expect(declaredValue(applicant, 'address', '')).toBe('Алматы');
    expect(declaredValue(spouse, 'patronymic', '')).toBeNull();
    expect(declaredValue(spouse, 'birthDate', '')).toBe('1981-09-09');
  });
});


describe('the income quarter the grid shows (item 15)', () => {
  it('is the quarter before the application’s, month by month', async () => {
    const { incomeQuarterOf } = await import('../shared/domain/benefit');
    expect(incomeQuarterOf('2026-12-01')).toEqual({ year: 2026, quarter: 3, from: '2026-07-01', to: '2026-09-30', months: ['2026-07', '2026-08', '2026-09'] });
    expect(incomeQuarterOf('2027-02-10')).toMatchObject({ year: 2026, quarter: 4, months: ['2026-10', '2026-11', '2026-12'] });
    const { thresholdNote } = await import('../shared/domain/threshold-notes');
    expect(thresholdNote('en', 'as entered')).toBe('as entered');
  });
});
