/**
 * What a counter specialist needs to know about a page before the original goes back to the applicant: is it
 * readable? Each page gets flags for a resolution below the office minimum, a blank page, blur, and a page too
 * dark or too light. The head sees the same flags later.
 *
 * The thresholds are office settings, not legal rules; the defaults were calibrated on SANE's test scanner
 * pictures and on the same pictures blurred (bench and tests/page-quality.test.ts).
 */
import type SharpModule from 'sharp';

// libvips is loaded at the first page, not when the services start (it adds ~200 ms and ~30 MB to a cold start).
let sharpModule: Promise<typeof SharpModule> | null = null;
const loadSharp = () => (sharpModule ??= import('sharp').then((m) => (m as { default: typeof SharpModule }).default ?? (m as unknown as typeof SharpModule)));
import { AppError } from '../../../shared/errors';

export const QUALITY_DEFAULTS = {
  /** Office minimum resolution (default 200 dpi). */
  minDpi: 200,
  /** Grey-level spread below which a page holds nothing (a blank sheet, or the scanner lid). */
  blankStdev: 4,
  /** Mean grey level below which a page is too dark to read (documents are mostly white paper). */
  darkMean: 60,
  /** A page this light with this little contrast is faded. */
  lightMean: 235,
  lightContrast: 60,
  /**
   * Sharpness: the 99.9th percentile of the Laplacian's magnitude over the page's contrast. A step edge gives
   * about 1; a Gaussian blur of 2 px gives 0.12–0.23; a bilinear 2.6× upscale still gives 0.31.
   */
  blurRatio: 0.25,
} as const;

export type QualityFlag = 'low_resolution' | 'blank' | 'blurred' | 'too_dark' | 'too_light' | 'not_checked';

export const PAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/tiff', 'application/pdf'] as const;
export type PageMediaType = (typeof PAGE_MEDIA_TYPES)[number];

/** The kind of file from its first bytes: never from its name, which a person can get wrong. */
export function sniffMediaType(bytes: Buffer): PageMediaType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const head4 = bytes.subarray(0, 4).toString('latin1');
  if (head4 === 'II*\u0000' || head4 === 'MM\u0000*') return 'image/tiff';
  if (bytes.subarray(0, 1024).toString('latin1').includes('%PDF-')) return 'application/pdf';
  return null;
}

export interface InspectedImage {
  width: number;
  height: number;
  /** From the file, or the scanner's setting, or estimated from the A4 short side (8.27 in). */
  dpi: number;
  flags: QualityFlag[];
  measures: { mean: number; stdev: number; contrast: number; sharpness: number };
  thumbnail: Buffer;
}

function percentile(hist: Uint32Array, total: number, p: number): number {
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i]!;
    if (acc >= total * p) return i;
  }
  return hist.length - 1;
}

/** One pass over the grey pixels: the histogram (mean, spread, contrast) and the Laplacian's histogram (sharpness). */
export function measureGrey(data: Uint8Array, width: number, height: number) {
  const grey = new Uint32Array(256);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    grey[v]! += 1;
    sum += v;
    sumSq += v * v;
  }
  const lap = new Uint32Array(1021);
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const v = data[i - 1]! + data[i + 1]! + data[i - width]! + data[i + width]! - 4 * data[i]!;
      lap[v < 0 ? -v : v]! += 1;
      n++;
    }
  }
  const count = Math.max(data.length, 1);
  const mean = sum / count;
  const stdev = Math.sqrt(Math.max(sumSq / count - mean * mean, 0));
  const contrast = percentile(grey, count, 0.99) - percentile(grey, count, 0.01);
  const sharpness = n === 0 ? 0 : percentile(lap, n, 0.999) / Math.max(contrast, 1);
  return { mean, stdev, contrast, sharpness };
}

export function qualityFlags(m: ReturnType<typeof measureGrey>, dpi: number, limits: { minDpi: number } = QUALITY_DEFAULTS): QualityFlag[] {
  const flags: QualityFlag[] = [];
  if (dpi < limits.minDpi) flags.push('low_resolution');
  const blank = m.stdev < QUALITY_DEFAULTS.blankStdev;
  if (blank) flags.push('blank');
  if (m.mean < QUALITY_DEFAULTS.darkMean) flags.push('too_dark');
  else if (!blank && m.mean > QUALITY_DEFAULTS.lightMean && m.contrast < QUALITY_DEFAULTS.lightContrast) flags.push('too_light');
  if (!blank && m.sharpness < QUALITY_DEFAULTS.blurRatio) flags.push('blurred');
  return flags;
}

/** Decodes an image page, measures it and makes its thumbnail. Throws page.unreadable for a broken file. */
export async function inspectImage(
  bytes: Buffer | { raw: Buffer; width: number; height: number; channels: 1 | 3 },
  opts: { minDpi: number; scannerDpi?: number },
): Promise<InspectedImage> {
  const sharp = await loadSharp();
  let raw: { data: Buffer; info: { width: number; height: number } };
  let density: number | undefined;
  try {
    const image = Buffer.isBuffer(bytes) ? sharp(bytes, { failOn: 'error' }) : sharp(bytes.raw, { raw: { width: bytes.width, height: bytes.height, channels: bytes.channels } });
    density = (await image.metadata()).density;
    raw = await image.clone().greyscale().raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw new AppError('page.unreadable');
  }
  const { width, height } = raw.info;
  const dpi = Math.round(opts.scannerDpi ?? density ?? Math.min(width, height) / 8.27);
  const measures = measureGrey(raw.data, width, height);
  // From the grey pixels already decoded: a second decode of the page would double the time.
  const thumbnail = await sharp(raw.data, { raw: { width, height, channels: 1 } }).resize({ width: 240, withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
  return { width, height, dpi, flags: qualityFlags(measures, dpi, opts), measures, thumbnail };
}

/** The page turned a quarter (or half) turn, as a new PNG keeping its resolution. */
export async function rotateImage(bytes: Buffer, degrees: 90 | 180 | 270, dpi: number): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(bytes).rotate(degrees).withMetadata({ density: dpi }).png().toBuffer();
}
