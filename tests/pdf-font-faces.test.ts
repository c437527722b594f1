/**
 * A font face is parsed once per process, not once per PDF: the forms a counter prints all day share it, each PDF
 * still embedding its own subset, and read back whole.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parsedFontFaces, renderPdf } from '../electron/services/forms/pdf';
import { tempDir } from './helpers';

const tmp = tempDir('pdf-font-faces');
afterAll(() => tmp.remove());

const form = (n: number) => ({ content: [{ text: `Өтініш № ${n}`, bold: true }, { text: `Мемлекеттік жәрдемақы: ӘҒҚҢӨҰҮҺІ әғқңөұүһі, заявление ${n}` }] });

it('parses each face once however many PDFs use it, and every PDF reads back with its own text and fonts', async () => {
  await renderPdf(form(0));
  const faces = parsedFontFaces();
  // Regular and medium: the two faces a form uses.
  expect(faces).toBeGreaterThanOrEqual(2);
  for (let n = 1; n <= 3; n++) {
    const file = path.join(tmp.dir, `form-${n}.pdf`);
    writeFileSync(file, await renderPdf(form(n)));
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain(`Өтініш № ${n}`);
    expect(text).toContain(`ӘҒҚҢӨҰҮҺІ әғқңөұүһі, заявление ${n}`);
    expect(spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout).toMatch(/\+Roboto-Medium[\s\S]*\+Roboto-Regular|\+Roboto-Regular[\s\S]*\+Roboto-Medium/);
  }
  expect(parsedFontFaces()).toBe(faces);
});
