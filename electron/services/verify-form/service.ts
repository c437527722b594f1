/**
 * The Verify a document screen's service: the dropped file's or the scanned page's QR code read and checked
 * (check.ts), nothing kept. A PDF is checked by the signature inside it even when it carries no QR code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FormVerification } from '../../../shared/contract/areas/paper';
import { readSetting } from '../../../db/repositories/settings';
import type { ScannerSettings } from '../../../shared/contract/types';
import type { ServicesContext } from '../context';
import { scan } from '../scan/scanner';
import { empty, verifyFormCode } from './check';
import { isPdf, qrTextsOf } from './decode';
import { verifyInsideSignature } from './inside-signature';

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
    const pdf = isPdf(bytes);
    if (texts.length === 0) return { ...empty('no_qr'), inside: pdf ? verifyInsideSignature(bytes, ctx.trust()) : null };
    const v = verifyFormCode(ctx, texts[0]!, pdf ? { pdf: bytes, ...(input.p7sBase64 ? { p7s: Buffer.from(input.p7sBase64, 'base64') } : {}) } : {});
    // A code this office cannot check (unknown, another office's) still has its PDF's own signature to tell.
    return pdf && !v.inside ? { ...v, inside: verifyInsideSignature(bytes, ctx.trust()) } : v;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One page from the workstation's scanner (the intake's scan service), checked as a dropped scan is. */
export async function scanPaper(ctx: ServicesContext): Promise<FormVerification> {
  const [page] = await scan(readSetting<ScannerSettings>(ctx.db, 'scanner') ?? { source: 'none' });
  if (!page) return empty('no_qr');
  const v = await verifyPaper(ctx, { base64: page.bytes.toString('base64') });
  // A folder scanner's first file leaves its folder once read (checked, never stored); the others wait their turn.
  page.taken?.();
  return v;
}
