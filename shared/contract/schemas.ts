import { z } from 'zod';
import { checkIin } from '../domain/iin';
import { officeDate } from '../local-date';
import { FORM_NAMES } from '../forms/texts';
import { noBidi, optionalName, personName, required, text, typed } from './typed-text';
import { calendarDay, calendarMonth } from './calendar-day';

export { calendarDay, calendarMonth } from './calendar-day';

/**
 * Input schemas. Every message is a key of shared/i18n, so the renderer shows it beside its field in the
 * user's language and the services return the same keys.
 */

export const iinSchema = typed()
  .min(1, 'field.required')
  .refine(noBidi, { message: 'field.bidi_control', abort: true })
  .superRefine((value, ctx) => {
    const check = checkIin(value);
    // One message per field: the first error is the one the person can act on.
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.errors[0]! });
  });

/** A date a person typed: trimmed, required, then the contract's one calendar-day type (./calendar-day.ts). */
export const isoDateSchema = z.string().trim().min(1, 'field.required').pipe(calendarDay);

/** Kazakh phone numbers: +7 and ten digits; spaces, brackets and dashes are allowed while typing. */
export const phoneSchema = z
  .string()
  .trim()
  .min(1, 'field.required')
  .transform((s) => s.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^(\+7|8)\d{10}$/, 'field.phone_format'))
  .transform((s) => (s.startsWith('8') ? `+7${s.slice(1)}` : s));

export const docLanguageSchema = z.enum(['kk', 'ru'], { message: 'field.required' });

export const registerApplicantInput = z.object({
  iin: iinSchema,
  surname: personName(100),
  givenName: personName(100),
  patronymic: optionalName(100).optional().default(''),
  birthDate: isoDateSchema.refine((s) => s <= officeDate(new Date()), 'field.date_in_future'),
  address: required(300),
  phone: phoneSchema,
  docLanguage: docLanguageSchema,
});
export type RegisterApplicantInput = z.input<typeof registerApplicantInput>;

export const searchCasesInput = z.object({
  query: typed().max(100, 'field.too_long').default(''),
  limit: z.number().int().min(1).max(200).default(50),
  /** Where the previous page ended (its `next`); none for the first page. */
  after: z.string().max(600).regex(/^[A-Za-z0-9_-]+$/, 'field.invalid').optional(),
  /** 'due': the work queue, nearest open deadline first (cases with none last); default: as the query orders. */
  sort: z.enum(['default', 'due']).default('default'),
});

export const signInInput = z.object({
  /** The PKCS#12 key file, base64. 256 KiB is far above any real key file. */
  p12Base64: z.string().min(1, 'field.required').max(350_000, 'field.too_long'),
  password: z.string().max(200, 'field.too_long'),
});

export const unlockInput = z.object({ password: z.string().max(200, 'field.too_long') });
/** The locked screen: the same key's password. */
export const resumeInput = unlockInput;

export const caseIdInput = z.object({ caseId: z.string().uuid('field.invalid') });

/** Verify case: every signature, or (sinceSeq) only those of the events after it: the acts just made. */
export const verifyCaseInput = caseIdInput.extend({ sinceSeq: z.number().int().min(0).max(1_000_000).optional() });

export const demoKeyInput = z.object({ role: z.enum(['specialist', 'head', 'center', 'admin']), office: z.string().regex(/^[A-Z0-9-]{2,16}$/).optional() });

export const emptyInput = z.object({}).strict();
/** The demo office, with a year of sample cases or without. */
export const demoCreateInput = z.object({ withSampleYear: z.boolean().optional() }).strict();

export const correctCalendarDayInput = z.object({
  date: isoDateSchema,
  working: z.boolean({ message: 'field.required' }),
  reason: required(300),
});

export const addWorkingDaysInput = z.object({
  from: isoDateSchema,
  n: z.number({ message: 'field.required' }).int('field.invalid').min(0, 'field.invalid').max(10_000, 'field.invalid'),
});

/** A document of the item 13 checklist ('identity_document:citizen_id', 'birth_certificate:child-1', …). */
export const documentKindSchema = z.string().regex(/^[a-z_]+(:[a-z0-9_-]+)?$/, 'field.invalid').max(80);

