/**
 * The Verify a document screen's camera reader decodes a frame as a canvas gives it (RGBA): a printed form's code,
 * drawn by pdfmake and rendered by poppler, read back on a camera-sized frame with a tinted, uneven background; a
 * frame with no code gives null.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../electron/services/forms/pdf';
import { decodeFrame } from '../renderer/src/components/qr-frame';
import { tempDir } from './helpers';

const tmp = tempDir('camera-frame');
afterAll(() => tmp.remove());

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

describe('a camera frame', () => {
  it('gives the printed code’s text, and null where there is none', async () => {
    const code = 'JARDEM:AUE-W1-2026-000123:MS852GC64F';
    const f = await frameOf([{ text: 'Қолхат / Расписка' }, { qr: code, fit: 140 }]);
    expect(decodeFrame(f.data, f.width, f.height)).toBe(code);
    const blank = await frameOf([{ text: 'Без кода' }]);
    expect(decodeFrame(blank.data, blank.width, blank.height)).toBeNull();
  });
});
