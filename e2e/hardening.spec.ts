/**
 * The hardened workstation as a person meets it: times in Almaty time on a computer set to UTC (point 14), the screen locked
 * after the idle minutes with the typed form kept (point 5), a key locked after wrong passwords with the time left
 * (point 4), the family's open case named and opened from the refusal (point 10), a damaged page shown as such
 * (point 1), and the head's audit trail (point 15).
 */
import Database from 'better-sqlite3';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCase, expect, KEY_FILE_INPUT, registerApplicant, signIn, signOut, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

test.describe('on a computer whose clock is set to UTC', () => {
  test.use({ timezoneId: 'UTC' });

  test('times show in Almaty time, UTC+6 before 1 March 2024 and UTC+5 since', async ({ page, host, pki }) => {
    await signIn(page, host, pki.specialistKey, pki.specialistPassword);
    await useRussian(page);
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('UTC');
    await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы' });
    // The list as the services would give it for two cases taken at 12:00 UTC on each side of the change.
    await page.route('**/rpc', async (route) => {
      const body = route.request().postDataJSON() as { method: string };
      const response = await route.fetch();
      if (body.method !== 'cases.search') return route.fulfill({ response });
      const json = (await response.json()) as { ok: boolean; value: { items: Record<string, unknown>[]; total: number } };
      const [c] = json.value.items;
      json.value.items = [
        { ...c, id: '01930000-0000-7000-8000-000000000001', caseNumber: 'AUE-W1-2024-000001', surname: 'Ақпанов', createdAt: '2024-02-29T12:00:00.000Z' },
        { ...c, id: '01930000-0000-7000-8000-000000000002', caseNumber: 'AUE-W1-2024-000002', surname: 'Наурызов', createdAt: '2024-03-01T12:00:00.000Z' },
      ];
      json.value.total = 2;
      return route.fulfill({ response, json });
    });
    await page.getByRole('searchbox', { name: 'Поиск' }).fill('Қ');
    await expect(page.getByRole('row', { name: /Ақпанов/ })).toContainText('29.02.2024 18:00');
    await expect(page.getByRole('row', { name: /Наурызов/ })).toContainText('01.03.2024 17:00');
    await page.screenshot({ path: path.join(SHOTS, 'almaty-time-ru.png') });
    // The list's answers still on their way through the route are let finish first: one answered after the unroute
    // found its request already sent on, and failed the test (Route is already handled).
    await page.unrouteAll({ behavior: 'wait' });
    // The real case: its event time in the history is the office's clock too, not UTC's.
    await page.getByRole('searchbox', { name: 'Поиск' }).fill('');
    await page.getByRole('row', { name: /Қасымов Арман/ }).click();
    const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
    await view.getByRole('tab', { name: 'История и подписи' }).click();
    const db = new Database(path.join(host.dataDir, 'jardem.sqlite'), { readonly: true });
    const at = new Date(db.prepare('SELECT at FROM case_events').pluck().get() as string);
    db.close();
    const almaty = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Almaty', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).replace(',', '');
    await expect(view.getByTestId('event-1')).toContainText(almaty);
  });
});

test.describe('the idle lock', () => {
  // Twelve seconds, so the test need not wait half an hour; long enough that a busy machine's slow steps between
  // the sign-in and the first keystroke are not taken for a person gone idle.
  test.use({ idleMinutes: '0.2' });

  test('locks the screen after the idle minutes, keeps what was typed, and goes on with the key password', async ({ page, host, pki }) => {
    await signIn(page, host, pki.specialistKey, pki.specialistPassword);
    await useRussian(page);
    await expect(page.getByTestId('case-total')).toBeVisible();
    await page.keyboard.press('F2');
    const form = page.getByRole('dialog', { name: 'Регистрация заявителя' });
    await form.getByLabel('Фамилия').fill('Қасымов');
    const lock = page.getByTestId('lock-screen');
    await expect(lock).toBeVisible({ timeout: 60_000 });
    await expect(lock).toContainText('Сотрудник: Сейітқали Әйгерім Нұрланқызы');
    await page.screenshot({ path: path.join(SHOTS, 'lock-screen-ru.png') });
    await lock.getByLabel('Пароль ключа').fill('not-it');
    await lock.getByRole('button', { name: 'Продолжить' }).click();
    await expect(lock.getByTestId('lock-error')).toHaveText('Неверный пароль ключа');
    await lock.getByLabel('Пароль ключа').fill(pki.specialistPassword);
    await lock.getByRole('button', { name: 'Продолжить' }).click();
    await expect(lock).toHaveCount(0);
    await expect(form.getByLabel('Фамилия')).toHaveValue('Қасымов');
  });
});

