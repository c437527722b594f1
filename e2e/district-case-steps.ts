/**
 * A district case's acts clicked as people make them, from the registration to the handed-over notification
 * (item 11.1): the specialist's intake and referral, the commission's act and the draft, the head's decision and
 * notification, the delivery. Shared by the walks that check it differently (verified after every act; signed
 * through NCALayer): how a person signs in, and what is checked after each act, are the caller's.
 */
import type { Locator, Page } from '@playwright/test';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen, SearchResult } from '../shared/contract/types';
import { expect, printPreview, registerApplicant, rpc, signOut, type Host } from './fixtures';
import type { Family } from './intake-steps';
import { sessionOf } from './contract-intake';

export const VERIFIED = 'Все события целы, цепочка не нарушена, подписи действительны';

/**
 * A reader of the case beside the screen (its own session): how many events the case has now, so the screen is
 * awaited until its verification covers the last of them, never for a fixed time.
 */
export async function watcher(host: Host, key: string, password: string) {
  const token = await sessionOf(host, key, password);
  const caseOf = async (iin: string) => (await rpc<SearchResult>(host, 'cases.search', { query: iin }, token)).items[0]!.id;
  const events = async (caseId: string) => (caseDetailOf(await rpc<CaseScreen>(host, 'cases.get', { caseId }, token))).events.length;
  return { caseOf, events, token };
}

/** After an act: the history tab's verdict covers every event of the case and says verified; back to `tab`. */
export async function saysVerified(view: Locator, count: () => Promise<number>, tab: string, after: string) {
  const n = await count();
  await view.getByRole('tab', { name: 'История и подписи' }).click();
  const verdict = view.getByTestId('case-verification');
  await expect(verdict, `after ${after}`).toHaveAttribute('data-through', String(n), { timeout: 60_000 });
  await expect(verdict, `after ${after}`).toContainText(VERIFIED);
  await view.getByRole('tab', { name: tab }).click();
}

export interface WalkHooks {
  /** After each act, with the case open: `tab` is where the walk goes on, `what` names the act. */
  after(view: Locator, tab: string, what: string): Promise<void>;
  /** Signs `who` in on the page (the sign-in screen is open after a sign-out) and switches to Russian. */
  signInAs(who: 'head' | 'specialist'): Promise<void>;
}

async function scan(page: Page, view: Locator, title: string) {
  const docs = view.getByTestId('case-documents');
  const before = await docs.getByTestId('page-card').count();
  await docs.getByRole('combobox', { name: 'Документ' }).fill(title);
  await page.keyboard.press('Enter');
  await page.keyboard.press('F8');
  await expect(docs.getByTestId('page-card')).toHaveCount(before + 1, { timeout: 30_000 });
}

