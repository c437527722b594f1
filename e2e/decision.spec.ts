import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, signIn, test, useRussian } from './fixtures';
import { acceptAndRegister, families, takeApplication, useSaneScanner } from './intake-steps';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
test.use({ informationSystems: true });
test.setTimeout(240_000);

/** Opens the case of the applicant on its "Commission and decision" tab. */
async function openDecisionTab(page: Page, surname: string) {
  await page.getByRole('row', { name: new RegExp(surname) }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  return { view, panel: view.getByTestId('decision-panel') };
}

/** Every PDF a step prints opens in a new tab, as the print preview would. */
async function printed(page: Page, click: () => Promise<void>) {
  const popup = page.waitForEvent('popup');
  await click();
  expect((await popup).url()).toMatch(/^blob:/);
}

test('one case from intake to the handed-over notification, with the specialist’s and the head’s keys', async ({ page, host, pki }) => {
  useSaneScanner(host);
  const family = (await families(host)).find((f) => f.children.length === 1)!;
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
  const view = await takeApplication(page, family);
  await acceptAndRegister(page, view);

  // Stage 4: the referral to the precinct commission, then the paper act scanned and entered.
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  const panel = view.getByTestId('decision-panel');
  await expect(panel.getByText('Нужно обследование: первичное обращение')).toBeVisible();
  await printed(page, () => panel.getByRole('button', { name: 'Направить в комиссию' }).click());
  await expect(page.getByText('Направление подписано')).toBeVisible();
  await expect(panel.getByText('Участковая комиссия № 1 (Ауэзовский район, мкр. 1–5)')).toBeVisible();

  const act = panel.getByTestId('commission-act');
  await act.getByLabel('Состав семьи по факту').fill('Семья в составе, указанном в заявлении');
  await act.getByLabel('Обоснование').fill('Среднедушевой доход ниже продовольственной корзины');
  await act.getByRole('button', { name: 'Подписать акт и заключение' }).click();
  await expect(page.getByText(/Сначала отсканируйте бумажный акт комиссии/)).toBeVisible();
  await view.getByRole('tab', { name: 'Документы и сканы' }).click();
  const docs = view.getByTestId('case-documents');
  const before = await docs.getByTestId('page-card').count();
  await docs.getByRole('combobox', { name: 'Документ' }).fill('Акт обследования');
  await page.keyboard.press('Enter');
  await page.keyboard.press('F8');
  await expect(docs.getByTestId('page-card')).toHaveCount(before + 1);
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  await act.getByRole('button', { name: 'Подписать акт и заключение' }).click();
  await expect(panel.getByTestId('commission-conclusion')).toContainText('Семья нуждается');

  // Stage 5: the draft with the whole calculation, signed by the specialist.
  const calculation = panel.getByTestId('calculation');
  await expect(calculation.getByTestId('calc-divisor')).toHaveText('3 × 3 = 9');
  await expect(calculation.getByTestId('calc-monthly')).toHaveText('4 325,00 ₸');
  await panel.getByRole('button', { name: 'Подписать проект решения' }).click();
  await expect(page.getByText('Проект решения подписан и передан руководителю')).toBeVisible();
  await expect(panel.getByText('Проект у руководителя: ждёт проверки и подписи')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'decision-draft-ru.png'), fullPage: true });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Выйти' }).click();

  // Stage 6: the head checks everything on one screen and signs the decision, then the notification.
  await signIn(page, host, pki.headKey, pki.headPassword);
  await useRussian(page);
  const head = await openDecisionTab(page, family.applicant.surname);
  await expect(head.panel.getByTestId('recompute-match')).toHaveText('совпадает с проектом');
  await expect(head.panel.getByTestId('draft-calculation').getByTestId('calc-monthly')).toHaveText('4 325,00 ₸');
  const sign = head.panel.getByRole('button', { name: 'Подписать решение' });
  await expect(sign).toBeDisabled();
  for (const check of ['Электронные документы соответствуют бумажному делу', 'Замечания к качеству сканов сняты', 'Расчёт пересчитан и совпадает']) await head.panel.getByText(check).click();
  await page.screenshot({ path: path.join(SHOTS, 'decision-head-ru.png'), fullPage: true });
  await printed(page, () => sign.click());
  await expect(page.getByText('Решение подписано', { exact: true })).toBeVisible();
  await expect(head.panel.getByTestId('signed-decision')).toContainText(/AUE-\d{4}-W1-D00001/);
  await printed(page, () => head.panel.getByRole('button', { name: 'Подписать уведомление' }).click());
  await expect(head.panel.getByText('Уведомление вручает ответственный специалист')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Выйти' }).click();

  // Stage 7: the specialist hands the notification over; the case closes and its deadlines show as met.
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  const back = await openDecisionTab(page, family.applicant.surname);
  await back.panel.getByLabel('Кому вручено (ФИО)').fill(`${family.applicant.surname} ${family.applicant.givenName}`);
  await back.panel.getByRole('button', { name: 'Записать вручение и закрыть дело' }).click();
  await expect(page.getByText('Вручение записано, дело закрыто')).toBeVisible();
  await expect(back.view.getByText('Закрыто').first()).toBeVisible();
  await back.view.getByRole('tab', { name: 'История и подписи' }).click();
  await expect(back.view.getByText(/выполнен \d\d\.\d\d\.\d{4}/).first()).toBeVisible();
  await back.view.getByRole('button', { name: 'Проверить дело' }).click();
  await expect(back.view.getByTestId('case-verification')).toContainText('Все события целы, цепочка не нарушена, подписи действительны');
  await page.screenshot({ path: path.join(SHOTS, 'decision-closed-ru.png'), fullPage: true });
});