test('a key file locked after wrong passwords says how long is left, in the person’s language', async ({ page, host, pki }) => {
  await page.goto(host.url);
  await useRussian(page);
  await page.locator(KEY_FILE_INPUT).setInputFiles(pki.specialistKey);
  for (let i = 0; i < 5; i++) {
    await page.locator('#signin-password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByTestId('signin-error')).toBeVisible();
  }
  await expect(page.getByTestId('signin-error')).toContainText(/Вход по этому ключу заблокирован после неверных паролей: осталось (1 мин 0 с|\d+ с)/);
  await page.screenshot({ path: path.join(SHOTS, 'signin-locked-ru.png') });
  await page.getByText('Қазақша', { exact: true }).click();
  await expect(page.getByTestId('signin-error')).toContainText('бұл кілт арқылы кіру бұғатталды');
});

test('a second open application of the family is refused, naming the open case, which opens from the message', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы' });
  await page.keyboard.press('F2');
  const form = page.getByRole('dialog', { name: 'Регистрация заявителя' });
  await form.getByLabel('ИИН').fill('850615300012');
  await form.getByLabel('Фамилия').fill('Қасымов');
  await form.getByLabel('Имя').fill('Арман');
  await form.getByLabel('Адрес проживания').fill('Алматы');
  await form.getByLabel('Телефон').fill('+7 701 555 12 34');
  await form.getByText('русский').click();
  await form.getByRole('button', { name: 'Зарегистрировать' }).click();
  const error = form.getByTestId('register-error');
  await expect(error).toContainText(/У заявителя уже есть открытое дело AUE-W1-\d{4}-000001/);
  await expect(form.getByText('У заявителя уже есть открытое дело', { exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'family-open-case-ru.png') });
  await error.getByRole('button', { name: /Открыть дело AUE-W1-\d{4}-000001/ }).click();
  await expect(page.getByRole('dialog', { name: /Дело AUE-W1-\d{4}-000001/ })).toBeVisible();
});

test('a page whose file was changed on disk shows as damaged and is not opened', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы' });
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const docs = page.getByRole('dialog', { name: /Дело AUE-W1/ }).getByTestId('case-documents');
  const png = await sharp({ create: { width: 1654, height: 1200, channels: 3, background: '#fff' } })
    .composite([{ input: { create: { width: 800, height: 40, channels: 3, background: '#000' } }, top: 300, left: 200 }])
    .withMetadata({ density: 200 })
    .png()
    .toBuffer();
  await docs.getByTestId('page-file-input').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: png });
  await expect(docs.getByTestId('page-card')).toHaveCount(1);
  // Someone with the files changes one byte of the scan.
  const db = new Database(path.join(host.dataDir, 'jardem.sqlite'), { readonly: true });
  const sha = db.prepare('SELECT blob_sha256 FROM case_pages').pluck().get() as string;
  db.close();
  const file = path.join(host.dataDir, 'blobs', sha.slice(0, 2), sha);
  chmodSync(file, 0o600);
  const bytes = readFileSync(file);
  bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
  writeFileSync(file, bytes);
  await closeCase(page);
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const card = docs.getByTestId('page-card');
  await expect(card.getByTestId('page-damaged')).toHaveText('Повреждён: файл изменён после заверения. Импортируйте оригинал ещё раз');
  await card.locator('img').click();
  await expect(page.getByText(/Скан страницы 1 \(«Удостоверение личности»\) повреждён/)).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'page-damaged-ru.png') });
  // The same original again repairs it.
  await docs.getByTestId('page-file-input').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByText('Файл страницы восстановлен из того же оригинала; заверять заново не нужно')).toBeVisible();
  await expect(card.getByTestId('page-damaged')).toHaveCount(0);
  await expect(docs.getByTestId('page-card')).toHaveCount(1);
});

test('the head reads the audit trail: sign-ins, a failed one and the case opened, with no applicant’s data', async ({ page, host, pki }) => {
  await page.goto(host.url);
  await page.locator(KEY_FILE_INPUT).setInputFiles(pki.specialistKey);
  await page.locator('#signin-password').fill('wrong');
  await page.getByRole('button', { name: /Кіру|Войти|Sign in/ }).click();
  await expect(page.getByTestId('signin-error')).toBeVisible();
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await registerApplicant(page, { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', address: 'Алматы' });
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  await expect(page.getByRole('dialog', { name: /Дело AUE-W1/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await signOut(page);
  await signIn(page, host, pki.headKey, pki.headPassword);
  await page.getByRole('tab', { name: 'Журнал доступа' }).click();
  const trail = page.getByTestId('audit-trail');
  await expect(trail.getByRole('row', { name: /Неудачный вход/ })).toContainText('не установлен (пароль неверен)');
  await expect(trail.getByRole('row', { name: /Открыто дело/ })).toContainText(/AUE-W1-\d{4}-000001/);
  await expect(trail.getByRole('row', { name: /Открыто дело/ })).toContainText('Сейітқали Әйгерім Нұрланқызы');
  await expect(trail.getByRole('row', { name: /Выход/ })).toBeVisible();
  await expect(trail).not.toContainText('Қасымов');
  await expect(trail).not.toContainText('850615300012');
  await page.screenshot({ path: path.join(SHOTS, 'audit-trail-ru.png'), fullPage: true });
  await page.getByText('Қазақша', { exact: true }).click();
  await expect(trail.getByRole('row', { name: /Сәтсіз кіру/ })).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'audit-trail-kk.png'), fullPage: true });
});
