/**
 * The payload of every event type, as a zod schema. The workstation refuses at append, the central server at
 * push, a workstation at pull, and Verify case names, any payload that does not parse. Payloads are the parsed
 * output of the method inputs (shared/contract/schemas.ts), so these schemas check shape and bounds, not the
 * person's typing; but what the forms refuse as no value at all, these refuse too, so that a correctly signed act
 * the workstation would never make is not applied elsewhere: an IIN that is no IIN (shared/domain/iin.ts), a date
 * that is no calendar day, a month that is no month.
 * Events written before the catalogue (schema 7 and earlier) lack the fields marked "since the catalogue"; their
 * projection takes those facts from the legacy facts the migration kept (db/migrations/0008).
 */
import { z } from 'zod';
import { calendarDay, calendarMonth } from '../contract/calendar-day';
import type { DeadlineId } from '../domain/deadlines';
import { DEADLINES } from '../domain/deadlines';
import { checkIin } from '../domain/iin';
import { DomainError } from '../domain/errors';
import { REFUSAL_GROUNDS, type RefusalGround } from '../domain/refusal-grounds';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const day = calendarDay;
const uuid = z.string().uuid();
/** A person's IIN as the forms take it: twelve digits, a century digit and a check digit that holds. */
const iin = z
  .string()
  .regex(/^\d{12}$/, 'iin.length')
  .superRefine((value, ctx) => {
    const check = checkIin(value);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.errors[0]! });
  });
/** A signer's IIN: read from the signing certificate, which the PKI issued (not typed into a form). */
const signerIin = z.string().regex(/^\d{12}$/);
const short = (max: number) => z.string().max(max);
/** A deadline the regulation names (shared/domain/deadlines.ts). */
export const deadlineIdSchema = z.enum(Object.keys(DEADLINES) as [DeadlineId, ...DeadlineId[]]);
const deadlineId = deadlineIdSchema;
const refusalGround = z.enum(Object.keys(REFUSAL_GROUNDS) as [RefusalGround, ...RefusalGround[]]);

/** The deadlines a transition starts, with the due dates the workstation counted on its calendar (since the catalogue). */
export const startedDeadlinesSchema = z.array(z.object({ id: deadlineId, startedOn: day, due: day })).max(10);

/** A printed form the event certifies: the PDF and its detached signature, both blobs, and the QR's code. */
const formFields = {
  form: z.enum(['receipt', 'center_receipt', 'notice_originals', 'refusal_acceptance', 'commission_referral', 'decision', 'notification', 'missing_documents', 'handover_record', 'commission_act', 'commission_conclusion']),
  blob: sha256,
  signature: sha256,
  verificationCode: z.string().regex(/^[A-Z0-9]{6,20}$/),
};

/** The same fields on an event that carries a form only since a later issue. */
const optionalForm = { form: formFields.form.optional(), blob: sha256.optional(), signature: sha256.optional(), verificationCode: formFields.verificationCode.optional() };

const applicant = z.object({
  iin,
  surname: short(100),
  givenName: short(100),
  patronymic: short(100),
  birthDate: day,
  address: short(300),
  phone: short(20),
  docLanguage: z.enum(['kk', 'ru']),
});

const intakeRegistered = z.object({
  applicant,
  caseNumber: short(60),
  channel: z.enum(['district', 'center']),
  rulesVersion: short(60).optional(),
  /** Since the catalogue: the office whose partition the case lives in, and the deadlines it starts. */
  officeCode: short(20).optional(),
  starts: startedDeadlinesSchema.optional(),
  /** A Center case lives in the district's partition (officeCode) and names the Center that took it. */
  centerCode: short(20).optional(),
});

const member = z.object({
  id: short(40),
  relation: z.enum(['applicant', 'spouse', 'child', 'other']),
  iin,
  surname: short(80),
  givenName: short(80),
  patronymic: short(80),
  birthDate: day,
  birthRecord: z.object({ number: short(30), date: day, registryOffice: short(150), inKazakhstan: z.boolean() }).nullable().optional(),
  guardianshipOrAdoption: z.boolean().optional(),
});

export const applicationPayloadSchema = z.object({
  identityDocument: z.object({ kind: z.enum(['citizen_id', 'residence_permit', 'oralman_certificate']), number: short(20), issuedOn: day }),
  registrationAddress: short(300),
  bankAccount: z.object({ iban: short(34), bank: short(120) }),
  representative: z.object({ iin, name: short(150), powerOfAttorney: z.object({ number: short(30), date: day, notary: short(150) }) }).nullable(),
  members: z.array(member).min(1).max(20),
  income: z
    .array(z.object({ memberId: short(40), kind: z.enum(['wage', 'pension', 'benefit', 'business', 'personal_subsidiary_farm', 'alimony', 'other']), month: calendarMonth, amountTiyn: z.number().int().min(0).max(1e12) }))
    .max(200),
  applicantDataMatchBirthCertificates: z.boolean(),
});
export type ApplicationPayload = z.infer<typeof applicationPayloadSchema>;

