/** Is a printed form genuine: its QR code read from a scan, a photo or the PDF, checked offline (before sign-in too). */
import { z } from 'zod';
import { method } from '../method-def';

/**
 * pdf_not_signed, pdf_changed, pdf_not_issued: the QR code names a genuine form, but the dropped PDF is not that form
 * as signed (no signature inside; changed after signing; signed, but other bytes than the issued copy).
 */
export type FormVerdict = 'genuine' | 'unknown_code' | 'other_office' | 'not_jardem' | 'no_qr' | 'stored_copy_damaged' | 'signature_invalid' | 'signer_revoked' | 'pdf_not_signed' | 'pdf_changed' | 'pdf_not_issued';

/** The signature inside a dropped PDF (PAdES) on this trust store. */
export interface InsideSignature {
  present: boolean;
  valid: boolean;
  signer: { iin: string; name: string; role: string | null } | null;
  /** The time the signature dictionary claims (/M). */
  signingTime: string | null;
  /** The verifier's errors, and changed_after_signing (bytes after the signed range), signature_damaged. */
  errors: string[];
}

/** A later signed act of the case that makes the form no longer current (shared/domain/superseding.ts). */
export interface SupersedingActInfo {
  type: string;
  at: string;
  signer: { iin: string; name: string; role: string };
  source: string;
}

export interface FormVerification {
  verdict: FormVerdict;
  caseNumber: string | null;
  verificationCode: string | null;
  form: string | null;
  issuedAt: string | null;
  signer: { iin: string; name: string; role: string | null } | null;
  signingTime: string | null;
  signatureErrors: string[];
  /** A later copy of the same form issued for the case (the paper in hand is not the last word). */
  supersededBy: { issuedAt: string; verificationCode: string } | null;
  /** The dropped PDF compared with the stored copy (null: an image was given). */
  sameAsIssued: boolean | null;
  /** A detached signature given with the PDF, on this trust store. */
  detached: { valid: boolean; errors: string[] } | null;
  /** The signature inside the dropped PDF (null: an image was given). */
  inside: InsideSignature | null;
  /** The later signed act that makes the form no longer current, if any. */
  supersededByAct: SupersedingActInfo | null;
}

/** A scan or a PDF of at most 25 MB, as base64 (the pages' own limit). */
const file = z.string().min(1).max(35_000_000);
export const paperVerifyInput = z.object({ fileName: z.string().min(1).max(260), base64: file, p7sBase64: z.string().max(1_000_000).optional() }).strict();

export const paperScanInput = z.object({}).strict();

/** The text of a form's QR code, read by the Verify a document screen from a camera (a form's code is short). */
export const paperVerifyCodeInput = z.object({ qr: z.string().min(1).max(2000) }).strict();

export const paperMethods = {
  'paper.verify': method<FormVerification>()({
    input: paperVerifyInput,
    // An auditor or an applicant at the counter checks a paper without an account here.
    access: 'public',
    summary: 'Check a printed form by its QR code (a scan, a photo or the PDF, with its .p7s if given), offline',
  }),
  'paper.scan': method<FormVerification>()({
    input: paperScanInput,
    // The same public check, the page taken from the workstation's scanner; nothing is stored.
    access: 'public',
    summary: 'Scan a page with the workstation scanner and check the printed form by its QR code, offline',
  }),
  'paper.verifyCode': method<FormVerification>()({
    input: paperVerifyCodeInput,
    // The same public check, the code read from a camera by the screen itself; nothing is stored.
    access: 'public',
    summary: 'Check a printed form by the text of its QR code, read from a camera, offline',
  }),
} as const;
