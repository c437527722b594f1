import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationView, CaseVerification, RegisterResult } from '../shared/contract/types';
import type { ApplicationInput } from '../shared/contract/schemas';
import { ageOn, checkFamily } from '../shared/domain/family';
import { makePki, makeWorkstation, tempDir } from './helpers';

const tmp = tempDir('application');
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
let caseId: string;
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; fieldErrors?: Record<string, string> } };
const call = async <T>(method: string, input: unknown) => (await ws.dispatch({ method, input, session: token })) as Ok<T> | Err;

const application = (over: Partial<ApplicationInput> = {}): ApplicationInput => ({
  caseId,
  identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
  registrationAddress: 'Алматы, Әуезов ауданы, 5-шағынаудан, 12-үй, 34-пәтер',
  bankAccount: { iban: 'KZ12345678901234567X', bank: 'Halyk Bank' },
  representative: null,
  members: [
    { id: 'm1', relation: 'applicant', iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', patronymic: '', birthDate: '1985-06-15' },
    { id: 'm2', relation: 'spouse', iin: '900512400018', surname: 'Сейітқали', givenName: 'Әйгерім', patronymic: '', birthDate: '1990-05-12' },
    { id: 'c1', relation: 'child', iin: '150301500009', surname: 'Әбілқайыров', givenName: 'Алихан', patronymic: '', birthDate: '2015-03-01', birthRecord: { number: 'I-АЛ 123456', date: '2015-03-05', registryOffice: 'Алматы ҚХАЖ', inKazakhstan: true } },
  ],
  income: [{ memberId: 'm1', kind: 'wage', month: '2026-07', amountTiyn: 25_000_000 }],
  applicantDataMatchBirthCertificates: true,
  ...over,
});

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  token = ((await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as Ok<{ token: string }>).value.token;
  const r = (await call<RegisterResult>('cases.registerApplicant', { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })) as Ok<RegisterResult>;
  caseId = r.value.case.id;
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

describe('the family rules', () => {
  it('counts full years, and names a duplicate IIN and a child of 18 at their fields', () => {
    expect(ageOn('2008-11-25', '2026-11-24')).toBe(17);
    expect(ageOn('2008-11-24', '2026-11-24')).toBe(18);
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
    const issues = checkFamily(
      [
        { iin: '850615300012', relation: 'applicant', birthDate: '1985-06-15' },
        { iin: '850615300012', relation: 'spouse', birthDate: '1985-06-15' },
        { iin: '081124500004', relation: 'child', birthDate: '2008-11-24' },
      ],
      '2026-11-24',
    );
    expect(issues).toContainEqual({ field: 'members.1.iin', code: 'family.duplicate_iin', params: { n: 1 } });
    expect(issues).toContainEqual({ field: 'members.2.birthDate', code: 'family.child_not_under_18', params: { age: 18 } });
  });
});

describe('recording the application', () => {
  it('refuses a duplicate IIN and a child of 18 or older with messages at the fields, storing nothing', async () => {
    const before = (ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n;
    const base = application();
    const dup = await call('application.record', { ...base, members: [...base.members, { ...base.members[2]!, id: 'c2' }] });
    expect(dup).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { 'members.3.iin': 'family.duplicate_iin' } } });
    const adult = await call('application.record', { ...base, members: [...base.members.slice(0, 2), { ...base.members[2]!, iin: '070301500001', birthDate: '2007-03-01' }] });
    expect(adult).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { 'members.2.birthDate': 'family.child_not_under_18' } } });
    const iban = await call('application.record', { ...base, bankAccount: { iban: 'KZ12', bank: 'Halyk' } });
    expect(iban).toMatchObject({ ok: false, error: { fieldErrors: { 'bankAccount.iban': 'field.iban' } } });
    expect((ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n).toBe(before);
  });

  it('stores the application as a signed event and returns the item 13 checklist, which marks documents received as pages arrive', async () => {
    const r = (await call<ApplicationView>('application.record', application())) as Ok<ApplicationView>;
    expect(r.ok).toBe(true);
    const row = (doc: string) => r.value.checklist.find((x) => x.document === doc);
    expect(row('identity_document:citizen_id')).toMatchObject({ status: 'required', display: 'required', receivedPages: 0 });
    // A child born in Kazakhstan after 13 August 2007: the birth record comes from the information systems.
    expect(row('birth_certificate')).toMatchObject({ status: 'not_required', childId: 'c1' });
    expect(row('notarised_power_of_attorney')).toMatchObject({ status: 'not_required' });

    const png = await sharp({ create: { width: 1654, height: 1000, channels: 3, background: '#fff' } }).composite([{ input: { create: { width: 600, height: 30, channels: 3, background: '#000' } }, top: 100, left: 100 }]).png().toBuffer();
    await call('pages.import', { caseId, documentKind: 'identity_document:citizen_id', fileName: 'id.png', base64: png.toString('base64') });
    const after = (await call<ApplicationView>('application.get', { caseId })) as Ok<ApplicationView>;
    expect(after.value.checklist.find((x) => x.document === 'identity_document:citizen_id')).toMatchObject({ display: 'received', receivedPages: 1 });
    expect(after.value.application?.members).toHaveLength(3);

    const withRepresentative = (await call<ApplicationView>('application.record', application({ representative: { iin: '780304300003', name: 'Жұмабеков Ерлан', powerOfAttorney: { number: '1-234', date: '2026-11-01', notary: 'Нотариус Ахметова А.' } } }))) as Ok<ApplicationView>;
    expect(withRepresentative.value.checklist.find((x) => x.document === 'notarised_power_of_attorney')).toMatchObject({ status: 'required' });
    const v = (await call<CaseVerification>('cases.verify', { caseId })) as Ok<CaseVerification>;
    expect(v.value.problems).toEqual([]);
    expect(v.value.events.filter((e) => e.type === 'application.recorded')).toHaveLength(2);
  });
});
