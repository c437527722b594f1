/**
 * The camera's frames decoded off the screen's thread: a 960-pixel frame takes milliseconds to tens of them, four
 * times a second, while the person types or scrolls. The reader's WebAssembly is the app's own file (the renderer's
 * policy lets WebAssembly compile, nothing else be evaluated), fetched once when the camera starts.
 */
import { prepareZXingModule } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { decodeFrame } from './qr-frame';

export interface FrameToRead {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

/** A frame's code (null: none in it), or why the reader could not start. */
export type FrameRead = { text: string | null } | { failed: string };

const ready = fetch(wasmUrl)
  .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${wasmUrl}: ${r.status}`))))
  .then((wasmBinary) => prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true }));

const scope = self as unknown as { onmessage: ((e: MessageEvent<FrameToRead>) => void) | null; postMessage: (read: FrameRead) => void };
scope.onmessage = (e) => {
  ready
    .then(() => decodeFrame(e.data.rgba, e.data.width, e.data.height))
    .then((text) => scope.postMessage({ text }))
    .catch((err: unknown) => scope.postMessage({ failed: err instanceof Error ? err.message : String(err) }));
};
