/**
 * The QR code of a printed form, read from a file: an image (a scan or a photo), or a PDF whose pages poppler's
 * `pdftoppm` renders first. Decoded with ZXing's C++ reader compiled to WebAssembly (zxing-wasm, the same reader as
 * the camera's) on the image's pixels (sharp), and with ZBar's zbarimg where the machine has it, for what it misses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { appRoot } from '../paths';

/** Pages of a PDF looked at (a form's QR code is on its first page; a scan of several forms may hold more). */
const MAX_PAGES = 5;
/** Resolutions tried in turn: a code too small at one may be read at another. */
const DPIS = [300, 200, 150];

// The reader's WebAssembly from the installed package, read once at the first paper; never fetched.
let reader: Promise<unknown> | null = null;
function readerReady(): Promise<unknown> {
  if (reader) return reader;
  const wasm = readFileSync(path.join(appRoot(), 'node_modules', 'zxing-wasm', 'dist', 'reader', 'zxing_reader.wasm'));
  return (reader = prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true }));
}

async function decodeImage(bytes: Buffer): Promise<string | null> {
  await readerReady();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, colorSpace: 'srgb' } as ImageData;
  const [found] = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  return found?.isValid ? found.text : null;
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
