/**
 * A registry family's application and the scans item 13 asks of it, as the counter enters them: what the service
 * tests (tests/intake-helpers.ts) and the end-to-end specs share. Only sharp and types here, so a spec may import it.
 */
import sharp from 'sharp';
import type { ApplicationInput } from '../shared/contract/schemas';
import type { Registry } from '../server/src/is-simulator/registry';

/** The application of a registry family as its applicant would declare it (everything true). */
export function familyApplication(registry: Registry, index: number, caseId: string): ApplicationInput {
  const f = registry.families[index]!;
  const person = (iin: string) => registry.persons.get(iin)!;
  const applicant = person(f.applicant);
  const spouse = person(f.spouse);
  const income = [f.applicant, f.spouse].flatMap((iin, i) =>
    [...(registry.income.get(iin) ?? new Map<string, number>())].filter(([month]) => month >= '2026-07' && month <= '2026-09').map(([month, amountTiyn]) => ({ memberId: i === 0 ? 'm1' : 'm2', kind: 'wage' as const, month, amountTiyn })),
  );
  return {
    caseId,
    identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
    registrationAddress: registry.addresses.get(f.applicant)!,
    bankAccount: { iban: registry.accounts.get(f.applicant)!, bank: 'Halyk Bank' },
    representative: null,
    members: [
      { id: 'm1', relation: 'applicant', ...applicant },
      { id: 'm2', relation: 'spouse', ...spouse },
      ...f.children.map((c, i) => {
        const child = person(c);
        const birth = registry.births.get(c)!;
        return { id: `c${i}`, relation: 'child' as const, ...child, birthRecord: { number: birth.recordNumber, date: birth.registeredOn, registryOffice: 'Алматы АХАЖ', inKazakhstan: true } };
      }),
    ],
    income,
    applicantDataMatchBirthCertificates: true,
  };
}

/** A readable A4 page at 200 dpi (a black bar on white); `variant` moves the bar, for pages that must differ. */
export async function documentPage(variant = 0): Promise<string> {
  const png = await sharp({ create: { width: 1654, height: 1200, channels: 3, background: '#fff' } })
    .composite([{ input: { create: { width: 800, height: 40, channels: 3, background: '#000' } }, top: 300 + variant * 50, left: 200 }])
    .withMetadata({ density: 200 })
    .png()
    .toBuffer();
  return png.toString('base64');
}

/** The documents item 13 requires of a registry family (whose records the information systems hold). */
export const REQUIRED_SCANS = ['application_form', 'identity_document:citizen_id', 'family_composition_form', 'family_income_form', 'bank_account'] as const;
