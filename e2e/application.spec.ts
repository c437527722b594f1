import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCase, expect, registerApplicant, signIn, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

test('the specialist enters the family and income; a duplicate IIN and a child of 18 are refused at their fields; the checklist follows; the draft survives a reload', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
  await registerApplicant(page, { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', address: 'Алматы, Әуезов ауданы' });
  await page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан/ }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await view.getByRole('tab', { name: 'Заявление' }).click();
  const app = view.getByTestId('application-form');
  await expect(app.getByTestId('checklist')).toContainText('Добавьте ребёнка — появится перечень');

  await app.getByLabel('Номер').fill('045123456');
  await app.getByLabel('Дата выдачи').fill('2019-05-10');
  await app.getByLabel('Адрес регистрации').fill('Алматы, Әуезов ауданы, 5-шағынаудан, 12-үй');
  await app.getByLabel('Счёт для выплаты (IBAN)').fill('KZ12345678901234567X');
  await app.getByLabel('Банк').fill('Halyk Bank');

  // Two children: the second one typed with the first one's IIN, then born in 2007.
  for (let i = 0; i < 2; i++) await app.getByRole('button', { name: '+ Ребёнок' }).click();
  const child = (i: number) => app.getByTestId(`member-${i + 1}`);
  await child(0).getByLabel('ИИН').fill('150301500009');
  await child(0).getByLabel('Фамилия').fill('Әбілқайыров');
  await child(0).getByLabel('Имя').fill('Алихан');
  await child(0).getByLabel('Дата рождения').fill('2015-03-01');
  await child(0).getByLabel('№ свидетельства о рождении').fill('I-АЛ 123456');
  await child(0).getByLabel('Дата регистрации рождения').fill('2015-03-05');
  await child(0).getByLabel('Орган регистрации (ЗАГС)').fill('Алматы АХАЖ');
  await child(1).getByLabel('ИИН').fill('150301500009');
  await child(1).getByLabel('Фамилия').fill('Әбілқайырова');
  await child(1).getByLabel('Имя').fill('Айгүл');
  await child(1).getByLabel('Дата рождения').fill('2007-03-01');
  await child(1).getByLabel('№ свидетельства о рождении').fill('I-АЛ 654321');
  await child(1).getByLabel('Дата регистрации рождения').fill('2007-03-05');
  await child(1).getByLabel('Орган регистрации (ЗАГС)').fill('Алматы АХАЖ');
  // Registered before 13 August 2007: her birth certificate is required on paper (item 13.2).
  await expect(app.getByTestId('checklist').getByRole('row', { name: /Свидетельство о рождении требуется/ })).toHaveCount(1);

  // The income grid: the applicant's wage for July of the income quarter (the cell named by member, kind and month).
  await app.getByLabel('Әбілқайыров Нұрсұлтан, заработная плата, 07.2026').fill('250000');

  // The draft survives a reload before saving.
  await page.reload();
  await useRussian(page);
  await expect(page.getByText('Всего дел: 1')).toBeVisible();
  await page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан/ }).click();
  await view.getByRole('tab', { name: 'Заявление' }).click();
  await expect(app.getByText('Восстановлен несохранённый черновик')).toBeVisible();
  await expect(child(1).getByLabel('Имя')).toHaveValue('Айгүл');

  await app.getByRole('button', { name: 'Сохранить и подписать' }).click();
  await expect(child(1).getByText('Этот ИИН уже указан у члена семьи № 2')).toBeVisible();
  await expect(child(1).getByText(/Ребёнку на дату заявления 19 лет/)).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'application-errors-ru.png'), fullPage: true });

  await child(1).getByLabel('ИИН').fill('160710600000');
  await child(1).getByLabel('Дата рождения').fill('2016-07-10');
  await child(1).getByLabel('Дата регистрации рождения').fill('2016-07-15');
  await app.getByLabel('Адрес регистрации').press('Control+Enter');
  await expect(page.getByText('Заявление сохранено и подписано')).toBeVisible();
  await expect(app.getByTestId('checklist').getByRole('row', { name: /Свидетельство о рождении не требуется/ })).toHaveCount(2);
  await expect(app.getByTestId('checklist').getByRole('row', { name: /Удостоверение личности требуется/ })).toHaveCount(1);
  await page.screenshot({ path: path.join(SHOTS, 'application-ru.png'), fullPage: true });
  await closeCase(page);
  await page.getByText('Қазақша', { exact: true }).click();
  await page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан/ }).click();
  const kk = page.getByRole('dialog', { name: /Іс AUE-W1/ });
  await kk.getByRole('tab', { name: 'Өтініш' }).click();
  await expect(kk.getByTestId('checklist')).toContainText('Жеке куәлік');
  await page.screenshot({ path: path.join(SHOTS, 'application-kk.png'), fullPage: true });
});
