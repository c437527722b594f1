/**
 * What a newcomer hit on screen, each as a person does it: the birth date that follows the IIN (item 8),
 * a correction that every view shows (item 9), the declared values beside the registry's (item 10), no English in
 * the Russian UI (item 11), the journal's columns and its CSV in words (item 12), the income grid (item 15), the
 * case list as a work queue (item 16); and a picture of every screen in Kazakh and Russian (test-results/screens-16).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { closeCase, expect, moveClock, registerApplicant, signIn, test, useRussian } from './fixtures';
import { families, openRegisteredCase } from './intake-steps';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens-16');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const ENGLISH_MONTHS = /\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/;

test('item 8: a restored draft takes the birth date from the IIN again; a birth date that disagrees with it is a warning at its field', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
  await page.keyboard.press('F2');
  const form = page.getByRole('dialog', { name: 'Регистрация заявителя' });
  await form.getByLabel('ИИН').fill('880418410028');
  await expect(form.getByLabel('Дата рождения')).toHaveValue('18.04.1988');
  await form.getByRole('button', { name: 'Отмена' }).click();
  await expect(form).toBeHidden();

  await page.keyboard.press('F2');
  await expect(form.getByText('Восстановлен несохранённый черновик')).toBeVisible();
  await form.getByLabel('ИИН').fill('810909410202');
  await expect(form.getByLabel('Дата рождения')).toHaveValue('09.09.1981');
  await expect(form.getByTestId('birth-date-warning')).toHaveCount(0);
  // A birth date typed over the IIN's: a warning before saving, naming the IIN's date; not an error.
  await form.getByLabel('Дата рождения').fill('01.01.1980');
  await form.getByLabel('Дата рождения').press('Enter');
  await expect(form.getByTestId('birth-date-warning')).toHaveText('Дата рождения не совпадает с датой в ИИН — проверьте (это предупреждение) Дата рождения по ИИН: 09.09.1981');
  await shot(page, 'register-warning-ru');
  await form.getByLabel('Дата рождения').fill('09.09.1981');
  await form.getByLabel('Дата рождения').press('Enter');
  await expect(form.getByTestId('birth-date-warning')).toHaveCount(0);
  await form.getByLabel('Фамилия').fill('Қасымова');
  await form.getByLabel('Имя').fill('Жанар');
  await form.getByLabel('Адрес проживания').fill('Алматы, Әуезов ауданы');
  await form.getByLabel('Телефон').fill('+7 701 555 12 34');
  await form.getByText('русский').click();
  await form.getByRole('button', { name: 'Зарегистрировать' }).click();
  await expect(form).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('row', { name: /Қасымова Жанар/ })).toContainText('09.09.1981');
});

test('items 9 and 15: the quarter’s income typed and pasted in a grid with its totals; a corrected birth date is the case’s everywhere', async ({ page, host, pki }) => {
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await registerApplicant(page, { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', address: 'Алматы, Әуезов ауданы' });
  await page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан/ }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await view.getByRole('tab', { name: 'Заявление' }).click();
  const app = view.getByTestId('application-form');
  await app.getByLabel('Номер').fill('045123456');
  await app.getByLabel('Дата выдачи').fill('10.05.2019');
  await app.getByLabel('Адрес регистрации').fill('Алматы, Әуезов ауданы, 5-шағынаудан, 12-үй');
  await app.getByLabel('Счёт для выплаты (IBAN)').fill('KZ12345678901234567X');
  await app.getByLabel('Банк').fill('Halyk Bank');
  await app.getByRole('button', { name: '+ Взрослый член семьи' }).click();
  const spouse = app.getByTestId('member-1');
  for (const [label, value] of [['ИИН', '880304400000'], ['Фамилия', 'Әбілқайырова'], ['Имя', 'Сәуле'], ['Дата рождения', '04.03.1988']] as const) await spouse.getByLabel(label).fill(value);
  await app.getByRole('button', { name: '+ Ребёнок' }).click();
  const child = app.getByTestId('member-2');
  for (const [label, value] of [['ИИН', '150301500009'], ['Фамилия', 'Әбілқайыров'], ['Имя', 'Алихан'], ['Дата рождения', '01.03.2015'], ['№ свидетельства о рождении', 'I-АЛ 123456'], ['Дата регистрации рождения', '05.03.2015'], ['Орган регистрации (ЗАГС)', 'Алматы АХАЖ']] as const) await child.getByLabel(label).fill(value);

  // The grid: a row per adult, a column per month of the quarter before the application; Tab goes cell to cell.
  const grid = app.getByTestId('income-grid');
  await expect(grid.getByRole('columnheader')).toContainText(['Член семьи', 'Вид дохода', '07.2026', '08.2026', '09.2026', 'Итого']);
  await grid.getByLabel('Әбілқайыров Нұрсұлтан, заработная плата, 07.2026').click();
  await page.keyboard.type('120000');
  await page.keyboard.press('Tab');
  await page.keyboard.type('120 000,50');
  await expect(grid.getByLabel('Әбілқайыров Нұрсұлтан, заработная плата, 08.2026')).toBeFocused();
  // A block copied from a spreadsheet: two rows of three months, pasted into the first cell.
  await grid.getByLabel('Әбілқайыров Нұрсұлтан, заработная плата, 07.2026').focus();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', '100 000\t110 000\t120 000\r\n50000\t50000\t60000\r\n');
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(grid.getByTestId('income-pasted')).toHaveText('Вставлено строк: 6');
  await expect(grid.getByLabel('Әбілқайырова Сәуле, заработная плата, 09.2026')).toHaveValue('60000');
  await expect(grid.getByTestId('row-total')).toHaveText(['330 000,00', '160 000,00']);
  await expect(grid.getByTestId('family-total-amount')).toHaveText('490 000,00');
  await expect(grid.getByTestId('member-total')).toHaveCount(2);
  await expect(app).not.toContainText(ENGLISH_MONTHS);
  await shot(page, 'application-grid-ru');

  // The applicant's birth date corrected in the application: the header and the list follow it.
  await app.getByTestId('member-0').getByLabel('Дата рождения').fill('16.06.1985');
  await app.getByTestId('member-0').getByLabel('Дата рождения').press('Enter');
  // It differs from the IIN's digits: a warning at the field (item 8's rule), and the application still saves.
  await expect(app.getByTestId('member-0').getByTestId('member-birth-date-warning')).toContainText('Дата рождения по ИИН: 15.06.1985');
  await app.getByLabel('Адрес регистрации').press('Control+Enter');
  await expect(page.getByText('Заявление сохранено и подписано')).toBeVisible();
  await expect(view.locator('.ant-descriptions')).toContainText('16.06.1985');
  await closeCase(page);
  await expect(page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан/ })).toContainText('16.06.1985');
  await page.getByText('Қазақша', { exact: true }).click();
  await expect(page.getByRole('row', { name: /Әбілқайыров Нұрсұлтан/ })).toContainText('16.06.1985');
});

test.describe('with the information systems', () => {
  test.use({ informationSystems: true });
  test.setTimeout(480_000);

  test('items 10, 11, 12 and 16: the declared birth record beside the registry’s, the case list as a work queue, the journal’s columns and its CSV in Russian words', async ({ page, host, pki }) => {
    const all = await families(host);
    const index = all.findIndex((f) => f.children.length >= 1);
    const family = all[index]!;
    // Taken in through the contract: the intake specs click it.
    const view = await openRegisteredCase(page, host, pki, index);

    // Item 10: «В заявлении» shows the declared birth record, not a dash.
    await view.getByRole('tab', { name: 'Запросы в информационные системы' }).click();
    const checks = view.getByTestId('intake-checks');
    const row = checks.getByRole('row', { name: new RegExp(`${family.children[0]!.surname} ${family.children[0]!.givenName} Актовая запись о рождении`) });
    await expect(row).toContainText(family.children[0]!.birth.recordNumber);
    await expect(row.getByRole('cell').nth(2)).not.toHaveText('—');
    // Only the administrator moves the demo clock: the specialist's screen has no control for it.
    await expect(checks.getByText('Демо: перевести часы вперёд, дней')).toHaveCount(0);
    await shot(page, 'checks-ru');
    await closeCase(page);

    // Item 16: the nearest deadline, whether overdue, who acts; sortable.
    const list = page.getByRole('row', { name: new RegExp(family.applicant.surname) });
    await expect(list.getByTestId('next-deadline')).toContainText('Направить в участковую комиссию');
    await expect(list).toContainText('Специалист районного отдела');
    await page.getByRole('columnheader', { name: 'Ближайший срок' }).click();
    await expect(page.getByRole('columnheader', { name: 'Ближайший срок' })).toHaveAttribute('aria-sort', 'ascending');
    // Ten days on (the demo clock): the referral's 2 working days have passed.
    // Item 11: the administrator's control reads with its number after it, in Russian (moveClock finds it by that label).
    await moveClock(page, host, pki, 10);
    await page.reload();
    await useRussian(page);
    await expect(page.getByRole('row', { name: new RegExp(family.applicant.surname) }).getByTestId('next-deadline')).toContainText('просрочен');
    await shot(page, 'cases-queue-ru');

    // Item 12: the journal shows the printed journal's fourteen columns; the picker hides one; the CSV is in words.
    await page.getByRole('tab', { name: 'Журнал' }).click();
    const journal = page.getByTestId('journal');
    await expect(journal.getByRole('columnheader')).toHaveCount(14);
    await journal.getByTestId('journal-columns').click();
    const address = page.getByTestId('journal-column-picker').getByRole('checkbox', { name: 'Адрес', exact: true });
    await expect(address).toBeChecked();
    await address.uncheck();
    await expect(journal.getByRole('columnheader')).toHaveCount(13);
    await expect(journal.getByRole('columnheader', { name: 'Адрес', exact: true })).toHaveCount(0);
    await shot(page, 'journal-ru');
    const download = page.waitForEvent('download');
    await journal.getByRole('button', { name: 'Экспорт CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    expect(csv).toContain('Районный отдел');
    expect(csv).toContain('Удостоверение личности (1)');
    expect(csv).toContain('Код канала');
    expect(csv).not.toMatch(/identity_document|family_income_form|×/);
  });

  test('every screen in Kazakh and Russian, looked at (test-results/screens-16)', async ({ page, host, pki }) => {
    // Before signing in: the sign-in screen in both languages.
    await page.goto(host.url);
    for (const [lang, label] of [['kk', 'Қазақша'], ['ru', 'Русский']] as const) {
      await page.getByText(label, { exact: true }).click();
      await shot(page, `signin-${lang}`);
    }
    const all = await families(host);
    const index = all.findIndex((f) => f.children.length >= 1);
    const family = all[index]!;
    const view = await openRegisteredCase(page, host, pki, index);
    // Through the commission, drafted: the referral and the act as the specialist enters them.
    await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
    const panel = view.getByTestId('decision-panel');
    await panel.getByRole('button', { name: 'Направить в комиссию' }).click();
    await expect(page.getByText('Направление подписано')).toBeVisible();
    await view.getByRole('tab', { name: 'Документы и электронные копии' }).click();
    const docs = view.getByTestId('case-documents');
    const before = await docs.getByTestId('page-card').count();
    await docs.getByRole('combobox', { name: 'Документ' }).fill('Акт обследования');
    await page.keyboard.press('Enter');
    await page.keyboard.press('F8');
    await expect(docs.getByTestId('page-card')).toHaveCount(before + 1);
    await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
    const act = panel.getByTestId('commission-act');
    await act.getByTestId('act-occupations').getByRole('textbox').first().fill('Үй шаруасындағы әйел');
    await act.getByLabel('Фактический состав семьи').fill('Семья в составе, указанном в заявлении');
    await act.getByLabel('Обоснование').fill('Среднедушевой доход ниже продовольственной корзины');
    await shot(page, 'commission-act-ru');
    await act.getByRole('button', { name: 'Подписать акт и заключение' }).click();
    await expect(panel.getByTestId('commission-forms')).toBeVisible();
    await shot(page, 'decision-conclusion-ru');
    // The Russian screen carries no English: the threshold's note is read in Russian.
    await expect(panel).not.toContainText(/англ\.|subsistence|assumed|of the/);
    await panel.getByRole('button', { name: 'Подписать проект решения' }).click();
    await expect(page.getByText('Проект решения подписан и передан руководителю')).toBeVisible();
    await closeCase(page);

    const screens: [string, string][] = [['cases', 'Дела'], ['journal', 'Журнал'], ['board', 'Контроль сроков'], ['calendar', 'Производственный календарь'], ['reference', 'Справочники']];
    const screensKk = ['Істер', 'Журнал', 'Мерзімдерді бақылау', 'Өндірістік күнтізбе', 'Анықтамалықтар'];
    const caseTabs = { ru: ['Заявление', 'Документы и электронные копии', 'Запросы в информационные системы', 'Комиссия и решение', 'История и подписи'], kk: ['Өтініш', 'Құжаттар мен скан-көшірмелер', 'Ақпараттық жүйелерге сұраулар', 'Комиссия және шешім', 'Тарих және қолтаңбалар'] };
    for (const lang of ['ru', 'kk'] as const) {
      await page.getByText(lang === 'kk' ? 'Қазақша' : 'Русский', { exact: true }).click();
      for (const [i, [name, ru]] of screens.entries()) {
        const screenTab = page.getByRole('tab', { name: lang === 'kk' ? screensKk[i]! : ru, exact: true });
        await screenTab.click();
        await expect(screenTab).toHaveAttribute('aria-selected', 'true');
        await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
        await shot(page, `${name}-${lang}`);
        await expect(page.locator('body')).not.toContainText(ENGLISH_MONTHS);
      }
      await page.getByRole('tab', { name: lang === 'kk' ? 'Істер' : 'Дела', exact: true }).click();
      await page.keyboard.press('F2');
      await shot(page, `register-${lang}`);
      await page.keyboard.press('Escape');
      await page.getByRole('row', { name: new RegExp(family.applicant.surname) }).click();
      const open = page.locator('.ant-drawer-open');
      for (const [i, tab] of caseTabs[lang].entries()) {
        const caseTab = open.getByRole('tab', { name: tab });
        await caseTab.click();
        await expect(caseTab).toHaveAttribute('aria-selected', 'true');
        await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
        await shot(page, `case-${i + 1}-${lang}`);
      }
      // The footer names the simulated ECP in the language of the screen.
      await expect(page.locator('.ant-layout-footer')).toHaveText(lang === 'kk' ? 'Jardem · ЭЦҚ: имитация (ҰКО емес)' : 'Jardem · ЭЦП: имитация (не НУЦ РК)');
      await closeCase(page);
    }
  });
});
