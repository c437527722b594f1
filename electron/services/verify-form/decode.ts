/**
 * The QR code of a printed form, read from a file: an image (a scan or a photo), or a PDF whose pages poppler's
 * `pdftoppm` renders first. Decoded with @zxing/library (a port of ZXing) on the image's grey levels (sharp).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';

/** Pages of a PDF looked at (a form's QR code is on its first page; a scan of several forms may hold more). */
const MAX_PAGES = 5;
const DPI = 150;

async function decodeImage(bytes: Buffer): Promise<string | null> {
  const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  const source = new RGBLuminanceSource(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  const hints = new Map([[DecodeHintType.TRY_HARDER, true]]);
  try {
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
  } catch {
    return null;
  }
}

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/** The texts of the QR codes found (one per page or image); empty when none could be read. */
export async function qrTextsOf(file: string): Promise<string[]> {
  const bytes = readFileSync(file);
  if (!isPdf(bytes)) {
    const text = await decodeImage(bytes);
    return text ? [text] : [];
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-qr-'));
  try {
    const r = spawnSync('pdftoppm', ['-r', String(DPI), '-png', '-f', '1', '-l', String(MAX_PAGES), file, path.join(dir, 'page')], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`pdftoppm: ${r.error?.message ?? r.stderr}`);
    const texts: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      const text = await decodeImage(readFileSync(path.join(dir, name)));
      if (text) texts.push(text);
    }
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
