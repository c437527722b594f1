/** Is a printed form genuine: its QR code read from a scan, a photo or the PDF, checked offline (before sign-in too). */
import { z } from 'zod';
import { method } from '../method-def';

export type FormVerdict = 'genuine' | 'unknown_code' | 'other_office' | 'not_jardem' | 'no_qr' | 'stored_copy_damaged' | 'signature_invalid' | 'signer_revoked';

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
}

/** A scan or a PDF of at most 25 MB, as base64 (the pages' own limit). */
const file = z.string().min(1).max(35_000_000);
export const paperVerifyInput = z.object({ fileName: z.string().min(1).max(260), base64: file, p7sBase64: z.string().max(1_000_000).optional() }).strict();

export const paperMethods = {
  'paper.verify': method<FormVerification>()({
    input: paperVerifyInput,
    // An auditor or an applicant at the counter checks a paper without an account here.
    access: 'public',
    summary: 'Check a printed form by its QR code (a scan, a photo or the PDF, with its .p7s if given), offline',
  }),
} as const;
