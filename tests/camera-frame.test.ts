/**
 * The Verify a document screen's camera reader decodes a frame as a canvas gives it (RGBA): a printed form's code,
 * drawn by pdfmake and rendered by poppler, read back on a camera-sized frame with a tinted, uneven background; a
 * frame with no code gives null. Codes that ZXing's JavaScript port could not read on the end-to-end test's fake
 * camera (its detector took a wrong pattern for a finder: about one code in fifty, whatever the binarizer) are read.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { prepareZXingModule } from 'zxing-wasm/reader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../electron/services/forms/pdf';
import { decodeFrame } from '../renderer/src/components/qr-frame';
import { cardFrame } from '../e2e/fake-camera';
import { tempDir } from './helpers';

const tmp = tempDir('camera-frame');
afterAll(() => tmp.remove());
// The renderer's worker loads the same file by its address in the built app.
beforeAll(async () => {
  const wasm = readFileSync(path.resolve('node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
});

async function frameOf(content: Record<string, unknown>[]): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  writeFileSync(path.join(tmp.dir, 'f.pdf'), await renderPdf({ pageSize: 'A6', content }));
  expect(spawnSync('pdftoppm', ['-r', '120', '-png', '-singlefile', path.join(tmp.dir, 'f.pdf'), path.join(tmp.dir, 'f')]).status).toBe(0);
  // A warm, slightly dim picture, as an office webcam sees a white paper.
  const { data, info } = await sharp(readFileSync(path.join(tmp.dir, 'f.png')))
    .resize(640, 480, { fit: 'contain', background: '#e8dcc8' })
    .linear(0.85, 10)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** A grey picture as the canvas gives it: each level in red, green and blue, opaque. */
function rgbaOf(grey: Buffer): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0; i < grey.length; i++) rgba.fill(grey[i]!, i * 4, i * 4 + 3).fill(255, i * 4 + 3, i * 4 + 4);
  return rgba;
}

describe('a camera frame', () => {
  it('gives the printed code’s text, and null where there is none', async () => {
    const code = 'JARDEM:AUE-W1-2026-000123:MS852GC64F';
    const f = await frameOf([{ text: 'Қолхат / Расписка' }, { qr: code, fit: 140 }]);
    expect(await decodeFrame(f.data, f.width, f.height)).toBe(code);
    const blank = await frameOf([{ text: 'Без кода' }]);
    expect(await decodeFrame(blank.data, blank.width, blank.height)).toBeNull();
  });

  it.each(['JARDEM:AUE-W1-2026-000001:B54EW8KDVM', 'JARDEM:AUE-W1-2026-000001:8SPBBMCJMC', 'JARDEM:AUE-W1-2026-000001:PV4N5N3BWN'])(
    'reads %s held up to the camera, which the JavaScript port of ZXing could not',
    async (code) => {
      const { grey, width, height } = await cardFrame(code);
      expect(await decodeFrame(rgbaOf(grey), width, height)).toBe(code);
    },
  );
});
