/**
 * The scanned image inside a PDF page, so a PDF from a scanner or from the applicant gets the same quality check
 * as an image ("Quality check on every page"). A scanner's PDF page is one image over the page: its
 * pixels over the page's size in inches is the resolution. JPEG images (DCTDecode) are read as they are;
 * 8-bit grey or RGB images (FlateDecode, no predictor) are inflated. A page with no such image (a text PDF, or
 * an encoding not read here) is left 'not_checked', and says so.
 */
import { inflateSync } from 'node:zlib';
import type { PDFPage, PDFRawStream as RawStream } from 'pdf-lib';

export interface PageImage {
  /** An image file sharp can read (JPEG), or raw pixels with their layout. */
  input: { file: Buffer } | { raw: Buffer; width: number; height: number; channels: 1 | 3 };
  /** Pixels per inch across the page. */
  dpi: number;
}

export async function scannedImageOf(page: PDFPage): Promise<PageImage | null> {
  const { PDFName, PDFDict, PDFRawStream, PDFNumber, PDFArray } = await import('pdf-lib');
  const xObjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xObjects) return null;
  let best: { stream: RawStream; width: number; height: number } | null = null;
  for (const [, ref] of xObjects.entries()) {
    const stream = page.doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const width = stream.dict.lookupMaybe(PDFName.of('Width'), PDFNumber)?.asNumber() ?? 0;
    const height = stream.dict.lookupMaybe(PDFName.of('Height'), PDFNumber)?.asNumber() ?? 0;
    if (!best || width * height > best.width * best.height) best = { stream, width, height };
  }
  if (!best || best.width === 0 || best.height === 0) return null;
  const dict = best.stream.dict;
  const filter = dict.get(PDFName.of('Filter'));
  const onlyFilter = filter instanceof PDFArray ? (filter.size() === 1 ? filter.get(0) : null) : filter;
  // The longer side of the image over the longer side of the page: a scan turned on the page still measures right.
  const inches = Math.max(page.getWidth(), page.getHeight()) / 72;
  const dpi = Math.round(Math.max(best.width, best.height) / inches);
  const bytes = Buffer.from(best.stream.contents);
  if (onlyFilter === PDFName.of('DCTDecode')) return { input: { file: bytes }, dpi };
  const colorSpace = dict.get(PDFName.of('ColorSpace'));
  const channels = colorSpace === PDFName.of('DeviceGray') ? 1 : colorSpace === PDFName.of('DeviceRGB') ? 3 : null;
  const bits = dict.lookupMaybe(PDFName.of('BitsPerComponent'), PDFNumber)?.asNumber();
  if (onlyFilter === PDFName.of('FlateDecode') && channels && bits === 8 && !dict.get(PDFName.of('DecodeParms'))) {
    try {
      const raw = inflateSync(bytes);
      if (raw.length !== best.width * best.height * channels) return null;
      return { input: { raw, width: best.width, height: best.height, channels }, dpi };
    } catch {
      return null;
    }
  }
  return null;
}
