/** The Verify a document screen's service: the dropped file's QR code read and checked (check.ts), nothing kept. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FormVerification } from '../../../shared/contract/areas/paper';
import type { ServicesContext } from '../context';
import { verifyFormCode } from './check';
import { isPdf, qrTextsOf } from './decode';

export async function verifyPaper(ctx: ServicesContext, input: { base64: string; p7sBase64?: string }): Promise<FormVerification> {
  const bytes = Buffer.from(input.base64, 'base64');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-paper-'));
  try {
    const file = path.join(dir, 'paper');
    writeFileSync(file, bytes, { mode: 0o600 });
    let texts: string[] = [];
    try {
      texts = await qrTextsOf(file);
    } catch {
      // Not an image sharp reads, nor a PDF poppler renders: no QR code in it.
    }
    const none: FormVerification = { verdict: 'no_qr', caseNumber: null, verificationCode: null, form: null, issuedAt: null, signer: null, signingTime: null, signatureErrors: [], supersededBy: null, sameAsIssued: null, detached: null };
    if (texts.length === 0) return none;
    return verifyFormCode(ctx, texts[0]!, isPdf(bytes) ? { pdf: bytes, ...(input.p7sBase64 ? { p7s: Buffer.from(input.p7sBase64, 'base64') } : {}) } : {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
