/**
 * Issuing and reprinting the printed forms. A form is rendered once, certified with the signer's ECP (detached
 * CMS over the PDF's bytes), stored as a blob and named by a signed case event; a reprint gives the same
 * certified PDF, never a new one that could differ.
 */
import { randomBytes } from 'node:crypto';
import type { ParsedInputOf } from '../../../shared/contract/methods';
import type { IssuedForm } from '../../../shared/contract/types';
import { AppError } from '../../../shared/errors';
import { dueDate } from '../../../shared/domain/deadlines';
import { TERMINAL_STAGES } from '../../../shared/domain/workflow';
import { formatMessage } from '../../../shared/i18n/messages';
import { officeDate } from '../../../shared/local-date';
import type { FormName } from '../../../shared/forms/texts';
import { readWorkstation } from '../../../db/repositories/settings';
import type { ServicesContext, Session } from '../context';
import { readCertifiedBlob, recordBlob, writeBlobFile } from '../blob-store';
import { signerFor } from '../signing';
import { commitActs, loadCase, planAct, type Act, type CaseProjection } from '../case-acts';
import { documentsReceived } from '../pages';
import { lastDocument } from '../../../db/repositories/documents';
import { FORM_ACTS, receiptForm, roleForAct } from '../../../shared/domain/acts';
import { formatDay, officeDateTime, renderPdf } from './pdf';
import { signPades } from './pades';
import type { EventRow } from '../../../db/repositories/events';
import { verifyDetached } from '../../../node/pki/cms';
import { subjectAttribute } from '../../../node/pki/verdict';
import { receiptDefinition, type ReceiptData } from './receipt';


/** Ten characters from an alphabet without look-alikes (no 0/O, 1/I): read aloud or typed from the paper. */
export function verificationCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The ECP stamp of an earlier signed act, read from its event's own signature: the signer as the certificate names
 * them, the certificate's serial, the time it was signed (Almaty). The decision prints the draft's beside its own.
 */
export function stampOfEvent(row: Pick<EventRow, 'signature' | 'at'>): { signer: string; serial: string; time: string } {
  const cert = row.signature ? verifyDetached(Buffer.alloc(0), row.signature).signerCertificate : null;
  const { date, time } = officeDateTime(new Date(row.at));
  return { signer: cert ? subjectAttribute(cert.subject, 'CN') : '—', serial: cert ? cert.serialNumber : '—', time: `${date} ${time}` };
}

/** The name of the signed-in Center specialist's Center, in the form's language (else as their certificate names it). */
function centerName(ctx: ServicesContext, session: Session, language: 'kk' | 'ru'): string {
  const center = readWorkstation(ctx.db)?.centers?.find((x) => x.bin === session.identity.officeBin);
  return (center && (language === 'ru' ? center.nameRu : center.nameKk)) || session.identity.office;
}

/** What every printed form shares: the case, the office's name in the applicant's language, the signer's stamp. */
export function formContext(ctx: ServicesContext, session: Session, p: CaseProjection) {
  const c = p.case;
  const workstation = readWorkstation(ctx.db);
  const now = ctx.now();
  const { date, time } = officeDateTime(now);
  const me = session.identity;
  return {
    case: c,
    now,
    date,
    time,
    base: {
      language: c.docLanguage,
      officeName: (c.docLanguage === 'ru' ? workstation?.officeNameRu : undefined) ?? workstation?.officeName ?? me.office,
      caseNumber: c.caseNumber,
      date,
      applicant: { name: [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' '), iin: c.applicantIin, address: c.address },
      verificationCode: verificationCode(),
      stamp: { signer: `${me.surname} ${me.givenName}`.trim(), serial: me.certificateSerial, time: `${date} ${time}` },
    },
  };
}

/** One form to issue: its layout, its QR code, what its event records, and the workflow step it makes (if any). */
export interface FormToIssue {
  form: FormName;
  definition: Record<string, unknown>;
  verificationCode: string;
  extra: Record<string, unknown>;
  /** The workflow step that carries the form (only the first form of a batch may be a step); else a form.issued record. */
  act?: Omit<Act, 'payload'>;
}

/**
 * Renders, certifies and stores forms, each named by one signed event: a form.issued record, or the workflow step
 * `act` that carries the form in its payload. The step's guards are checked first, before anything is rendered or
 * signed; the key is taken once for the batch; the events are committed together, on the version of the case
 * they were decided on. Each PDF is signed inside (PAdES, pades.ts) and the detached .p7s signs that final PDF,
 * which is what is stored, printed and reprinted.
 */
