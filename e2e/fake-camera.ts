/**
 * A camera for the browser: Chromium's fake capture device plays a Y4M file, opened when a page starts the camera
 * (so the file may be written after the browser starts). A QR code is shown to it as a person would hold a paper
 * up to a webcam: the code's text drawn again as a QR code on a white card filling the picture.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { renderPdf } from '../electron/services/forms/pdf';

/** One file per worker process: the browser this worker launches plays it. */
export const CAMERA_FILE = path.join(os.tmpdir(), `jardem-camera-${process.pid}.y4m`);

/** Launch options that give the browser the fake camera and grant it without a prompt. */
export function withFakeCamera(args: readonly string[]): string[] {
  return [...args, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CAMERA_FILE}`];
}

/** A camera's picture of a QR code of `text` held up on a white card: 640×480 grey levels. */
export async function cardFrame(text: string): Promise<{ grey: Buffer; width: number; height: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-cam-'));
  try {
    writeFileSync(path.join(dir, 'code.pdf'), await renderPdf({ pageSize: 'A6', content: [{ qr: text, fit: 200 }] }));
    const r = spawnSync('pdftoppm', ['-r', '150', '-png', '-singlefile', path.join(dir, 'code.pdf'), path.join(dir, 'code')]);
    if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
    const width = 640;
    const height = 480;
    // The paper's white around the code: a quarter of its width each side (a QR code's quiet zone is 4 modules).
    const code = sharp(readFileSync(path.join(dir, 'code.png'))).greyscale().trim();
    const side = Math.round(((await code.clone().toBuffer({ resolveWithObject: true })).info.width ?? 200) / 4);
    const card = await code.extend({ top: side, bottom: side, left: side, right: side, background: '#ffffff' }).toBuffer();
    const grey = await sharp(card).resize(width, height, { fit: 'contain', background: '#ffffff' }).greyscale().raw().toBuffer();
    return { grey, width, height };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The camera sees a QR code of `text` (640×480, a few frames, looped by Chromium). */
export async function showToCamera(text: string): Promise<void> {
  const { grey, width, height } = await cardFrame(text);
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), grey, chroma, chroma]);
  writeFileSync(CAMERA_FILE, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
}
