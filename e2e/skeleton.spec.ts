import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, jardem, KEY_FILE_INPUT, signIn, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

test('a specialist signs in with a generated key and sees their name, IIN, role and office', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  const whoami = page.getByTestId('whoami');
  await expect(whoami).toContainText('Сейітқали Әйгерім Нұрланқызы');
  await expect(whoami).toContainText(`ИИН ${pki.specialist.iin}`);
  await expect(whoami).toContainText('Специалист районного отдела');
  // The office in Russian on a Russian screen (the certificate names it in Kazakh only).
  await expect(whoami).toContainText('Отдел занятости и социальных программ Ауэзовского района');
  await page.screenshot({ path: path.join(SHOTS, 'cases-ru.png') });
});

test('a wrong password is refused with its own message and nothing else happens', async ({ page, host, pki }) => {
  await page.goto(host.url);
  await useRussian(page);
  await page.locator(KEY_FILE_INPUT).setInputFiles(pki.specialistKey);
  await page.locator('#signin-password').fill('not-the-password');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByTestId('signin-error')).toHaveText('Неверный пароль ключа');
  await expect(page.getByTestId('whoami')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'signin-wrong-password-ru.png') });
});

test('a file that is not a key is refused with its own message', async ({ page, host }) => {
  await page.goto(host.url);
  await useRussian(page);
  await page.locator(KEY_FILE_INPUT).setInputFiles({ name: 'scan.p12', mimeType: 'application/x-pkcs12', buffer: Buffer.from('%PDF-1.7 not a key') });
  await page.locator('#signin-password').fill('whatever');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByTestId('signin-error')).toContainText('Это не файл ключа PKCS#12');
});

test('register an applicant, reload, and find the case by IIN and by a lower-case Kazakh name prefix', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByTestId('case-total')).toHaveText('Всего дел: 0');

  await page.getByRole('button', { name: /Новое заявление/ }).click();
  const drawer = page.getByRole('dialog', { name: 'Регистрация заявителя' });
  await drawer.getByLabel('ИИН').fill('850615300012');
  await drawer.getByLabel('Фамилия').fill('Әбілқайыров');
  await drawer.getByLabel('Имя').fill('Нұрсұлтан');
  await drawer.getByLabel('Отчество').fill('Қайратұлы');
  // The birth date was filled from the IIN's digits.
  await expect(drawer.getByLabel('Дата рождения')).toHaveValue('15.06.1985');
  await drawer.getByLabel('Адрес проживания').fill('Алматы, мкр. Аксай-4, д. 12, кв. 5');
  await drawer.getByLabel('Телефон').fill('+7 701 555 12 34');
  await drawer.getByText('казахский').click();
  await page.screenshot({ path: path.join(SHOTS, 'register-form-ru.png') });
  await drawer.getByRole('button', { name: 'Зарегистрировать' }).click();

  await expect(page.getByText(/Дело зарегистрировано: AUE-W1-\d{4}-000001/)).toBeVisible();
  await expect(page.getByTestId('case-total')).toHaveText('Всего дел: 1');

  await page.reload();
  await expect(page.getByTestId('whoami')).toBeVisible();
  const search = page.getByPlaceholder('Поиск: ИИН, фамилия или номер дела');
  await search.fill('850615300012');
  await expect(page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан Қайратұлы/ })).toBeVisible();
  await expect(page.getByTestId('found')).toHaveText('Найдено: 1');

  // Lower case with Kazakh letters: SQLite's LIKE would not fold Ә.
  await search.fill('әбілқ');
  await expect(page.getByRole('row', { name: /850615300012/ })).toBeVisible();
  await search.fill('AUE-W1');
  await expect(page.getByRole('row', { name: /850615300012/ })).toBeVisible();
  await search.fill('Иванов');
  await expect(page.getByText('Дела не найдены')).toBeVisible();
});

