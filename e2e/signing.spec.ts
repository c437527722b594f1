import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCase, expect, jardem, signIn, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
// Every signing moment asks for the key password.
test.use({ unlockMinutes: '0' });

test('registering signs the event: the key password is asked for, a wrong one is refused, and the case verifies', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  // F2 belongs to the case list: wait until it is there, as a person would.
  await expect(page.getByTestId('case-total')).toBeVisible();
  await page.keyboard.press('F2');
  const drawer = page.getByRole('dialog', { name: 'Регистрация заявителя' });
  await drawer.getByLabel('ИИН').fill('850615300012');
  await drawer.getByLabel('Фамилия').fill('Қасымов');
  await drawer.getByLabel('Имя').fill('Арман');
  await drawer.getByLabel('Адрес проживания').fill('Алматы, Әуезов ауданы');
  await drawer.getByLabel('Телефон').fill('+7 701 555 12 34');
  await drawer.getByText('русский').click();
  await drawer.getByRole('button', { name: 'Зарегистрировать' }).click();

  const signing = page.getByRole('dialog', { name: 'Подписание ЭЦП' });
  await expect(signing).toBeVisible();
  await signing.getByLabel('Пароль ключа').fill('not-it');
  await signing.getByRole('button', { name: 'Подписать' }).click();
  await expect(signing.getByText('Неверный пароль ключа')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'signing-wrong-password-ru.png') });
  await signing.getByLabel('Пароль ключа').fill(pki.specialistPassword);
  await signing.getByRole('button', { name: 'Подписать' }).click();
  await expect(page.getByText(/Дело зарегистрировано: AUE-W1-\d{4}-000001/)).toBeVisible();

  // The case view: the event with its signer and the signature's status, and "verify case".
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1-\d{4}-000001/ });
  await view.getByRole('tab', { name: 'История и подписи' }).click();
  await expect(view.getByTestId('event-1')).toContainText('Заявление принято');
  await expect(view.getByTestId('event-1')).toContainText('Подписал(а): Сейітқали Әйгерім, ИИН 900512400018, Специалист районного отдела');
  await expect(view.getByTestId('event-1')).toContainText('подпись действительна');
  await view.getByRole('button', { name: 'Проверить дело' }).click();
  await expect(view.getByTestId('case-verification')).toContainText('Все события целы, цепочка не нарушена, подписи действительны');
  await page.screenshot({ path: path.join(SHOTS, 'case-view-ru.png') });
  await closeCase(page);
  await page.getByText('Қазақша', { exact: true }).click();
  await page.getByRole('row', { name: /Қасымов Арман/ }).click();
  await page.getByRole('dialog', { name: /Іс AUE-W1/ }).getByRole('tab', { name: 'Тарих және қолтаңбалар' }).click();
  await expect(page.getByRole('dialog', { name: /Іс AUE-W1/ }).getByTestId('event-1')).toContainText('қолтаңба жарамды');
  await page.screenshot({ path: path.join(SHOTS, 'case-view-kk.png') });

  // The signed event verifies, checked through the same contract by the command-line host.
  const found = JSON.parse(jardem('call', 'cases.search', '--data-dir', host.dataDir, '--key', pki.specialistKey, '--password', pki.specialistPassword, '--input', '{"query":"850615300012"}')) as { items: { id: string }[] };
  const verified = JSON.parse(jardem('call', 'cases.verify', '--data-dir', host.dataDir, '--key', pki.specialistKey, '--password', pki.specialistPassword, '--input', JSON.stringify({ caseId: found.items[0]!.id }))) as { valid: boolean; problems: string[] };
  expect(verified).toMatchObject({ valid: true, problems: [] });
});