const qualityFlag = z.enum(['low_resolution', 'blank', 'blurred', 'too_dark', 'too_light', 'not_checked']);
const pageCaptured = z.object({
  pageId: uuid,
  documentKind: z.string().regex(/^[a-z_]+(:[a-z0-9_-]+)?$/).max(80),
  position: z.number().int().min(1).max(100_000),
  blob: sha256,
  signature: sha256,
  thumbnail: sha256.nullable(),
  mediaType: short(60),
  width: z.number().int().min(0).nullable(),
  height: z.number().int().min(0).nullable(),
  dpi: z.number().int().min(0).nullable(),
  quality: z.array(qualityFlag).max(6),
  source: short(300),
  replaces: uuid.optional(),
});

const documents = z.array(z.object({ kind: short(80), pages: z.number().int().min(0) })).max(100);
const starts = { starts: startedDeadlinesSchema.optional() };
const calculation = z
  .object({
    eligible: z.boolean(),
    monthlyAmountTiyn: z.number().int(),
    explanation: z.object({ perCapitaTiyn: z.number().int() }).passthrough(),
  })
  .passthrough();
const names = z.array(short(150)).max(15);

/** One blob the Center's request sends: a page (with its signature), an information-system answer, the application, a form. */
const requestItem = z.object({
  kind: z.enum(['page', 'is_answer', 'application', 'form']),
  ref: short(80),
  documentKind: short(80).optional(),
  blob: sha256,
  signature: sha256.optional(),
});
const centerRequest = z.object({
  district: short(20),
  /** The manifest (canonical JSON of the items) and its detached CMS by the Center specialist (acts.ts 'center.request'). */
  act: sha256,
  actSignature: sha256,
  items: z.array(requestItem).min(1).max(2000),
  ...starts,
});
/** A document the district found missing or unfit (item 13 kind, and what is wrong with it). */
const missingItem = z.object({ documentKind: short(80), note: short(300) });

export const PAYLOADS = {
  'intake.registered': intakeRegistered,
  'center.intake_registered': intakeRegistered,
  // The applicant's name and birth date as this application declares them; the case's header (the
  // lists, the search, the case view) follows them. Earlier events do not carry it and leave the header as it was.
  'application.recorded': z.object({ application: applicationPayloadSchema, applicant: z.object({ surname: short(100), givenName: short(100), patronymic: short(100), birthDate: day }).optional() }),
  'page.captured': pageCaptured,
  'page.removed': z.object({ pageId: uuid }),
  'pages.reordered': z.object({ documentKind: short(80), order: z.array(uuid).min(1).max(1000) }),
  'originals.returned': z.object({ pages: z.number().int().min(1) }),
  'form.issued': z.object({ ...formFields, expectedDecision: day.optional(), documents: documents.optional() }),
  'is.requested': z.object({ requestId: uuid, ...starts }),
  'is.requested_again': z.object({ requestId: uuid, previous: uuid }),
  'is.requested_at_center': z.object({ requestId: uuid, previous: uuid.optional() }),
  // Since sync: the gateway's signature of the answer travels with it (another workstation verifies it too).
  'is.all_confirmed': z.object({ requestId: uuid, answer: sha256, answerSignature: sha256.optional(), ...starts }),
  'is.mismatch_notified': z.object({ ...formFields, requestId: uuid, answer: sha256, answerSignature: sha256.optional(), ...starts }),
  'originals.brought': z.object({ consent: z.literal(true), ...starts }),
  'acceptance.refused': z.object({ ...formFields, grounds: z.array(refusalGround).min(1), ...starts }),
  'journal.registered': z.object({ journalNumber: short(60), documents, flagsReviewed: z.array(uuid).max(500), officeCode: short(20).optional(), ...starts }),
  'commission.referred': z.object({ ...formFields, precinct: short(20), reason: short(40), due: day, ...starts }),
  // The act is printed and certified: the event carries the act's form (commission_act), and a
  // form.issued record beside it the conclusion's (commission_conclusion). Earlier events carry neither.
  'commission.concluded': z.object({ act: z.object({ date: day, membersPresent: names }).passthrough(), conclusion: z.object({ needs: z.boolean(), grounds: short(1000), members: names }), onPapersBehalf: z.boolean(), paperPages: z.array(uuid).max(100), ...optionalForm, ...starts }),
  'commission.act_reused': z.object({ previous: z.object({ caseId: uuid, caseNumber: short(60), eventSeq: z.number().int().min(1) }), reason: short(60), ...starts }),
  'decision.drafted': z.object({ outcome: z.enum(['assign', 'refuse']), refusalGrounds: z.array(refusalGround).max(6), note: short(1000), calculation, drafter: z.object({ name: short(300), iin: signerIin }), ...starts }),
  'decision.returned': z.object({ comment: short(1000), ...starts }),
  'decision.signed': z.object({
    ...formFields,
    decisionNumber: short(60),
    draftSeq: z.number().int().min(1),
    decision: z.object({ outcome: z.enum(['assign', 'refuse']), refusalGrounds: z.array(refusalGround).max(6) }),
    monthlyAmountTiyn: z.number().int().min(0),
    period: z.object({ from: day, to: day }).nullable(),
    /** Since the catalogue: the per-capita income the journal prints (before, read from the draft). */
    perCapitaTiyn: z.number().int().optional(),
    checklist: z.object({ documentsMatchPaper: z.literal(true), qualityFlagsResolved: z.literal(true), calculationMatches: z.literal(true) }).passthrough(),
    ...starts,
  }),
  'decision.corrected': z.object({ corrects: z.number().int().min(1), correction: short(1000), reason: short(1000) }),
  'notification.issued': z.object({ ...formFields, decisionNumber: short(60) }),
  'notification.delivered': z.object({ method: z.enum(['in_person', 'post']), handedTo: short(150).optional(), postalNumber: short(40).optional(), on: day, ...starts }),
  'notification.passed_to_center': z.object({ method: z.literal('center'), on: day, ...starts }),
  'refusal.returned_to_center': z.object({ method: z.literal('center'), on: day, ...starts }),
  // Item 11.2 stage 5: handed over against the Center's receipt (қолхат), with the handover record.
  'center.notification_handed_over': z.object({ on: day, ...optionalForm, receiptCode: formFields.verificationCode.optional(), handedTo: short(150).optional(), ...starts }),
  // Item 11.2 stage 2: the electronic request, one act naming every blob it sends by hash (the manifest, a blob
  // itself, certified by the Center specialist's detached CMS), addressed to the district that serves the Center.
  'center.request_sent': centerRequest,
  // Item 11.2 stage 3: the corrected request names the notice it answers and the pages added since it.
  'center.request_resent': centerRequest.extend({ answers: z.number().int().min(1), added: z.array(uuid).min(1).max(500) }),
  // Item 11.2 stage 3 (Appendix 4): the missing-document notice, signed, with what is missing and the Center's deadline.
  'center.returned_incomplete': z.object({ ...formFields, form: z.literal('missing_documents'), request: z.number().int().min(1), missing: z.array(missingItem).min(1).max(30), due: day, ...starts }),
  // Item 11.2 stage 4: every page and its signature checked, the item 13 checklist complete.
  'center.package_accepted': z.object({ request: z.number().int().min(1), pagesChecked: z.number().int().min(1).max(100_000), checklist: z.literal(true), ...starts }),
  // Conflicts of sync. The resolution names the losing acts by their hashes: they stay in the log, signed,
  // out of the case's line; a redone act is a new signed act beside this record.
  'conflict.resolved': z.object({ conflictId: uuid, resolution: z.enum(['redone', 'withdrawn', 'closed_as_duplicate']), losing: z.array(sha256).min(1).max(50), note: short(1000) }),
  'case.closed_as_duplicate': z.object({ conflictId: uuid, kept: z.object({ caseId: uuid, caseNumber: short(60) }), note: short(1000), ...starts }),
} as const;

