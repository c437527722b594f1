import { officeDate } from '../shared/local-date';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { formatTenge } from '../shared/forms/money';
import { closeCase, expect, printPreview, signIn, signOut, test, useRussian } from './fixtures';
import { acceptAndRegister, families, INCOME_MONTHS, openCounter, openRegisteredCase, takeApplication, type Family } from './intake-steps';

/** One child's monthly benefit: the MRP in force today, from the reference table (benefit.md §1: 1 MRP per child). */
const today = officeDate(new Date());
const mrpSeed = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'domain', 'data', 'mrp-kz.json'), 'utf8')) as { rows: { from: string; tenge: number }[] };
const mrpToday = [...mrpSeed.rows].filter((r) => r.from <= today).sort((a, b) => (a.from < b.from ? -1 : 1)).pop()!;
const ONE_CHILD = `${formatTenge(mrpToday.tenge * 100)} ₸`;

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
test.use({ informationSystems: true });
test.setTimeout(600_000);

/** Opens the case of the applicant on its "Commission and decision" tab. */
async function openDecisionTab(page: Page, surname: string) {
  await page.getByRole('row', { name: new RegExp(surname) }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  return { view, panel: view.getByTestId('decision-panel') };
}

/** Closes the case (its ✕) and signs out, as a person hands the workstation over. */
async function closeCaseAndSignOut(page: Page) {
  await closeCase(page);
  await signOut(page);
}

/** Every PDF a step prints opens in a new tab, as the print preview would, and is closed again. */
async function printed(page: Page, click: () => Promise<void>) {
  expect(await printPreview(page, click)).toMatch(/^blob:/);
}

test('one case from intake to the handed-over notification, with the specialist’s and the head’s keys', async ({ page, host, pki }) => {
  const family = (await families(host)).find((f) => f.children.length === 1)!;
  await openCounter(page, host, pki);
  const view = await takeApplication(page, family);
  await acceptAndRegister(page, view);

  // Stage 4: the referral to the precinct commission, then the paper act scanned and entered.
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  const panel = view.getByTestId('decision-panel');
  await expect(panel.getByText('Нужно обследование: первичное обращение')).toBeVisible();
  await printed(page, () => panel.getByRole('button', { name: 'Направить в комиссию' }).click());
  await expect(page.getByText('Направление подписано')).toBeVisible();
  await expect(panel.getByTestId('referral')).toContainText('Участковая комиссия № 1 (Ауэзовский район, мкр. 1–5)');

  const act = panel.getByTestId('commission-act');
  await act.getByLabel('Фактический состав семьи').fill('Семья в составе, указанном в заявлении');
  await act.getByLabel('Обоснование').fill('Среднедушевой доход ниже продовольственной корзины');
  await act.getByRole('button', { name: 'Подписать акт и заключение' }).click();
  await expect(page.getByText(/Сначала отсканируйте бумажный акт комиссии/)).toBeVisible();
  await view.getByRole('tab', { name: 'Документы и электронные копии' }).click();
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
  await expect(calculation.getByTestId('calc-monthly')).toHaveText(ONE_CHILD);
  await panel.getByRole('button', { name: 'Подписать проект решения' }).click();
  await expect(page.getByText('Проект решения подписан и передан руководителю')).toBeVisible();
  await expect(panel.getByText('Проект у руководителя: ждёт проверки и подписи')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'decision-draft-ru.png'), fullPage: true });
  await closeCaseAndSignOut(page);

  // Stage 6: the head checks everything on one screen and signs the decision, then the notification.
  await signIn(page, host, pki.headKey, pki.headPassword);
  await useRussian(page);
  const head = await openDecisionTab(page, family.applicant.surname);
  await expect(head.panel.getByTestId('recompute-match')).toHaveText('совпадает с проектом');
  await expect(head.panel.getByTestId('draft-calculation').getByTestId('calc-monthly')).toHaveText(ONE_CHILD);
  const sign = head.panel.getByRole('button', { name: 'Подписать решение' });
  await expect(sign).toBeDisabled();
  for (const check of ['Электронные документы соответствуют бумажному делу', 'Отметки о качестве электронных копий рассмотрены', 'Пособие пересчитано, расчёт совпадает с проектом']) await head.panel.getByText(check).click();
  await page.screenshot({ path: path.join(SHOTS, 'decision-head-ru.png'), fullPage: true });
  await printed(page, () => sign.click());
  await expect(page.getByText('Решение подписано', { exact: true })).toBeVisible();
  await expect(head.panel.getByTestId('signed-decision')).toContainText(/AUE-W1-\d{4}-D000001/);
  await printed(page, () => head.panel.getByRole('button', { name: 'Подписать уведомление' }).click());
  await expect(head.panel.getByText('Уведомление вручает ответственный специалист')).toBeVisible();
  await closeCaseAndSignOut(page);

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

  // The same case in Kazakh: the decision tab's labels and the calculation.
  await closeCase(page);
  await page.getByText('Қазақша', { exact: true }).click();
  await page.getByRole('row', { name: new RegExp(family.applicant.surname) }).click();
  const kk = page.getByRole('dialog', { name: /Іс AUE-W1/ });
  await kk.getByRole('tab', { name: 'Комиссия және шешім' }).click();
  await expect(kk.getByTestId('signed-decision')).toContainText('Тағайындалды');
  await expect(kk.getByTestId('referral')).toContainText('№1 учаскелік комиссия');
  await page.screenshot({ path: path.join(SHOTS, 'decision-closed-kk.png'), fullPage: true });
});

