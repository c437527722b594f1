/**
 * After an information-system mismatch (regulation item 11.1 stage 2) the applicant brings the originals of the
 * documents whose data did not match or were not found, with the consent to bring the data into line. Which
 * document proves which field follows item 13 (the documents of the package); where the regulation does not say,
 * the choice is marked [assumed]. The notice lists each document once per person, with what did not match.
 */
import type { IsAnswer, IsField, IsRequest } from '../contract/is-protocol';

type Subject = IsRequest['subjects'][number];

/** The document (a checklist kind, message key document.<kind>) that proves a field of a person. */
export const FIELD_DOCUMENTS: Record<IsField, { documents: (subject: Subject, identityKind: string) => string[]; source: string }> = {
  // Item 13.1 (the applicant's own identity document); for a spouse or another adult, their identity card [assumed].
  surname: { documents: (s, k) => [identityOf(s, k)], source: 'item 13.1, 13.2' },
  givenName: { documents: (s, k) => [identityOf(s, k)], source: 'item 13.1, 13.2' },
  patronymic: { documents: (s, k) => [identityOf(s, k)], source: 'item 13.1, 13.2' },
  birthDate: { documents: (s, k) => [identityOf(s, k)], source: 'item 13.1, 13.2' },
  birthRecord: { documents: () => ['birth_certificate'], source: 'item 13.2' },
  // Item 13.3: the marriage (divorce) certificate when the applicant's data differ from the child's birth certificate.
  parent: { documents: () => ['birth_certificate', 'marriage_or_divorce_certificate'], source: 'item 13.2, 13.3' },
  address: { documents: () => ['residence_registration'], source: 'item 13.6' },
  income: { documents: () => ['family_income_form'], source: 'item 13.5' },
  bankAccount: { documents: () => ['bank_account'], source: 'item 13.8' },
};

/** A child's name and birth date are read from the birth certificate (item 13.2), an adult's from the identity document. */
function identityOf(s: Subject, applicantIdentityKind: string): string {
  if (s.relation === 'child') return 'birth_certificate';
  return `identity_document:${s.relation === 'applicant' ? applicantIdentityKind : 'citizen_id'}`;
}

export interface DocumentToBring {
  document: string;
  iin: string;
  person: string;
  fields: IsField[];
}

/** The documents to bring, one row per document and person, in the order the answer names the people. */
export function documentsToBring(request: Pick<IsRequest, 'subjects'>, answer: IsAnswer, applicantIdentityKind: string): DocumentToBring[] {
  const rows = new Map<string, DocumentToBring>();
  for (const subject of answer.subjects) {
    const declared = request.subjects.find((s) => s.iin === subject.iin);
    if (!declared) continue;
    const person = [declared.declared.surname, declared.declared.givenName].filter(Boolean).join(' ');
    for (const f of subject.fields) {
      if (f.result === 'confirmed') continue;
      for (const document of FIELD_DOCUMENTS[f.field].documents(declared, applicantIdentityKind)) {
        const key = `${document}/${subject.iin}`;
        const row = rows.get(key) ?? rows.set(key, { document, iin: subject.iin, person, fields: [] }).get(key)!;
        if (!row.fields.includes(f.field)) row.fields.push(f.field);
      }
    }
  }
  return [...rows.values()];
}

/** A value as a person reads it: every ISO date in it written dd.mm.yyyy (the forms' and the screens' date). */
export function displayValue(value: string): string {
  return value.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3.$2.$1');
}

/**
 * What the application declared for a field, as the comparison shows it beside the registry's value: a child's
 * birth record as its number and date, the parent as the applicant's IIN, income month by month. Null: nothing
 * was declared for it.
 */
export function declaredValue(subject: Subject, field: IsField, applicantIin: string): string | null {
  const d = subject.declared;
  switch (field) {
    case 'bankAccount':
      return d.iban ?? null;
    case 'income':
      return d.income?.length ? d.income.map((l) => `${l.month}: ${(l.amountTiyn / 100).toFixed(0)}`).join('; ') : null;
    case 'birthRecord':
      return d.birthRecord ? `${d.birthRecord.number} ${d.birthRecord.date}` : null;
    case 'parent':
      return subject.relation === 'child' ? applicantIin : null;
    default: {
      const value = (d as Record<string, unknown>)[field];
      return typeof value === 'string' && value !== '' ? value : null;
    }
  }
}
