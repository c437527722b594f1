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
import { receiptDefinition, type ReceiptData } from './receipt';


/** Ten characters from an alphabet without look-alikes (no 0/O, 1/I): read aloud or typed from the paper. */
function verificationCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
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

/**
 * Renders, certifies and stores a form, named by one signed event: a form.issued record, or the workflow step
 * `act` that carries the form in its payload. The step's guards are checked first, before anything is rendered
 * or signed; the event is committed on the version of the case it was decided on.
 */
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
  const now = opts.now ?? ctx.now();
  const planned = planAct(ctx, session, p, { type: act?.type ?? 'form.issued', payload: {}, guards: act?.guards }, now);
  const sign = signerFor(ctx, session, FORM_ACTS[form]);
  const pdf = await renderPdf(definition);
  const p7s = sign(pdf);
  const blob = writeBlobFile(ctx.dataDir, pdf);
  const signature = writeBlobFile(ctx.dataDir, p7s);
  const at = now.toISOString();
  const payload = { form, blob, signature, verificationCode, ...extra, ...planned.payload };
  const after = commitActs(ctx, session, p.case.id, p, [{ type: planned.type, payload }], sign, {
    planned: true,
    now,
    before: () => {
      recordBlob(ctx.db, blob, 'application/pdf', pdf.length, at);
      recordBlob(ctx.db, signature, 'application/pkcs7-signature', p7s.length, at);
      opts.before?.();
    },
  });
  return { form, verificationCode, pdfBase64: pdf.toString('base64'), p7sBase64: p7s.toString('base64'), after };
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
      };
      const { after: _after, ...issued } = await issueForm(ctx, session, p, form, receiptDefinition(data), f.base.verificationCode, { expectedDecision: expected, documents }, undefined, { now: f.now });
      return issued;
    },

    /**
     * The last issued copy of a form, exactly as certified (reprint; the command line's render). Both files are
     * re-hashed first: a changed copy is refused, named, and never printed (issue 14 point 1).
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
