import { describe, expect, it } from 'vitest';
import { documentChecklist, type ChecklistInput } from '../shared/domain/checklist';
import { DomainError } from '../shared/domain/errors';

const base: ChecklistInput = {
  applicant: { identityDocument: 'citizen_id' },
  children: [{ id: 'c1', birthRegistration: { inKazakhstan: true, date: '2015-03-01' } }],
  applicantDataMatchBirthCertificates: true,
};
const status = (items: ReturnType<typeof documentChecklist>, doc: string, child?: string) =>
  items.find((i) => i.document === doc && (child === undefined || i.childId === child));

describe('document checklist (item 13)', () => {
  it('asks only for what the information systems do not hold', () => {
    const items = documentChecklist(base);
    expect(status(items, 'identity_document:citizen_id')?.status).toBe('required');
    expect(status(items, 'birth_certificate', 'c1')).toMatchObject({ status: 'not_required', reason: 'from_information_systems:birth_registered_in_kz_after_2007_08_13' });
    expect(status(items, 'marriage_or_divorce_certificate')).toMatchObject({ status: 'not_required', reason: 'data_match' });
    expect(status(items, 'residence_registration')?.status).toBe('not_required');
    expect(status(items, 'family_composition_form')?.status).toBe('required');
    expect(status(items, 'family_income_form')?.status).toBe('required');
    expect(status(items, 'bank_account')?.status).toBe('required');
    expect(status(items, 'notarised_power_of_attorney')?.status).toBe('not_required');
  });

  it('requires birth certificates registered on or before 13 Aug 2007, or abroad', () => {
    const items = documentChecklist({
      ...base,
      children: [
        { id: 'a', birthRegistration: { inKazakhstan: true, date: '2007-08-13' } },
        { id: 'b', birthRegistration: { inKazakhstan: true, date: '2007-08-14' } },
        { id: 'c', birthRegistration: { inKazakhstan: false, date: '2019-01-01' } },
      ],
    });
    expect(status(items, 'birth_certificate', 'a')?.status).toBe('required');
    expect(status(items, 'birth_certificate', 'b')?.status).toBe('not_required');
    expect(status(items, 'birth_certificate', 'c')).toMatchObject({ status: 'required', reason: 'registered_outside_kz' });
  });

  it('asks for the marriage certificate only when the data differ and the marriage is not in the systems', () => {
    expect(status(documentChecklist({ ...base, applicantDataMatchBirthCertificates: false }), 'marriage_or_divorce_certificate')?.status).toBe('conditional');
    expect(status(documentChecklist({ ...base, applicantDataMatchBirthCertificates: false, marriageRegistration: { inKazakhstan: true, date: '2008-06-01' } }), 'marriage_or_divorce_certificate')?.status).toBe('required');
    expect(status(documentChecklist({ ...base, applicantDataMatchBirthCertificates: false, marriageRegistration: { inKazakhstan: true, date: '2008-06-02' } }), 'marriage_or_divorce_certificate')?.status).toBe('not_required');
  });

  it('lists the identity document by kind, guardianship from the systems, and a power of attorney for a representative', () => {
    const items = documentChecklist({
      ...base,
      applicant: { identityDocument: 'oralman_certificate', representative: true },
      children: [{ id: 'c1', birthRegistration: { inKazakhstan: true, date: '2015-03-01' }, guardianshipOrAdoption: true }],
    });
    expect(status(items, 'identity_document:oralman_certificate')?.status).toBe('required');
    expect(status(items, 'guardianship_or_adoption', 'c1')?.status).toBe('not_required');
    expect(status(items, 'notarised_power_of_attorney')).toMatchObject({ status: 'required', reason: 'representative_applies' });
  });

  it('asks for residence and guardianship documents when the information systems did not answer', () => {
    const items = documentChecklist({
      ...base,
      children: [{ id: 'c1', birthRegistration: { inKazakhstan: true, date: '2015-03-01' }, guardianshipOrAdoption: true }],
      informationSystems: { residence: false, guardianship: false },
    });
    expect(status(items, 'residence_registration')).toMatchObject({ status: 'conditional', reason: 'information_systems_no_answer' });
    expect(status(items, 'guardianship_or_adoption', 'c1')?.status).toBe('conditional');
  });

  it('refuses impossible dates instead of deciding from them', () => {
    expect(() => documentChecklist({ ...base, children: [{ id: 'x', birthRegistration: { inKazakhstan: true, date: '2007-13-45' } }] })).toThrowError(
      expect.objectContaining({ code: 'date.invalid', field: 'children.0.birthRegistration.date' }) as Error,
    );
    for (const date of ['x', '2008-6-2']) {
      expect(() => documentChecklist({ ...base, applicantDataMatchBirthCertificates: false, marriageRegistration: { inKazakhstan: true, date } })).toThrowError(
        expect.objectContaining({ code: 'date.invalid', field: 'marriageRegistration.date' }) as Error,
      );
    }
  });

  it('refuses a family without children and an unknown date, naming the field', () => {
    expect(() => documentChecklist({ ...base, children: [] })).toThrow(DomainError);
    expect(() => documentChecklist({ ...base, children: [{ id: 'x', birthRegistration: { inKazakhstan: true, date: 'soon' } }] })).toThrowError(
      expect.objectContaining({ code: 'date.invalid', field: 'children.0.birthRegistration.date' }) as Error,
    );
  });
});

describe('documents received', () => {
  it('counts a birth certificate for the child it names; a plain one only when one child needs it', async () => {
    const { documentChecklist, withReceivedPages, checklistComplete } = await import('../shared/domain/checklist');
    const items = documentChecklist({
      applicant: { identityDocument: 'citizen_id' },
      children: [
        { id: 'c1', birthRegistration: { inKazakhstan: false, date: '2015-03-05' } },
        { id: 'c2', birthRegistration: { inKazakhstan: true, date: '2006-01-10' } },
      ],
      applicantDataMatchBirthCertificates: true,
    });
    const births = (rows: ReturnType<typeof withReceivedPages>) => rows.filter((r) => r.document === 'birth_certificate').map((r) => [r.childId, r.display]);
    expect(births(withReceivedPages(items, { birth_certificate: 2 }))).toEqual([
      ['c1', 'required'],
      ['c2', 'required'],
    ]);
    expect(births(withReceivedPages(items, { 'birth_certificate:c1': 1 }))).toEqual([
      ['c1', 'received'],
      ['c2', 'required'],
    ]);
    const one = documentChecklist({ applicant: { identityDocument: 'citizen_id' }, children: [{ id: 'c1', birthRegistration: { inKazakhstan: false, date: '2015-03-05' } }], applicantDataMatchBirthCertificates: true });
    expect(births(withReceivedPages(one, { birth_certificate: 1 }))).toEqual([['c1', 'received']]);
    expect(checklistComplete(withReceivedPages(one, { birth_certificate: 1 }))).toBe(false);
    const all = { application_form: 1, 'identity_document:citizen_id': 1, birth_certificate: 1, family_composition_form: 1, family_income_form: 1, bank_account: 1 };
    expect(checklistComplete(withReceivedPages(one, all))).toBe(true);
  });
});