export type EventType = keyof typeof PAYLOADS;
export type PayloadOf<T extends EventType> = z.infer<(typeof PAYLOADS)[T]>;

/** What is wrong with an event's payload text: not a type of the catalogue, or not its schema's (`path`: where). */
export type PayloadProblem = { code: 'event.unknown_type'; params: { type: string } } | { code: 'event.payload_invalid'; params: { type: string; path: string } };

/**
 * The one place an event's payload text is read: JSON (a text that is not, or is null, is refused like any other
 * payload that is not its schema's), then the catalogue's schema. Everything that takes an event from elsewhere
 * (the commit path by projection, the server at push, a workstation at pull, Verify case) judges it here.
 * `value` is the JSON as written (what was signed), not the schema's output.
 */
export function checkPayload(type: string, text: string): { ok: true; value: unknown; parsed: unknown } | ({ ok: false } & PayloadProblem) {
  if (!Object.prototype.hasOwnProperty.call(PAYLOADS, type)) return { ok: false, code: 'event.unknown_type', params: { type } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'event.payload_invalid', params: { type, path: '' } };
  }
  const parsed = PAYLOADS[type as EventType].safeParse(value);
  if (!parsed.success) return { ok: false, code: 'event.payload_invalid', params: { type, path: parsed.error.issues[0]?.path.join('.') ?? '' } };
  return { ok: true, value, parsed: parsed.data };
}

/** An event's payload as written (JSON) when it is its schema's, else null: for what only looks (the blobs it names). */
export function payloadIfValid(type: string, text: string): unknown {
  const checked = checkPayload(type, text);
  return checked.ok ? checked.value : null;
}

/** An event's payload read back through its schema: validated, typed, never a bare cast. */
export function readPayload<T extends EventType>(type: T, payload: string): PayloadOf<T> {
  const checked = checkPayload(type, payload);
  if (!checked.ok) throw new DomainError(checked.code, 'event', checked.params);
  return checked.parsed as PayloadOf<T>;
}
