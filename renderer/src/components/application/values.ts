/** The application form's values: what a draft keeps, and how they become the signed act's input. */
import { applicationInput, type ApplicationInput } from '../../../../shared/contract/schemas';

export type Values = Omit<ApplicationInput, 'caseId' | 'income'> & { hasRepresentative: boolean; income: (ApplicationInput['income'][number] & { amountTenge?: number })[] };
export const draftKey = (caseId: string) => `jardem.application.${caseId}`;
/** The relations a member may have to the applicant, as the application's schema lists them. */
export const RELATIONS = applicationInput.shape.members.element.shape.relation.options;

export function emptyValues(applicant: { iin: string; surname: string; givenName: string; patronymic: string; birthDate: string }): Values {
  return {
    identityDocument: { kind: 'citizen_id', number: '', issuedOn: '' },
    registrationAddress: '',
    bankAccount: { iban: '', bank: '' },
    hasRepresentative: false,
    representative: null,
    members: [{ id: 'm1', relation: 'applicant', ...applicant }],
    income: [],
    applicantDataMatchBirthCertificates: true,
  };
}

export function toInput(caseId: string, v: Values): ApplicationInput {
  const { hasRepresentative, income, ...rest } = v;
  return {
    ...rest,
    caseId,
    representative: hasRepresentative ? (v.representative ?? null) : null,
    members: (v.members ?? []).map((m) => (m.relation === 'child' ? m : { ...m, birthRecord: null })),
    income: (income ?? []).map(({ amountTenge, ...line }) => ({ ...line, amountTiyn: Math.round((amountTenge ?? 0) * 100) })),
  };
}
