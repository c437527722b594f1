/**
 * The camera's frames decoded off the screen's thread: ZXing on a 960-pixel frame, trying both binarizers, takes
 * tens of milliseconds, four times a second, while the person types or scrolls.
 */
import { decodeFrame } from './qr-frame';

export interface FrameToRead {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<FrameToRead>) => void) | null; postMessage: (text: string | null) => void };
scope.onmessage = (e) => scope.postMessage(decodeFrame(e.data.rgba, e.data.width, e.data.height));
