/** A QR code read from one camera frame (RGBA pixels, as a canvas gives them) with ZXing, on its grey levels. */
import { BinaryBitmap, DecodeHintType, GlobalHistogramBinarizer, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';

/** The code's text, or null when the frame holds none ZXing can read. */
export function decodeFrame(rgba: Uint8ClampedArray, width: number, height: number): string | null {
  const grey = new Uint8ClampedArray(width * height);
  // ITU-R BT.601 weights out of 256.
  for (let i = 0, j = 0; j < grey.length; i += 4, j++) grey[j] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
  const source = new RGBLuminanceSource(grey, width, height);
  // Both of ZXing's binarizers in turn: each misses now and then what the other reads.
  for (const binarizer of [new HybridBinarizer(source), new GlobalHistogramBinarizer(source)]) {
    try {
      return new QRCodeReader().decode(new BinaryBitmap(binarizer), new Map([[DecodeHintType.TRY_HARDER, true]])).getText();
    } catch {
      // Not found with this one.
    }
  }
  return null;
}