export const importPageInput = z.object({
  caseId: z.string().uuid('field.invalid'),
  documentKind: documentKindSchema,
  fileName: z.string().max(255),
  // 25 MB as base64 is about 33.4 million characters; the services check the limit on the bytes.
  base64: z.string().max(36_000_000, 'page.too_large'),
});

export const issueReceiptInput = z.object({ caseId: z.string().uuid('field.invalid') });
export const reprintFormInput = z.object({ caseId: z.string().uuid('field.invalid'), form: z.enum(FORM_NAMES) });

export const registerInJournalInput = z.object({
  caseId: z.string().uuid('field.invalid'),
  /** The specialist compared every scan with its original (item 11.1 stage 3). */
  scansCompared: z.boolean(),
  /** The pages with quality flags the specialist looked at against the original. */
  flagsReviewed: z.array(z.string().uuid()).max(500),
});

export const journalListInput = z.object({
  from: calendarDay,
  to: calendarDay,
  channel: z.enum(['district', 'center']).optional(),
  query: typed().max(40).optional(),
});

/** The printed journal: the same filters, in the UI's language (a form exists in kk and ru only). */
export const journalPdfInput = journalListInput.extend({ language: z.enum(['kk', 'ru']) });

export const timeTravelInput = z.object({ days: z.number().int().min(0).max(60) });

/** The deadlines board: open deadlines by state, stage or responsible person, or "my work today"; paged by due date. */
export const boardListInput = z.object({
  state: z.enum(['overdue', 'due_today', 'due_tomorrow', 'on_time']).optional(),
  stage: z.string().regex(/^[a-z_]{1,40}$/, 'field.invalid').optional(),
  responsibleIin: z.string().regex(/^\d{12}$/, 'field.invalid').optional(),
  mine: z.boolean().default(false),
  /** Where the previous page ended (its `next`); none for the first page. */
  after: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'field.invalid').optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const scanPageInput = z.object({ caseId: z.string().uuid('field.invalid'), documentKind: documentKindSchema });

export const pageInput = z.object({ caseId: z.string().uuid('field.invalid'), pageId: z.string().uuid('field.invalid') });

export const rotatePageInput = pageInput.extend({ degrees: z.union([z.literal(90), z.literal(180), z.literal(270)]) });

export const movePageInput = pageInput.extend({ direction: z.enum(['up', 'down']) });

export const scannerSettingsInput = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('sane'),
    device: z.string().max(200).nullable(),
    dpi: z.number().int().min(75).max(1200),
    mode: z.enum(['Color', 'Gray']),
    saneConfigDir: z.string().max(500).optional(),
    testPicture: z.string().max(50).optional(),
    extraArgs: z.array(z.string().max(100)).max(10).optional(),
  }),
  z.object({ source: z.literal('naps2'), executable: z.string().min(1).max(500), device: z.string().min(1).max(200), dpi: z.number().int().min(75).max(1200) }),
  z.object({ source: z.literal('folder'), folder: z.string().min(1).max(500) }),
  z.object({ source: z.literal('none') }),
]);


