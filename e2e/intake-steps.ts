/**
 * The counter's steps at intake, as a specialist does them in the UI (item 11.1 stages 1–2), shared by the
 * end-to-end tests that start from an accepted application.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { familiesOf } from '../server/src/is-simulator/app';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { registeredThroughContract } from './contract-intake';
import { expect, jardem, registerApplicant, signIn, useRussian, type Host, type Pki } from './fixtures';

export interface Person { iin: string; surname: string; givenName: string; patronymic: string; birthDate: string }
export interface Family { applicant: Person; spouse: Person; children: (Person & { birth: { recordNumber: string; registeredOn: string } })[]; address: string; iban: string; income: Record<string, Record<string, number>> }

/**
 * The family's papers: what the registry holds about them (as the originals on the counter would say). The server's
 * simulator answers devices only; its registry is the one the server generates by default (seed 42, 300 families).
 */
export async function families(host: Host): Promise<Family[]> {
  expect(host.isUrl).not.toBeNull();
  return JSON.parse(JSON.stringify(familiesOf(generateRegistry(42, 300), 20))) as Family[];
}

export function useSaneScanner(host: Host) {
  const sane = path.join(host.dataDir, 'sane');
  mkdirSync(sane, { recursive: true });
  writeFileSync(path.join(sane, 'dll.conf'), 'test\n');
  copyFileSync('/etc/sane.d/test.conf', path.join(sane, 'test.conf'));
  jardem('scanner', '--data-dir', host.dataDir, '--set', JSON.stringify({ source: 'sane', device: 'test:0', dpi: 200, mode: 'Color', saneConfigDir: sane, testPicture: 'Grid' }));
}

/** Registers the applicant, types the application, scans the required documents. Returns the case dialog. */
/** The quarter whose income counts for an application made this quarter (benefit.md §1: the quarter before). */
export const INCOME_MONTHS = ['2026-07', '2026-08', '2026-09'];

/**
 * `income`: 'one-month' types the applicant's income for one month (enough for the checks); 'quarter' types every
 * month of the income quarter for both adults, as their certificates say, so the calculation is the real one.
 */