test('a bad IIN is refused at its field and the case count is unchanged', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByTestId('case-total')).toHaveText('Всего дел: 0');
  await page.keyboard.press('F2');
  const drawer = page.getByRole('dialog', { name: 'Регистрация заявителя' });
  await drawer.getByLabel('ИИН').fill('850615300015');
  await drawer.getByLabel('Фамилия').fill('Петров');
  await drawer.getByRole('button', { name: 'Зарегистрировать' }).click();
  await expect(drawer.getByText('Контрольная цифра ИИН не сходится — проверьте номер')).toBeVisible();
  await expect(drawer.getByText('Обязательное поле').first()).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'register-bad-iin-ru.png') });
  await drawer.getByRole('button', { name: 'Отмена' }).click();
  await expect(page.getByTestId('case-total')).toHaveText('Всего дел: 0');
  // Nothing was stored: the CLI host reads the same database.
  const found = JSON.parse(
    jardem('call', 'cases.search', '--data-dir', host.dataDir, '--key', pki.specialistKey, '--password', pki.specialistPassword, '--input', '{"query":""}'),
  ) as { total: number };
  expect(found.total).toBe(0);
});

test('switching the language shows Kazakh labels everywhere, and back to Russian', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByRole('button', { name: /Новое заявление/ })).toBeVisible();
  await page.getByText('Қазақша', { exact: true }).click();
  await expect(page.getByRole('button', { name: /Жаңа өтініш/ })).toBeVisible();
  await expect(page.getByTestId('whoami')).toContainText('Аудандық бөлімнің маманы');
  await expect(page.getByTestId('whoami')).toContainText('Әуезов ауданының');
  await expect(page.getByTestId('whoami')).toContainText('ЖСН');
  await expect(page.getByRole('columnheader', { name: 'Өтініш беруші' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Шығу' })).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'cases-kk.png') });
  await page.keyboard.press('F2');
  await expect(page.getByText('Өтініш берушіні тіркеу')).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Өтініш берушіні тіркеу' }).getByText('Әкесінің аты')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'register-form-kk.png') });
  await page.keyboard.press('Escape');
  await page.getByText('Русский', { exact: true }).click();
  await expect(page.getByRole('button', { name: /Новое заявление/ })).toBeVisible();
});

test.describe('on a new workstation', () => {
  test.use({ configured: false });
  test('a newcomer creates the demo office and signs in with its specialist key within a minute', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByText('Қазақша', { exact: true }).click();
  await page.screenshot({ path: path.join(SHOTS, 'signin-kk.png') });
  // Without the year of sample cases (e2e/demo-sample.spec.ts makes it): this spec is about something else.
  await page.getByRole('checkbox', { name: 'Бір жылғы үлгі істерімен' }).uncheck();
  await page.getByRole('button', { name: 'Демо-бөлімді жасау' }).click();
  // Eight RSA keys and five AES-256 PKCS#12 files: about 2 s on an idle machine, longer on a loaded one.
  await expect(page.getByTestId('demo-key-specialist')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('demo-key-head')).toBeVisible();
  await expect(page.getByTestId('demo-key-center')).toBeVisible();
  // The city department's administrator, beside the district's (reference data for the whole city).
  await expect(page.getByTestId('demo-key-admin-city')).toContainText('Қалалық басқарманың әкімшісі');
  await page.screenshot({ path: path.join(SHOTS, 'demo-office-kk.png') });
  await page.getByTestId('demo-key-specialist').getByRole('button', { name: 'Осы кілтті алу' }).click();
  await expect(page.getByText(/Таңдалды: RSA256_specialist_/)).toBeVisible();
  await page.locator('#signin-password').fill('demo-specialist');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('whoami')).toContainText('Сейітқали Әйгерім');
  });
});

test('a workstation set up for real work offers no demo office', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: /Кіру|Войти|Sign in/ })).toBeVisible();
  await expect(page.getByTestId('demo-office')).toHaveCount(0);
});