/** The application as taken at the counter. Money in tiyn. */
export const applicationInput = z.object({
  caseId: z.string().uuid('field.invalid'),
  identityDocument: z.object({ kind: z.enum(['citizen_id', 'residence_permit', 'oralman_certificate']), number: text(20), issuedOn: calendarDay }),
  registrationAddress: text(300),
  bankAccount: z.object({ iban: typed().regex(/^KZ\d{2}[0-9A-Z]{16}$/, 'field.iban'), bank: text(120) }),
  representative: z
    .object({ iin: iinSchema, name: personName(150), powerOfAttorney: z.object({ number: text(30), date: calendarDay, notary: text(150) }) })
    .nullable(),
  members: z
    .array(
      z.object({
        id: z.string().min(1).max(40),
        relation: z.enum(['applicant', 'spouse', 'child', 'other']),
        iin: iinSchema,
        surname: personName(80),
        givenName: personName(80),
        patronymic: optionalName(80),
        birthDate: calendarDay,
        birthRecord: z
          .object({ number: text(30), date: calendarDay, registryOffice: text(150), inKazakhstan: z.boolean() })
          .nullable()
          .optional(),
        guardianshipOrAdoption: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(20),
  income: z
    .array(
      z.object({
        memberId: z.string().min(1).max(40),
        kind: z.enum(['wage', 'pension', 'benefit', 'business', 'personal_subsidiary_farm', 'alimony', 'other']),
        month: calendarMonth,
        amountTiyn: z.number().int().min(0).max(1e12),
      }),
    )
    .max(200),
  applicantDataMatchBirthCertificates: z.boolean(),
});
export type ApplicationInput = z.input<typeof applicationInput>;
export type ApplicationOutput = z.output<typeof applicationInput>;

// From registration to notification (regulation item 11.1 stages 4–7).
const caseOnly = caseIdInput;

export const referToCommissionInput = caseOnly.extend({ precinctCode: typed().min(1, 'field.required').max(20) });

const names = z.array(personName(150)).min(1, 'field.required').max(15);
/** The act on the family's material situation and the commission's conclusion, as written on paper. */
export const commissionConclusionInput = caseOnly.extend({
  act: z.object({
    date: calendarDay,
    membersPresent: names,
    housing: z.object({
      type: z.enum(['apartment', 'house', 'dormitory', 'rented_room', 'other']),
      ownership: z.enum(['own', 'rented', 'relatives', 'state', 'other']),
      rooms: z.number().int().min(0).max(50),
      areaM2: z.number().min(0).max(2000),
      utilities: z.array(z.enum(['electricity', 'water', 'gas', 'heating', 'sewerage'])).max(5),
    }),
    property: z.object({ vehicles: typed().max(300), livestock: typed().max(300), land: typed().max(300) }),
    familyAsFound: text(1000),
    observations: typed().max(2000),
    /** Each family member's occupation as the commission found it, by member id (the act's family table). */
    occupations: z.record(z.string().min(1).max(40), typed().max(150)).optional(),
  }),
  conclusion: z.object({ needs: z.boolean(), grounds: text(1000), members: names }),
});

/** Grounds the specialist states (item 10); the calculation's own grounds come from the calculation, never from input. */
const refusalGround = z.enum(['incomplete_information', 'unreliable_information']);
export const decisionDraftInput = caseOnly.extend({
  outcome: z.enum(['assign', 'refuse']),
  refusalGrounds: z.array(refusalGround).max(4),
  note: typed().max(1000).optional(),
});

/** The head's checklist (item 11.1 stage 6): each box must be ticked to sign. */
export const decisionSignInput = caseOnly.extend({ documentsMatchPaper: z.boolean(), qualityFlagsResolved: z.boolean(), calculationMatches: z.boolean() });

export const decisionReturnInput = caseOnly.extend({ comment: text(1000) });

export const decisionCorrectInput = caseOnly.extend({ correction: text(1000), reason: text(1000) });

export const centerHandoverInput = caseOnly;

/** Item 11.2: the Center's request, the district's check, the Center's handover. */
export const centerSendInput = caseOnly.extend({ district: typed().min(1, 'field.required').max(20).regex(/^[A-Z0-9-]+$/, 'field.invalid').optional() });
const documentKind = typed().min(1, 'field.required').max(80).regex(/^[a-z_]+(:[a-z0-9_-]+)?$/, 'field.invalid');
export const centerReturnInput = caseOnly.extend({
  missing: z.array(z.object({ documentKind, note: text(300) })).min(1, 'center.missing_empty').max(30),
});
export const centerAcceptInput = caseOnly.extend({ pagesChecked: z.boolean() });
export const centerHandoverRecordInput = caseOnly.extend({
  receiptCode: typed().min(1, 'field.required').max(20).transform((v) => v.toUpperCase()),
  handedTo: optionalName(150).optional(),
});

export const notificationDeliverInput = caseOnly.extend({
  method: z.enum(['in_person', 'post', 'center']),
  handedTo: optionalName(150).optional(),
  postalNumber: typed().max(40).optional(),
}).superRefine((v, ctx) => {
  if (v.method === 'in_person' && !v.handedTo) ctx.addIssue({ code: 'custom', path: ['handedTo'], message: 'field.required' });
  if (v.method === 'post' && !v.postalNumber) ctx.addIssue({ code: 'custom', path: ['postalNumber'], message: 'field.required' });
});

export type CommissionConclusionOutput = z.output<typeof commissionConclusionInput>;