export async function takeApplication(page: Page, family: Family, surnameAsTyped = family.applicant.surname, income: 'one-month' | 'quarter' = 'one-month') {
  const a = family.applicant;
  await registerApplicant(page, { iin: a.iin, surname: surnameAsTyped, givenName: a.givenName, patronymic: a.patronymic, address: family.address });
  await page.getByRole('row', { name: new RegExp(`${surnameAsTyped} ${a.givenName}`) }).click();
  const view = page.getByRole('dialog', { name: /Дело AUE-W1/ });

  await view.getByRole('tab', { name: 'Заявление' }).click();
  const app = view.getByTestId('application-form');
  await app.getByLabel('Номер').fill('045123456');
  await app.getByLabel('Дата выдачи').fill('2019-05-10');
  await app.getByLabel('Адрес регистрации').fill(family.address);
  await app.getByLabel('Счёт для выплаты (IBAN)').fill(family.iban);
  await app.getByLabel('Банк').fill('Halyk Bank');
  await app.getByRole('button', { name: '+ Взрослый член семьи' }).click();
  const spouse = app.getByTestId('member-1');
  for (const [label, value] of [['ИИН', family.spouse.iin], ['Фамилия', family.spouse.surname], ['Имя', family.spouse.givenName], ['Отчество', family.spouse.patronymic], ['Дата рождения', family.spouse.birthDate]] as const) await spouse.getByLabel(label).fill(value);
  for (const [i, child] of family.children.entries()) {
    await app.getByRole('button', { name: '+ Ребёнок' }).click();
    const c = app.getByTestId(`member-${i + 2}`);
    for (const [label, value] of [['ИИН', child.iin], ['Фамилия', child.surname], ['Имя', child.givenName], ['Отчество', child.patronymic], ['Дата рождения', child.birthDate], ['№ свидетельства о рождении', child.birth.recordNumber], ['Дата регистрации рождения', child.birth.registeredOn], ['Орган регистрации (ЗАГС)', 'Алматы АХАЖ']] as const) await c.getByLabel(label).fill(value);
  }
  // Income as the employers' certificates say: the applicant's for one month, or both adults' for the quarter.
  const lines = (income === 'quarter' ? [a, family.spouse] : [a]).flatMap((person, adult) =>
    (income === 'quarter' ? INCOME_MONTHS : ['2026-08']).flatMap((month) => {
      const amount = family.income[person.iin]?.[month];
      return amount === undefined ? [] : [{ adult, person, month, amount }];
    }),
  );
  // The income grid has a wage row for each adult: each amount in its month's cell, typed from the keyboard.
  for (const line of lines) {
    const month = `${line.month.slice(5, 7)}.${line.month.slice(0, 4)}`;
    await app.getByLabel(`${line.person.surname} ${line.person.givenName}, заработная плата, ${month}`).fill(String(line.amount / 100));
  }
  await app.getByRole('button', { name: 'Сохранить и подписать' }).click();
  // Saving signs the application (a CMS signature and the case's commit): on a loaded machine it took over 10 s once.
  await expect(page.getByText('Заявление сохранено и подписано')).toBeVisible({ timeout: 30_000 });

  // Scan every document the checklist requires.
  await view.getByRole('tab', { name: 'Документы и электронные копии' }).click();
  const docs = view.getByTestId('case-documents');
  for (const [n, title] of ['Заявление', 'Удостоверение личности', 'Сведения о составе семьи', 'Сведения о доходах семьи', 'Договор с банком (счёт)'].entries()) {
    // The document by typing its name: the list is longer than its window.
    await docs.getByRole('combobox', { name: 'Документ' }).fill(title);
    await page.keyboard.press('Enter');
    await page.keyboard.press('F8');
    await expect(docs.getByTestId('page-card')).toHaveCount(n + 1);
  }
  await view.getByRole('tab', { name: 'Заявление' }).click();
  await expect(app.getByTestId('checklist').getByRole('row', { name: /(?<!не )требуется$/ })).toHaveCount(0);
  return view;
}

/** Asks the information systems, accepts the application and registers it in the journal (item 11.1 stages 2–3). */
export async function acceptAndRegister(page: Page, view: ReturnType<Page['getByRole']>) {
  await view.getByRole('tab', { name: 'Запросы в информационные системы' }).click();
  const checks = view.getByTestId('intake-checks');
  await checks.getByRole('button', { name: 'Запросить сведения в ИС' }).click();
  await expect(checks.getByText('Все сведения подтверждены')).toBeVisible({ timeout: 20_000 });
  await checks.getByRole('button', { name: 'Принять заявление' }).click();
  await expect(page.getByText('Заявление принято. Распечатайте талон')).toBeVisible();
  await checks.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  const registration = page.getByRole('dialog', { name: 'Зарегистрировать в журнале' });
  await registration.getByText('Каждая электронная копия сверена с оригиналом').click();
  await registration.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  await expect(page.getByText(/Зарегистрировано в журнале под № AUE-W1-\d{4}-J\d{6}/)).toBeVisible();
}

/** The counter opened for the day: the SANE test scanner configured, the specialist signed in, Russian, no cases yet. */
export async function openCounter(page: Page, host: Host, pki: Pki) {
  useSaneScanner(host);
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  await expect(page.getByText('Всего дел: 0')).toBeVisible();
}

/**
 * The family at `index` of `families()` taken in and registered through the contract (./contract-intake.ts), for the
 * specs whose subject comes after intake; then the counter as `openCounter` opens it, with that case open.
 */
export async function openRegisteredCase(page: Page, host: Host, pki: Pki, index: number) {
  await registeredThroughContract(host, pki, index);
  useSaneScanner(host);
  await signIn(page, host, pki.specialistKey, pki.specialistPassword);
  await useRussian(page);
  const a = (await families(host))[index]!.applicant;
  await page.getByRole('row', { name: new RegExp(`${a.surname} ${a.givenName}`) }).click();
  return page.getByRole('dialog', { name: /Дело AUE-W1/ });
}
