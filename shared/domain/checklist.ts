/**
 * The documents of item 13 of the regulation, computed from the family and what the information systems hold.
 * Each document is required, not required (with the reason), or conditional.
 */
import { DomainError } from './errors';
import { parseDay } from './dates';

export type IdentityDocumentKind = 'citizen_id' | 'residence_permit' | 'oralman_certificate';

export interface ChecklistInput {
  applicant: { identityDocument: IdentityDocumentKind; representative?: boolean };
  children: {
    id: string;
    /** Where and when the birth was registered. */
    birthRegistration: { inKazakhstan: boolean; date: string };
    /** Guardianship, trusteeship or adoption applies to this child. */
    guardianshipOrAdoption?: boolean;
  }[];
  /** The applicant's data differ from the child's birth certificate (e.g. a changed surname). */
  applicantDataMatchBirthCertificates: boolean;
  /** When the marriage or divorce that explains the difference was registered, if known. */
  marriageRegistration?: { inKazakhstan: boolean; date: string } | null;
  /**
   * Whether the information systems answered for residence registration (item 6) and guardianship or adoption
   * (item 7). Those documents are not asked for only when the systems can give them (item 13).
   */
  informationSystems?: { residence: boolean; guardianship: boolean };
}

export type DocumentStatus = 'required' | 'not_required' | 'conditional';

export interface ChecklistItem {
  document: string;
  /** Item 13 sub-item the document comes from. */
  source: string;
  status: DocumentStatus;
  reason: string;
  childId?: string;
}

/** Dates from which the information systems hold the records (item 13, "not required"). */
export const INFORMATION_SYSTEM_COVERAGE = {
  birthsRegisteredAfter: '2007-08-13',
  marriagesRegisteredAfter: '2008-06-01',
} as const;

export function documentChecklist(input: ChecklistInput): ChecklistItem[] {
  if (input.children.length === 0) throw new DomainError('benefit.no_child', 'children');
  // Until the systems have been asked, assume they answer: the intake issue passes their real answers.
  const is = input.informationSystems ?? { residence: true, guardianship: true };
  const items: ChecklistItem[] = [
    { document: 'application_form', source: 'item 13', status: 'required', reason: 'always' },
    { document: `identity_document:${input.applicant.identityDocument}`, source: 'item 13.1', status: 'required', reason: 'always' },
  ];
  input.children.forEach((child, i) => {
    parseDay(child.birthRegistration.date, `children.${i}.birthRegistration.date`);
    const fromIs = child.birthRegistration.inKazakhstan && child.birthRegistration.date > INFORMATION_SYSTEM_COVERAGE.birthsRegisteredAfter;
    items.push({
      document: 'birth_certificate',
      source: 'item 13.2',
      status: fromIs ? 'not_required' : 'required',
      reason: fromIs ? 'from_information_systems:birth_registered_in_kz_after_2007_08_13' : child.birthRegistration.inKazakhstan ? 'registered_before_2007_08_13' : 'registered_outside_kz',
      childId: child.id,
    });
  });
  if (input.applicantDataMatchBirthCertificates) {
    items.push({ document: 'marriage_or_divorce_certificate', source: 'item 13.3', status: 'not_required', reason: 'data_match' });
  } else if (!input.marriageRegistration) {
    items.push({ document: 'marriage_or_divorce_certificate', source: 'item 13.3', status: 'conditional', reason: 'data_differ:registration_unknown' });
  } else {
    parseDay(input.marriageRegistration.date, 'marriageRegistration.date');
    const fromIs = input.marriageRegistration.inKazakhstan && input.marriageRegistration.date > INFORMATION_SYSTEM_COVERAGE.marriagesRegisteredAfter;
    items.push({
      document: 'marriage_or_divorce_certificate',
      source: 'item 13.3',
      status: fromIs ? 'not_required' : 'required',
      reason: fromIs ? 'from_information_systems:marriage_registered_in_kz_after_2008_06_01' : 'data_differ',
    });
  }
  items.push(
    { document: 'family_composition_form', source: 'item 13.4', status: 'required', reason: 'always' },
    { document: 'family_income_form', source: 'item 13.5', status: 'required', reason: 'always' },
    // Items 6 and 7 are not asked for when the information systems give them (item 13, "not required").
    is.residence
      ? { document: 'residence_registration', source: 'item 13.6', status: 'not_required', reason: 'from_information_systems:item_6' }
      : { document: 'residence_registration', source: 'item 13.6', status: 'conditional', reason: 'information_systems_no_answer' },
  );
  input.children.forEach((child) => {
    if (child.guardianshipOrAdoption) {
      items.push(
        is.guardianship
          ? { document: 'guardianship_or_adoption', source: 'item 13.7', status: 'not_required', reason: 'from_information_systems:item_7', childId: child.id }
          : { document: 'guardianship_or_adoption', source: 'item 13.7', status: 'conditional', reason: 'information_systems_no_answer', childId: child.id },
      );
    }
  });
  items.push({ document: 'bank_account', source: 'item 13.8', status: 'required', reason: 'always' });
  items.push(
    input.applicant.representative
      ? { document: 'notarised_power_of_attorney', source: 'item 13 (third party)', status: 'required', reason: 'representative_applies' }
      : { document: 'notarised_power_of_attorney', source: 'item 13 (third party)', status: 'not_required', reason: 'applicant_in_person' },
  );
  return items;
}

export interface ChecklistRow extends ChecklistItem {
  /** Pages scanned for this document (all pages of its kind, e.g. every birth certificate). */
  receivedPages: number;
  /** What the counter shows: received, or still required, or not required, or conditional. */
  display: 'received' | DocumentStatus;
}

/**
 * The checklist as the counter shows it: each document's status, or "received" with its scanned pages. A
 * document asked for per child (a birth certificate) is received by pages of kind 'document:<childId>'; pages of
 * the plain kind count only when a single child needs that document, so one certificate never stands for two.
 */
export function withReceivedPages(items: readonly ChecklistItem[], pagesByKind: Readonly<Record<string, number>>): ChecklistRow[] {
  return items.map((item) => {
    const perChild = items.filter((i) => i.document === item.document && i.childId).length;
    const counts = (kind: string) => {
      if (item.childId) return kind === `${item.document}:${item.childId}` || (kind === item.document && perChild === 1);
      return kind === item.document || kind.split(':')[0] === item.document;
    };
    const receivedPages = Object.entries(pagesByKind)
      .filter(([kind]) => counts(kind))
      .reduce((sum, [, n]) => sum + n, 0);
    return { ...item, receivedPages, display: receivedPages > 0 ? 'received' : item.status };
  });
}

/** Every required document has pages: the package is complete (item 13; item 11.1 stage 3). */
export function checklistComplete(rows: readonly ChecklistRow[]): boolean {
  return rows.every((r) => r.status !== 'required' || r.receivedPages > 0);
}
