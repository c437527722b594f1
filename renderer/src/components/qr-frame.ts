/**
 * A QR code read from one camera frame (RGBA pixels, as a canvas gives them) with ZXing's C++ reader compiled to
 * WebAssembly (zxing-wasm). The JavaScript port of ZXing missed about one printed code in fifty on a clean frame (its
 * detector took a wrong pattern for a finder, whatever the binarizer or the scale); this reader reads them all.
 * The caller loads the reader's WebAssembly first (`prepareZXingModule`): the worker from the app's own files,
 * never from the network.
 */
import { readBarcodes } from 'zxing-wasm/reader';

/** The code's text, or null when the frame holds none the reader can read. */
export async function decodeFrame(rgba: Uint8ClampedArray, width: number, height: number): Promise<string | null> {
  const frame = { data: rgba, width, height, colorSpace: 'srgb' } as ImageData;
  const [found] = await readBarcodes(frame, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  return found?.isValid ? found.text : null;
}
