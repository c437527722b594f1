import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCase, expect, jardem, registerApplicant, signIn, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

// A tiny white PNG (8×8 at 25 dpi): blank, and far below the office minimum of 200 dpi.
const WHITE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAD0lEQVQImWP4jwMwDC0JALoev0GybL49AAAAAElFTkSuQmCC', 'base64');

test('a specialist scans originals with the SANE test scanner, imports a file, fixes the pages and the case verifies', async ({ page, host, pki }) => {
  // The workstation's scanner: SANE's virtual test scanner, configured without touching /etc.
  const sane = path.join(host.dataDir, 'sane');
  mkdirSync(sane, { recursive: true });
  writeFileSync(path.join(sane, 'dll.conf'), 'test\n');
  copyFileSync('/etc/sane.d/test.conf', path.join(sane, 'test.conf'));
  const settings = { source: 'sane', device: 'test:0', dpi: 200, mode: 'Color', saneConfigDir: sane, testPicture: 'Grid' };
  jardem('scanner', '--data-dir', host.dataDir, '--set', JSON.stringify(settings));

  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы, Әуезов ауданы' });
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  const docs = view.getByTestId('case-documents');
  await expect(docs.getByTestId('scanner-status')).toHaveText('Сканер: test:0');

  // Scan the identity card: two pages, the second with the keyboard.
  await docs.getByRole('button', { name: 'Сканировать (F8)' }).click();
  await expect(docs.getByTestId('page-card')).toHaveCount(1);
  await page.keyboard.press('F8');
  await expect(docs.getByTestId('page-card')).toHaveCount(2);
  const first = docs.getByTestId('page-card').first();
  await expect(first).toContainText('Стр. 1 · 200 dpi');
  await expect(first.getByTestId('page-quality')).toHaveText('качество в норме');
  await expect(first.getByTestId('page-signature')).toContainText('Подписал(а): Сейітқали Әйгерім, ИИН 900512400018');
  await expect(first.getByTestId('page-signature')).toContainText('подпись действительна');

  // A birth certificate from a file: a blank page is flagged for the specialist and, later, the head.
  await docs.getByRole('combobox', { name: 'Документ' }).click();
  await page.getByTitle('Свидетельство о рождении').click();
  await docs.getByTestId('page-file-input').setInputFiles({ name: 'birth.png', mimeType: 'image/png', buffer: WHITE_PNG });
  const birth = docs.getByTestId('page-card').nth(2);
  await expect(birth.getByTestId('page-quality')).toContainText('пустая страница');
  await expect(birth.getByTestId('page-quality')).toContainText('разрешение ниже минимума');

  // A file that is not a document is refused with a clear message, and nothing is added.
  await docs.getByTestId('page-file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByText('Это не изображение и не PDF. Можно: PNG, JPEG, TIFF, PDF')).toBeVisible();
  await expect(docs.getByTestId('page-card')).toHaveCount(3);

  // Fix the identity card: turn page 1, remove page 2 (each a signed act).
  await first.getByRole('button', { name: 'Повернуть на 90°' }).click();
  await expect(docs.getByTestId('page-card').first()).toContainText('Стр. 1');
  await docs.getByTestId('page-card').nth(1).getByRole('button', { name: 'Удалить' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: 'Удалить' }).click();
  await expect(docs.getByTestId('page-card')).toHaveCount(2);

  await view.getByRole('tab', { name: 'История и подписи' }).click();
  await view.getByRole('button', { name: 'Проверить дело' }).click();
  await expect(view.getByTestId('case-verification')).toContainText('Все события целы, цепочка не нарушена, подписи действительны');
  await expect(view.getByText('Страница отсканирована и заверена ЭЦП').first()).toBeVisible();
  await view.getByRole('tab', { name: 'Документы и электронные копии' }).click();
  await docs.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'scanning-ru.png'), fullPage: true });

  await closeCase(page);
  await page.getByText('Қазақша', { exact: true }).click();
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const kk = page.getByRole('dialog', { name: /Іс AUE-W1/ }).getByTestId('case-documents');
  await expect(kk.getByTestId('page-quality').last()).toContainText('бос бет');
  await kk.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'scanning-kk.png'), fullPage: true });
});

test('a scanner that saves files: the folder is watched, the saved page shows up as waiting, F8 takes it', async ({ page, host, pki }) => {
  // Outside the data folder (the services refuse a scanner folder inside it), in the test's own output folder.
  const folder = test.info().outputPath('scanner-out');
  mkdirSync(folder, { recursive: true });
  jardem('scanner', '--data-dir', host.dataDir, '--set', JSON.stringify({ source: 'folder', folder }));
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы' });
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const docs = page.getByRole('dialog', { name: /Дело AUE-W1/ }).getByTestId('case-documents');
  await expect(docs.getByTestId('scanner-waiting')).toHaveText('В папке сканера файлов: 0 — F8 забирает их в выбранный документ');
  // The office scanner saves a page into its folder; the tab notices without a click.
  writeFileSync(path.join(folder, 'scan-0001.png'), WHITE_PNG);
  await expect(docs.getByTestId('scanner-waiting')).toContainText('файлов: 1');
  await page.keyboard.press('F8');
  await expect(docs.getByTestId('page-card')).toHaveCount(1);
  await expect(docs.getByTestId('scanner-waiting')).toContainText('файлов: 0');
});
