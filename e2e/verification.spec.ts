import Database from 'better-sqlite3';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCase, expect, registerApplicant, signIn, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
// A tiny white PNG: a page like any other once it is captured and certified.
const WHITE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAD0lEQVQImWP4jwMwDC0JALoev0GybL49AAAAAElFTkSuQmCC', 'base64');

test('Verify case tells in words which record is damaged, when it was made and whom to call; the code stays for support', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы, Әуезов ауданы' });
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  const docs = view.getByTestId('case-documents');
  await docs.getByTestId('page-file-input').setInputFiles({ name: 'application.png', mimeType: 'image/png', buffer: WHITE_PNG });
  await expect(docs.getByTestId('page-card')).toHaveCount(1);

  // Someone with the files changes the scanned page behind Jardem's back.
  const db = new Database(path.join(host.dataDir, 'jardem.sqlite'), { readonly: true });
  const captured = db.prepare("SELECT seq, payload FROM case_events WHERE type = 'page.captured'").get() as { seq: number; payload: string };
  db.close();
  const sha = (JSON.parse(captured.payload) as { blob: string }).blob;
  const file = path.join(host.dataDir, 'blobs', sha.slice(0, 2), sha);
  chmodSync(file, 0o600);
  const bytes = readFileSync(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  writeFileSync(file, bytes);

  await view.getByRole('tab', { name: 'История и подписи' }).click();
  await view.getByRole('button', { name: 'Проверить дело' }).click();
  const alert = view.getByTestId('case-verification');
  await expect(alert).toContainText('Дело не прошло проверку');
  const problem = alert.getByTestId('verification-problem');
  // One sentence for the changed page (its signature's failed content check says nothing more), no raw code in it.
  await expect(problem).toHaveCount(1);
  const sentence = problem.locator('div').first();
  await expect(sentence).toHaveText(
    new RegExp(`^Файл страницы, отсканированной записью № ${captured.seq} «Страница отсканирована и заверена ЭЦП» от \\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d, отсутствует или изменён\\. Обратитесь к администратору отдела: он восстановит файл из резервной копии; если это невозможно, отсканируйте оригинал заново$`),
  );
  await expect(problem.getByTestId('verification-code')).toHaveText(`Код для службы поддержки: page:${captured.seq}:blob_changed_or_missing`);
  // The record it names is there in the History, by its number.
  await expect(view.getByTestId(`event-${captured.seq}`)).toContainText(`№ ${captured.seq}`);
  await alert.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'verification-problem-ru.png') });

  // In Kazakh, the same.
  await closeCase(page);
  await page.getByText('Қазақша', { exact: true }).click();
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const kk = page.getByRole('dialog', { name: /Іс AUE-W1/ });
  await kk.getByRole('tab', { name: 'Тарих және қолтаңбалар' }).click();
  await kk.getByRole('button', { name: 'Істі тексеру' }).click();
  await expect(kk.getByTestId('verification-problem').locator('div').first()).toContainText(`№ ${captured.seq} «Бет сканерленіп, ЭЦҚ-мен куәландырылды» жазбасымен`);
  await expect(kk.getByTestId('verification-problem').locator('div').first()).toContainText('Бөлімнің әкімшісіне хабарласыңыз');
  await expect(kk.getByTestId('verification-code')).toHaveText(`Қолдау қызметіне арналған код: page:${captured.seq}:blob_changed_or_missing`);
  await page.screenshot({ path: path.join(SHOTS, 'verification-problem-kk.png') });
});
