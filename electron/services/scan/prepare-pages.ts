/**
 * A file or a scan turned into pages ready to store: its kind and size checked, a PDF split one page each, and each
 * page's image inspected for quality (resolution, blank, blurred, too dark or light). Nothing is stored here.
 */
import { AppError } from '../../../shared/errors';
import type { PageQualityFlag } from '../../../shared/contract/types';
import { scannedImageOf, type PageImage } from './pdf-image';
import { inspectImage, QUALITY_DEFAULTS, sniffMediaType, type PageMediaType } from './page-quality';

/** Office limits for one file (default 25 MB, a scan of many pages). */
export const PAGE_LIMITS = { maxFileBytes: 25 * 1024 * 1024, minDpi: QUALITY_DEFAULTS.minDpi } as const;

/** One page ready to store: its bytes and what the check found. */
export interface PreparedPage {
  bytes: Buffer;
  mediaType: PageMediaType;
  width: number | null;
  height: number | null;
  dpi: number | null;
  quality: PageQualityFlag[];
  thumbnail: Buffer | null;
}

/** A PDF split into one-page PDFs, each with its scanned image if it has one. Throws page.pdf_empty or page.file_damaged. */
async function splitPdf(bytes: Buffer, file: string): Promise<{ bytes: Buffer; image: PageImage | null }[]> {
  const { PDFDocument } = await import('pdf-lib');
  // pdf-lib reads a damaged file lazily: the error comes from wherever it first looks ("%PDF-1.4 garbage" failed in getPageCount with a
  // TypeError). Any failure reading the file is the file's, named.
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const count = doc.getPageCount();
    if (count === 0) throw new AppError('page.pdf_empty');
    if (count === 1) return [{ bytes, image: await scannedImageOf(doc.getPage(0)) }];
    const out: { bytes: Buffer; image: PageImage | null }[] = [];
    for (let i = 0; i < count; i++) {
      const one = await PDFDocument.create();
      const [page] = await one.copyPages(doc, [i]);
      one.addPage(page!);
      out.push({ bytes: Buffer.from(await one.save()), image: await scannedImageOf(doc.getPage(i)) });
    }
    return out;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('page.file_damaged', { file });
  }
}

/** Checks one file (kind, size, readability) and turns it into pages. Nothing is stored yet. */
export async function preparePages(bytes: Buffer, scannerDpi?: number, file = ''): Promise<PreparedPage[]> {
  if (bytes.length === 0) throw new AppError('page.empty_file');
  if (bytes.length > PAGE_LIMITS.maxFileBytes) throw new AppError('page.too_large', { mb: Math.round(PAGE_LIMITS.maxFileBytes / 1024 / 1024) });
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) throw new AppError('page.not_image');
  if (mediaType === 'application/pdf') {
    // A PDF page is kept as the file gave it; its scanned image, when it has one, is checked like any scan.
    const pages: PreparedPage[] = [];
    for (const page of await splitPdf(bytes, file)) {
      const inspected = page.image ? await inspectImage('file' in page.image.input ? page.image.input.file : page.image.input, { minDpi: PAGE_LIMITS.minDpi, scannerDpi: page.image.dpi }).catch(() => null) : null;
      pages.push(
        inspected
          ? { bytes: page.bytes, mediaType, width: inspected.width, height: inspected.height, dpi: inspected.dpi, quality: inspected.flags, thumbnail: inspected.thumbnail }
          : { bytes: page.bytes, mediaType, width: null, height: null, dpi: null, quality: ['not_checked'], thumbnail: null },
      );
    }
    return pages;
  }
  const inspected = await inspectImage(bytes, { minDpi: PAGE_LIMITS.minDpi, scannerDpi }).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'page.unreadable' && file ? new AppError('page.unreadable', { file }) : error;
  });
  return [{ bytes, mediaType, width: inspected.width, height: inspected.height, dpi: inspected.dpi, quality: inspected.flags, thumbnail: inspected.thumbnail }];
}