export async function issueForms(
  ctx: ServicesContext,
  session: Session,
  p: CaseProjection,
  forms: readonly FormToIssue[],
  opts: { now?: Date; before?: () => void } = {},
): Promise<{ issued: IssuedForm[]; after: CaseProjection }> {
  const now = opts.now ?? ctx.now();
  if (forms.slice(1).some((f) => f.act)) throw new Error('only the first form of a batch may be a workflow step');
  const planned = forms.map((f) => planAct(ctx, session, p, { type: f.act?.type ?? 'form.issued', payload: {}, guards: f.act?.guards }, now));
  // Every form's act is the signer's to certify, before the key is taken (shared/domain/acts.ts).
  for (const f of forms) if (!roleForAct(session.identity.roles, FORM_ACTS[f.form])) throw new AppError('ecp.role_not_allowed', { act: FORM_ACTS[f.form], role: session.identity.role });
  const sign = signerFor(ctx, session, FORM_ACTS[forms[0]!.form]);
  const me = session.identity;
  const caseNumber = p.case.caseNumber;
  const rendered: { f: FormToIssue; pdf: Buffer; p7s: Buffer; blob: string; signature: string }[] = [];
  for (const f of forms) {
    const pdf = await signPades(await renderPdf(f.definition), sign, { name: `IIN${me.iin}`, reason: `Jardem ${f.form} ${caseNumber}`, location: 'Almaty, KZ', signingTime: now });
    const p7s = sign(pdf);
    rendered.push({ f, pdf, p7s, blob: writeBlobFile(ctx.dataDir, pdf), signature: writeBlobFile(ctx.dataDir, p7s) });
  }
  const at = now.toISOString();
  const acts = rendered.map((r, i) => ({ type: planned[i]!.type, payload: { form: r.f.form, blob: r.blob, signature: r.signature, verificationCode: r.f.verificationCode, ...r.f.extra, ...planned[i]!.payload } }));
  const after = commitActs(ctx, session, p.case.id, p, acts, sign, {
    planned: true,
    now,
    before: () => {
      for (const r of rendered) {
        recordBlob(ctx.db, r.blob, 'application/pdf', r.pdf.length, at);
        recordBlob(ctx.db, r.signature, 'application/pkcs7-signature', r.p7s.length, at);
      }
      opts.before?.();
    },
  });
  const issued = rendered.map((r) => ({ form: r.f.form, verificationCode: r.f.verificationCode, pdfBase64: r.pdf.toString('base64'), p7sBase64: r.p7s.toString('base64') }));
  return { issued, after };
}

/** One form (see issueForms). */
export async function issueForm(
  ctx: ServicesContext,
  session: Session,
  p: CaseProjection,
  form: FormName,
  definition: Record<string, unknown>,
  verificationCode: string,
  extra: Record<string, unknown>,
  act?: Omit<Act, 'payload'>,
  opts: { now?: Date; before?: () => void } = {},
): Promise<IssuedForm & { after: CaseProjection }> {
  const { issued, after } = await issueForms(ctx, session, p, [{ form, definition, verificationCode, extra, act }], opts);
  return { ...issued[0]!, after };
}

export function formServices(ctx: ServicesContext) {
  return {
    /** The receipt for the applicant: the district's tear-off receipt, or the Center's қолхат. */
    async issueReceipt(session: Session, input: ParsedInputOf<'forms.issueReceipt'>): Promise<IssuedForm> {
      const p = loadCase(ctx, input.caseId);
      const f = formContext(ctx, session, p);
      const c = f.case;
      if (TERMINAL_STAGES.includes(c.stage)) throw new AppError('case.closed');
      const form = receiptForm(c.channel, c.stage);
      if (!form) throw new AppError(c.channel === 'district' ? 'is.not_all_confirmed' : 'form.not_now');
      const documents = documentsReceived(p);
      if (documents.length === 0) throw new AppError('form.no_documents');
      if (!roleForAct(session.identity.roles, FORM_ACTS[form])) throw new AppError('ecp.role_not_allowed', { act: FORM_ACTS[form], role: session.identity.role });
      // Item 4.1: 7 working days from the registration of the complete application, counted from today.
      const expected = dueDate('service_total', officeDate(f.now), ctx.calendar());
      const me = session.identity;
      const data: ReceiptData = {
        ...f.base,
        form,
        time: f.time,
        documents: documents.map((d) => ({ label: formatMessage(c.docLanguage, `document.${d.kind}`), pages: d.pages })),
        specialist: `${me.surname} ${me.givenName} ${me.patronymic}`.trim(),
        expectedDecision: formatDay(expected),
        // Item 11.2 stage 1: the Center gives its own receipt, headed with its own name, not the district's.
        ...(form === 'center_receipt' ? { officeName: centerName(ctx, session, c.docLanguage) } : {}),
      };
      const { after: _after, ...issued } = await issueForm(ctx, session, p, form, receiptDefinition(data), f.base.verificationCode, { expectedDecision: expected, documents }, undefined, { now: f.now });
      return issued;
    },

    /**
     * The last issued copy of a form, exactly as certified (reprint; the command line's render). Both files are
     * re-hashed first: a changed copy is refused, named, and never printed.
     */
    reprint(input: ParsedInputOf<'forms.reprint'>): IssuedForm {
      const found = lastDocument(ctx.db, input.caseId, input.form);
      if (!found) throw new AppError('form.not_issued');
      const pdf = readCertifiedBlob(ctx.dataDir, found.blob_sha256, { form: input.form });
      const p7s = readCertifiedBlob(ctx.dataDir, found.signature_sha256, { form: input.form });
      return { form: input.form, verificationCode: found.verification_code, pdfBase64: pdf.toString('base64'), p7sBase64: p7s.toString('base64') };
    },
  };
}
