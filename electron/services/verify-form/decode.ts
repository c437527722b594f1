/**
 * The QR code of a printed form, read from a file: an image (a scan or a photo), or a PDF whose pages poppler's
 * `pdftoppm` renders first. Decoded with @zxing/library (a port of ZXing) on the image's grey levels (sharp), and
 * with ZBar's zbarimg where the machine has it, for what the port misses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { BinaryBitmap, DecodeHintType, GlobalHistogramBinarizer, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';

/** Pages of a PDF looked at (a form's QR code is on its first page; a scan of several forms may hold more). */
const MAX_PAGES = 5;
/** Resolutions tried in turn: the detector misses at one what it finds at another. */
const DPIS = [300, 200, 150];

function tryDecode(data: Buffer, width: number, height: number, global: boolean): string | null {
  const source = new RGBLuminanceSource(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height);
  const hints = new Map([[DecodeHintType.TRY_HARDER, true]]);
  try {
    return new QRCodeReader().decode(new BinaryBitmap(global ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source)), hints).getText();
  } catch {
    return null;
  }
}

/**
 * ZXing's detector misses a small code now and then (about one page in five at 150 dpi, by the tests): the image is
 * tried with both binarizers, then enlarged twice (each module then spans more pixels) before giving up.
 */
async function decodeImage(bytes: Buffer): Promise<string | null> {
  for (const scale of [1, 2]) {
    const image = sharp(bytes).greyscale();
    const meta = await sharp(bytes).metadata();
    const sized = scale === 1 ? image : image.resize({ width: (meta.width ?? 0) * scale, kernel: 'nearest' });
    const { data, info } = await sized.raw().toBuffer({ resolveWithObject: true });
    for (const global of [false, true]) {
      const text = tryDecode(data, info.width, info.height, global);
      if (text) return text;
    }
  }
  return null;
}

/** ZBar's `zbarimg`, where the machine has it: it reads some codes ZXing's port misses (null when absent or none). */
function zbar(file: string): string | null {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split('\n')[0]?.trim() || null;
}

/** An image file on disk: ZXing first, ZBar after. */
async function decodeFile(file: string): Promise<string | null> {
  return (await decodeImage(readFileSync(file))) ?? zbar(file);
}

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

/** The texts of the QR codes found (one per page or image); empty when none could be read. */
export async function qrTextsOf(file: string): Promise<string[]> {
  const bytes = readFileSync(file);
  if (!isPdf(bytes)) {
    const text = await decodeFile(file);
    return text ? [text] : [];
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-qr-'));
  try {
    for (const dpi of DPIS) {
      const prefix = path.join(dir, `p${dpi}`);
      const r = spawnSync('pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', String(MAX_PAGES), file, prefix], { encoding: 'utf8' });
      if (r.error || r.status !== 0) throw new Error(`pdftoppm: ${r.error?.message ?? r.stderr}`);
      const texts: string[] = [];
      for (const name of readdirSync(dir).filter((n) => n.startsWith(`p${dpi}`)).sort()) {
        const text = await decodeFile(path.join(dir, name));
        if (text) texts.push(text);
      }
      if (texts.length > 0) return texts;
    }
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
