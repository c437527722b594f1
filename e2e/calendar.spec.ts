import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test, useRussian, type Host } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
test.use({ configured: false });

/** Creates the demo office and signs in with its administrator's key, as a newcomer does. */
async function signInAsDemoAdmin(page: Page, host: Host) {
  await page.goto(host.url);
  await useRussian(page);
  // Without the year of sample cases (e2e/demo-sample.spec.ts makes it): this spec is about something else.
  await page.getByRole('checkbox', { name: 'С примерами дел за год' }).uncheck();
  await page.getByRole('button', { name: 'Создать демо-отдел' }).click();
  await page.getByTestId('demo-key-admin').getByRole('button', { name: 'Взять этот ключ' }).click();
  await page.locator('#signin-password').fill('demo-admin');
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  // Opening the key and proving it is the slowest step a person waits for: on a busy machine it takes longer than
  // a click's usual wait.
  await expect(page.getByTestId('whoami')).toContainText('Администратор', { timeout: 60_000 });
}

test('the administrator corrects a day of the calendar and the working-day count follows', async ({ page, host }) => {
  await signInAsDemoAdmin(page, host);

  await page.getByRole('tab', { name: 'Производственный календарь' }).click();
  const from = page.getByLabel('С даты');
  await from.click();
  await from.fill('17.12.2026');
  await from.press('Enter');
  await page.getByLabel('Число рабочих дней').fill('1');
  await expect(page.getByTestId('calendar-result')).toHaveText('Срок: 18.12.2026, пятница');

  const day = page.getByLabel('День', { exact: true });
  await day.click();
  await day.fill('18.12.2026');
  await day.press('Enter');
  await page.getByLabel('Основание (постановление и т. п.)').fill('Постановление Правительства № 1 (пример)');
  await page.getByRole('button', { name: 'Сохранить поправку' }).click();
  await expect(page.getByRole('row', { name: /18\.12\.2026.*выходной.*Постановление Правительства/ })).toBeVisible();
  await expect(page.getByTestId('calendar-result')).toHaveText('Срок: 21.12.2026, понедельник');
  await page.screenshot({ path: path.join(SHOTS, 'calendar-admin-ru.png') });

  // A year outside the calendar is refused beside the field, in the person's language.
  await page.getByText('Қазақша', { exact: true }).click();
  const fromKk = page.getByLabel('Күннен бастап');
  await fromKk.click();
  await fromKk.fill('10.01.2031');
  await fromKk.press('Enter');
  await expect(page.getByText('Өндірістік күнтізбеде 2031 жыл жоқ: оны анықтамалыққа енгізіңіз')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'calendar-kk.png') });
});

test('the administrator enters a quarter’s official threshold with its source; it replaces the seeded assumption', async ({ page, host }) => {
  await signInAsDemoAdmin(page, host);

  await page.getByRole('tab', { name: 'Справочники' }).click();
  const reference = page.getByTestId('reference-data');
  const q4 = reference.getByRole('row', { name: /4 квартал 2026 г\./ });
  await expect(q4).toContainText('допущение — проверьте');
  await reference.getByLabel('Год').fill('2026');
  await reference.getByLabel('Квартал (1–4)').fill('4');
  await reference.getByLabel('Сумма, ₸').fill('29123.45');
  // No value without its source.
  await reference.getByRole('button', { name: 'Сохранить значение' }).click();
  await expect(reference.getByText('Обязательное поле')).toBeVisible();
  await reference.getByLabel('Источник').fill('Постановление акимата г. Алматы (пример)');
  await reference.getByRole('button', { name: 'Сохранить значение' }).click();
  await expect(page.getByText('Порог на 4 квартал 2026 г. сохранён')).toBeVisible();
  await expect(q4).toContainText('29 123,45 ₸');
  await expect(q4).toContainText('из источника');
  await expect(q4).toContainText('Постановление акимата г. Алматы (пример)');
  await expect(reference.getByRole('row', { name: /AUE-01/ })).toContainText('Төлеуова Гүлнар Ержанқызы');
  await page.screenshot({ path: path.join(SHOTS, 'reference-admin-ru.png'), fullPage: true });
});
