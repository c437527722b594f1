/**
 * Verify a document before signing in, as an auditor at the counter would: a printed paper's PDF with a QR code
 * dropped on the sign-in screen. A code this office never issued is "no such document"; another office's paper says
 * so; a file with no QR code says that. (The genuine form, printed and scanned, is tests/verify-form.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderPdf } from '../electron/services/forms/pdf';
import { expect, test, useRussian } from './fixtures';

test('a paper is checked on the sign-in screen: unknown code, another office, no QR code', async ({ page, host }) => {
  test.setTimeout(120_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-paper-'));
  try {
    const paper = async (name: string, content: Record<string, unknown>[]) => {
      const file = path.join(tmp, name);
      writeFileSync(file, await renderPdf({ content }));
      return file;
    };
    const unknown = await paper('unknown.pdf', [{ text: 'Қолхат' }, { qr: 'JARDEM:AUE-W1-2026-000777:ABCD2345', fit: 84 }]);
    const other = await paper('other.pdf', [{ text: 'Қолхат' }, { qr: 'JARDEM:BOS-W1-2026-000001:ABCD2345', fit: 84 }]);
    const none = await paper('none.pdf', [{ text: 'Без кода' }]);

    await page.goto(host.url);
    await useRussian(page);
    const drop = page.getByTestId('verify-document').locator('input[type=file]');
    await drop.setInputFiles(unknown);
    await expect(page.getByTestId('verify-result')).toHaveText('Такого документа нет: номер дела или код проверки не найдены', { timeout: 60_000 });
    await drop.setInputFiles(other);
    await expect(page.getByTestId('verify-result')).toHaveText('Документ выдан другим отделом (дело BOS-W1-2026-000001): здесь его проверить нельзя', { timeout: 60_000 });
    await drop.setInputFiles(none);
    await expect(page.getByTestId('verify-result')).toHaveText('QR-код не найден в файле', { timeout: 60_000 });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