/** The specialist is signed in, in Russian, with the scanner set; the walk ends signed in as the specialist. */
export async function walkDistrictCase(page: Page, family: Family, hooks: WalkHooks) {
  const a = family.applicant;
  await registerApplicant(page, { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, address: family.address });
  await page.getByRole('row', { name: new RegExp(`${a.surname} ${a.givenName}`) }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await hooks.after(view, 'Заявление', 'registration');

  // The application, saved and signed.
  const app = view.getByTestId('application-form');
  await app.getByLabel('Номер').fill('045123456');
  await app.getByLabel('Дата выдачи').fill('2019-05-10');
  await app.getByLabel('Адрес регистрации').fill(family.address);
  await app.getByLabel('Счёт для выплаты (IBAN)').fill(family.iban);
  await app.getByLabel('Банк').fill('Halyk Bank');
  await app.getByRole('button', { name: '+ Взрослый член семьи' }).click();
  const spouse = app.getByTestId('member-1');
  for (const [label, value] of [['ИИН', family.spouse.iin], ['Фамилия', family.spouse.surname], ['Имя', family.spouse.givenName], ['Отчество', family.spouse.patronymic], ['Дата рождения', family.spouse.birthDate]] as const) await spouse.getByLabel(label).fill(value);
  const child = family.children[0]!;
  await app.getByRole('button', { name: '+ Ребёнок' }).click();
  const c = app.getByTestId('member-2');
  for (const [label, value] of [['ИИН', child.iin], ['Фамилия', child.surname], ['Имя', child.givenName], ['Отчество', child.patronymic], ['Дата рождения', child.birthDate], ['№ свидетельства о рождении', child.birth.recordNumber], ['Дата регистрации рождения', child.birth.registeredOn], ['Орган регистрации (ЗАГС)', 'Алматы АХАЖ']] as const) await c.getByLabel(label).fill(value);
  const amount = family.income[a.iin]?.['2026-08'];
  if (amount !== undefined) await app.getByLabel(`${a.surname} ${a.givenName}, заработная плата, 08.2026`).fill(String(amount / 100));
  await app.getByRole('button', { name: 'Сохранить и подписать' }).click();
  await expect(page.getByText('Заявление сохранено и подписано')).toBeVisible({ timeout: 30_000 });
  await hooks.after(view, 'Документы и электронные копии', 'the application');

  // Each scan certified at capture.
  for (const title of ['Заявление', 'Удостоверение личности', 'Сведения о составе семьи', 'Сведения о доходах семьи', 'Договор с банком (счёт)']) {
    await scan(page, view, title);
    await hooks.after(view, 'Документы и электронные копии', `the scan of ${title}`);
  }

  // The information systems asked and answered, the application accepted, registered in the journal.
  await view.getByRole('tab', { name: 'Запросы в информационные системы' }).click();
  const checks = view.getByTestId('intake-checks');
  await checks.getByRole('button', { name: 'Запросить сведения в ИС' }).click();
  await expect(checks.getByText('Все сведения подтверждены')).toBeVisible({ timeout: 30_000 });
  await hooks.after(view, 'Запросы в информационные системы', 'the answers');
  await checks.getByRole('button', { name: 'Принять заявление' }).click();
  await expect(page.getByText('Заявление принято. Распечатайте талон')).toBeVisible();
  await hooks.after(view, 'Запросы в информационные системы', 'the acceptance');
  await checks.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  const registration = page.getByRole('dialog', { name: 'Зарегистрировать в журнале' });
  await registration.getByText('Каждая электронная копия сверена с оригиналом').click();
  await registration.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  await expect(page.getByText(/Зарегистрировано в журнале под № AUE-W1-\d{4}-J\d{6}/)).toBeVisible();
  await hooks.after(view, 'Комиссия и решение', 'the registration in the journal');

  // The referral, the paper act scanned, the act and conclusion, the draft.
  const panel = view.getByTestId('decision-panel');
  await printPreview(page, () => panel.getByRole('button', { name: 'Направить в комиссию' }).click());
  await expect(page.getByText('Направление подписано')).toBeVisible();
  await hooks.after(view, 'Документы и электронные копии', 'the referral');
  await scan(page, view, 'Акт обследования');
  await hooks.after(view, 'Комиссия и решение', 'the scan of the commission act');
  const act = panel.getByTestId('commission-act');
  await act.getByLabel('Фактический состав семьи').fill('Семья в составе, указанном в заявлении');
  await act.getByLabel('Обоснование').fill('Среднедушевой доход ниже продовольственной корзины');
  await act.getByRole('button', { name: 'Подписать акт и заключение' }).click();
  await expect(panel.getByRole('button', { name: 'Подписать проект решения' })).toBeVisible({ timeout: 30_000 });
  await hooks.after(view, 'Комиссия и решение', 'the act and conclusion');
  await panel.getByRole('button', { name: 'Подписать проект решения' }).click();
  await expect(page.getByText('Проект решения подписан и передан руководителю')).toBeVisible();
  await hooks.after(view, 'Комиссия и решение', 'the draft');
  await page.locator('.ant-drawer-open .ant-drawer-close').click();
  await signOut(page);

  // The head: the decision, then the notification.
  await hooks.signInAs('head');
  await page.getByRole('row', { name: new RegExp(a.surname) }).click();
  const head = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await head.getByRole('tab', { name: 'Комиссия и решение' }).click();
  const hp = head.getByTestId('decision-panel');
  for (const check of ['Электронные документы соответствуют бумажному делу', 'Отметки о качестве электронных копий рассмотрены', 'Пособие пересчитано, расчёт совпадает с проектом']) await hp.getByText(check).click();
  await printPreview(page, () => hp.getByRole('button', { name: 'Подписать решение' }).click());
  // The signed decision stays on the panel (its number, and the notification to sign next); the toast saying so may
  // be gone by the time a busy machine has opened the printed form.
  await expect(hp.getByText(/AUE-W1-\d{4}-D\d{6}/)).toBeVisible();
  await expect(hp.getByRole('button', { name: 'Подписать уведомление' })).toBeVisible();
  await hooks.after(head, 'Комиссия и решение', 'the decision');
  await printPreview(page, () => hp.getByRole('button', { name: 'Подписать уведомление' }).click());
  await expect(hp.getByText('Уведомление вручает ответственный специалист')).toBeVisible();
  await hooks.after(head, 'Комиссия и решение', 'the notification');
  await page.locator('.ant-drawer-open .ant-drawer-close').click();
  await signOut(page);

  // The specialist hands the notification over: the case closes.
  await hooks.signInAs('specialist');
  await page.getByRole('row', { name: new RegExp(a.surname) }).click();
  const back = page.getByRole('dialog', { name: /Дело AUE-W1/ });
  await back.getByRole('tab', { name: 'Комиссия и решение' }).click();
  const bp = back.getByTestId('decision-panel');
  await bp.getByLabel('Кому вручено (ФИО)').fill(`${a.surname} ${a.givenName}`);
  await bp.getByRole('button', { name: 'Записать вручение и закрыть дело' }).click();
  await expect(page.getByText('Вручение записано, дело закрыто')).toBeVisible();
  await hooks.after(back, 'Комиссия и решение', 'the delivery');
}