/** Per-capita monthly income of a family of two adults and its children over the income quarter, in tiyn. */
function perCapitaTiyn(f: Family): number {
  const total = [f.applicant, f.spouse].reduce((sum, p) => sum + INCOME_MONTHS.reduce((s2, m) => s2 + (f.income[p.iin]?.[m] ?? 0), 0), 0);
  return total / 3 / (2 + f.children.length);
}

test('a refusal through income at or above the threshold, after the head returns the draft once', async ({ page, host, pki }) => {
  // The seeded threshold for this quarter is 27 968,05 ₸ (shared/domain/data/food-basket-kz.json, assumed).
  const all = await families(host);
  const index = all.findIndex((f) => f.children.length === 1 && perCapitaTiyn(f) >= 2_796_805);
  const family = all[index]!;
  // Taken in with the quarter's income of both adults, through the contract: the first test clicks the intake.
  const view = await openRegisteredCase(page, host, pki, index);

  // The commission's paper act, scanned, then entered on its behalf.
  await view.getByRole('tab', { name: 'Документы и электронные копии' }).click();
  const docs = view.getByTestId('case-documents');
  await docs.getByRole('combobox', { name: 'Документ' }).fill('Акт обследования');
  await page.keyboard.press('Enter');
  const before = await docs.getByTestId('page-card').count();
  await page.keyboard.press('F8');
  await expect(docs.getByTestId('page-card')).toHaveCount(before + 1);
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  const panel = view.getByTestId('decision-panel');
  await printed(page, () => panel.getByRole('button', { name: 'Направить в комиссию' }).click());
  const act = panel.getByTestId('commission-act');
  await act.getByLabel('Фактический состав семьи').fill('Семья в составе, указанном в заявлении');
  await act.getByText('Семья не нуждается').click();
  await act.getByLabel('Обоснование').fill('Оба родителя работают, доход выше корзины');
  await act.getByRole('button', { name: 'Подписать акт и заключение' }).click();
  await expect(panel.getByTestId('commission-conclusion')).toContainText('Семья не нуждается');

  // The calculation says "not below the threshold": the draft is a refusal on that ground.
  await expect(panel.getByTestId('calculation')).toContainText('не ниже порога');
  await expect(panel.getByTestId('calc-monthly')).toHaveText('—');
  await expect(panel.getByRole('radio', { name: 'Отказать' })).toBeChecked();
  await panel.getByRole('button', { name: 'Подписать проект решения' }).click();
  await expect(page.getByText('Проект решения подписан и передан руководителю')).toBeVisible();
  await closeCaseAndSignOut(page);

  // The head returns it once with a comment.
  await signIn(page, host, pki.headKey, pki.headPassword);
  await useRussian(page);
  let head = await openDecisionTab(page, family.applicant.surname);
  await head.panel.getByRole('button', { name: 'Вернуть специалисту' }).click();
  const dialog = page.getByRole('dialog', { name: 'Вернуть специалисту' });
  // Nothing to send back without saying what to fix.
  await expect(dialog.getByRole('button', { name: 'Вернуть специалисту' })).toBeDisabled();
  await dialog.getByLabel('Что исправить').fill('Укажите в примечании, за какие месяцы справки о доходах');
  await dialog.getByRole('button', { name: 'Вернуть специалисту' }).click();
  await expect(page.getByText('Дело возвращено специалисту')).toBeVisible();
  await closeCaseAndSignOut(page);

  // The specialist sees why, adds the note and signs the draft again.
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  const back = await openDecisionTab(page, family.applicant.surname);
  await expect(back.panel.getByTestId('returned-comment')).toContainText('за какие месяцы справки о доходах');
  await back.panel.getByLabel('Примечание к проекту').fill('Справки о доходах за июль–сентябрь 2026 года');
  await back.panel.getByRole('button', { name: 'Подписать проект решения' }).click();
  // The first signing's notice may still be on screen beside this one (they stack): the newest is this signing's.
  await expect(page.getByText('Проект решения подписан и передан руководителю').last()).toBeVisible();
  await closeCaseAndSignOut(page);

  // The head signs the refusal and its notification.
  await signIn(page, host, pki.headKey, pki.headPassword);
  await useRussian(page);
  head = await openDecisionTab(page, family.applicant.surname);
  await expect(head.panel.getByTestId('recompute-match')).toHaveText('совпадает с проектом');
  for (const check of ['Электронные документы соответствуют бумажному делу', 'Отметки о качестве электронных копий рассмотрены', 'Пособие пересчитано, расчёт совпадает с проектом']) await head.panel.getByText(check).click();
  await printed(page, () => head.panel.getByRole('button', { name: 'Подписать решение' }).click());
  await expect(head.panel.getByTestId('signed-decision')).toContainText('среднедушевой доход не ниже стоимости продовольственной корзины');
  await printed(page, () => head.panel.getByRole('button', { name: 'Подписать уведомление' }).click());
  await expect(head.panel.getByText('Уведомление вручает ответственный специалист')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'decision-refusal-ru.png'), fullPage: true });
});
