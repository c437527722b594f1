/**
 * An office as one system: the central server (PGlite) and three browser hosts with their own data
 * folders and device certificates: W1 and W2 of Әуезов, and a workstation of Бостандық. The counter on W1 takes a
 * family to acceptance and registration in the UI; the commission's act and the draft are entered through the
 * contract (their own specs click them); the head on W2 sees the case arrive, signs the decision and the
 * notification; W1 records the delivery; Verify case is clean on both; the other district finds nothing.
 */
import { officeDate } from '../shared/local-date';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { expect, jardem, moveClock, officeWorkstation, openTab, printPreview, rpc, signIn, startListening, stop, test, useRussian, type Host } from './fixtures';
import { families, openRegisteredCase } from './intake-steps';
import { sessionOf } from './contract-intake';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'test-results', 'screens');
test.describe.configure({ mode: 'serial' });
test.setTimeout(480_000);

interface Office {
  server: { url: string; stop: () => Promise<void> };
  hosts: Record<'w1' | 'w2' | 'bos', Host & { stop: () => Promise<void> }>;
  tmp: string;
}

let office: Office;

test.beforeAll(async ({ pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-office-'));
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'specialist', '--iin', '851120400008', '--surname', 'Оспанова', '--given', 'Айгүл', '--office', 'BOS', '--password', 'Bos-789', '--out', path.join(tmp, 'bos.p12'), ...pki.registerBy('BOS'));
  const server = await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--data-dir', path.join(tmp, 'server'), '--port', '0', '--is-simulator'], {});
  const hosts = {
    w1: await officeWorkstation(tmp, pki.dir, 'AUE', 'W1', server.url, { timeTravel: true }),
    w2: await officeWorkstation(tmp, pki.dir, 'AUE', 'W2', server.url, { timeTravel: true }),
    bos: await officeWorkstation(tmp, pki.dir, 'BOS', 'W1', server.url, { timeTravel: true }),
  };
  office = { server: { url: server.url, stop: () => stop(server.child) }, hosts, tmp };
});

// A failed test keeps the office's data folders (the workstations' databases, the server's) for whoever reads why.
let failed = false;
test.afterEach(({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) failed = true;
});

test.afterAll(async () => {
  for (const h of Object.values(office?.hosts ?? {})) await h.stop();
  await office?.server.stop();
  if (office && failed) cpSync(office.tmp, path.join(ROOT, 'test-results', 'sync-office-data'), { recursive: true });
  if (office) rmSync(office.tmp, { recursive: true, force: true });
});

async function openAs(browser: Browser, host: Host, key: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  await signIn(page, host, key, password);
  await useRussian(page);
  return page;
}

test('the counter on W1 takes the family; the head signs on W2; W1 delivers; both verify; another district sees nothing', async ({ page, browser, pki }) => {
  const { w1, w2, bos } = office.hosts;
  const all = await families(w1);
  const index = all.findIndex((f) => f.children.length === 1);
  const family = all[index]!;

  // W1, the counter: the family taken in and registered in the journal (through the contract: the intake specs
  // click it), then open on the counter's screen.
  const view = await openRegisteredCase(page, w1, pki, index);
  await expect(page.getByTestId('sync-online')).toHaveText('Сервер: в сети');
  // "Sync now" on the case, the workstation connected and idle (in its long poll): the button spins until the round
  // that sends has answered, and the header never says offline meanwhile (every state it shows is recorded).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { headerSaid: string[] }).headerSaid = seen;
    new MutationObserver(() => seen.push(document.querySelector('[data-testid=sync-online]')?.textContent ?? '')).observe(document.body, { childList: true, characterData: true, subtree: true });
  });
  await view.getByTestId('case-sync-now').click();
  await expect(view.getByTestId('case-sync-now')).not.toHaveClass(/ant-btn-loading/);
  await expect(page.getByTestId('sync-online')).toHaveText('Сервер: в сети');
  expect(await page.evaluate(() => (window as unknown as { headerSaid: string[] }).headerSaid)).not.toContain('Сервер: нет связи');
  const caseNumber = (await view.getByText(/AUE-W1-\d{4}-\d{6}/).first().textContent())!.match(/AUE-W1-\d{4}-\d{6}/)![0];

  // The commission's act and the specialist's draft, through the contract (the decision spec clicks them).
  const token = await sessionOf(w1, pki.specialistKey, pki.specialistPassword);
  const caseId = (await rpc<{ items: { id: string }[] }>(w1, 'cases.search', { query: caseNumber }, token)).items[0]!.id;
  await rpc(w1, 'commission.refer', { caseId, precinctCode: 'AUE-01' }, token);
  const page1 = (await rpc<{ pages: { pageId: string }[] }>(w1, 'pages.list', { caseId }, token)).pages;
  expect(page1.length).toBeGreaterThan(0);
  const scan = (await rpc<{ base64: string }>(w1, 'pages.image', { caseId, pageId: page1[0]!.pageId }, token)).base64;
  // The list of scans open on the counter's screen follows a page added elsewhere (here in another session, as one
  // from another workstation arrives by sync).
  await view.getByRole('tab', { name: 'Документы и электронные копии' }).click();
  await rpc(w1, 'pages.import', { caseId, documentKind: 'commission_act', fileName: 'act.png', base64: scan }, token);
  await expect(view.getByText(/Акт обследования материального положения семьи \(бумажный\) ·/)).toBeVisible();
  const today = officeDate(new Date());
  await rpc(w1, 'commission.conclude', { caseId, act: { date: today, membersPresent: ['Төлеуова Гүлнар Ержанқызы'], housing: { type: 'apartment', ownership: 'own', rooms: 2, areaM2: 48, utilities: ['electricity'] }, property: { vehicles: '', livestock: '', land: '' }, familyAsFound: 'Отбасы құрамы өтінішке сәйкес', observations: '' }, conclusion: { needs: true, grounds: 'Табыс төмен', members: ['Төлеуова Гүлнар Ержанқызы'] } }, token);
  const eligible = (await rpc<{ eligible: boolean }>(w1, 'decision.calculate', { caseId }, token)).eligible;
  await rpc(w1, 'decision.draft', { caseId, outcome: eligible ? 'assign' : 'refuse', refusalGrounds: [] }, token);
  await expect(page.getByTestId('sync-waiting')).toHaveText('Ожидают отправки: 0', { timeout: 20_000 });

  // W2, the head's own workstation: the case arrives by itself; everything needed to sign is on one screen.
  const head = await openAs(browser, w2, pki.headKey, pki.headPassword);
  await expect(head.getByRole('row', { name: new RegExp(family.applicant.surname) })).toBeVisible({ timeout: 30_000 });
  await head.getByRole('row', { name: new RegExp(family.applicant.surname) }).click();
  const onW2 = head.getByRole('dialog', { name: new RegExp(caseNumber) });
  await expect(onW2.getByTestId('case-sync')).toHaveText('на сервере');
  await onW2.getByRole('tab', { name: 'Комиссия и решение' }).click();
  const panel = onW2.getByTestId('decision-panel');
  await expect(panel.getByTestId('recompute-match')).toHaveText('совпадает с проектом');
  for (const check of ['Электронные документы соответствуют бумажному делу', 'Отметки о качестве электронных копий рассмотрены', 'Пособие пересчитано, расчёт совпадает с проектом']) await panel.getByText(check).click();
  await printPreview(head, () => panel.getByRole('button', { name: 'Подписать решение' }).click());
  await expect(head.getByText('Решение подписано', { exact: true })).toBeVisible();

  // W1, the case open on the commission and decision tab: the signed decision arrives, the notification is still
  // the head's to sign. A minute: a margin for a slow machine running the suite's other worker beside this one.
  const decided = view.getByTestId('decision-panel');
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  await expect(decided.getByText(/AUE-W2-\d{4}-D\d{6}/)).toBeVisible({ timeout: 60_000 });
  await expect(decided.getByText('Уведомление подписывает руководитель')).toBeVisible();

  // W2: the head signs the notification.
  await printPreview(head, () => panel.getByRole('button', { name: 'Подписать уведомление' }).click());
  await expect(panel.getByText('Уведомление вручает ответственный специалист')).toBeVisible();
  // Sent: the case's badge follows the acknowledgement (which changes no act of it), and so does the header.
  await expect(onW2.getByTestId('case-sync')).toHaveText('на сервере', { timeout: 20_000 });
  await expect(head.getByTestId('sync-waiting')).toHaveText('Ожидают отправки: 0', { timeout: 20_000 });
  await head.screenshot({ path: path.join(SHOTS, 'sync-head-w2-ru.png'), fullPage: true });

  // W1: the notification arrives on the screen already open (it changes no stage: the panel follows the case, not
  // only its stage); the counter hands it over.
  await expect(decided.getByLabel('Кому вручено (ФИО)')).toBeVisible({ timeout: 60_000 });
  await decided.getByLabel('Кому вручено (ФИО)').fill(`${family.applicant.surname} ${family.applicant.givenName}`);
  await decided.getByRole('button', { name: 'Записать вручение и закрыть дело' }).click();
  await expect(page.getByText('Вручение записано, дело закрыто')).toBeVisible();
  await view.getByRole('tab', { name: 'История и подписи' }).click();
  await view.getByRole('button', { name: 'Проверить дело' }).click();
  await expect(view.getByTestId('case-verification')).toContainText('Все события целы, цепочка не нарушена, подписи действительны');
  await page.screenshot({ path: path.join(SHOTS, 'sync-counter-w1-ru.png'), fullPage: true });

  // W2 sees the case closed, and verifies it whole: every signature, scan and form pulled from the server.
  await expect(onW2.getByText('Закрыто').first()).toBeVisible({ timeout: 30_000 });
  await onW2.getByRole('tab', { name: 'История и подписи' }).click();
  await onW2.getByRole('button', { name: 'Проверить дело' }).click();
  await expect(onW2.getByTestId('case-verification')).toContainText('Все события целы, цепочка не нарушена, подписи действительны');

  // The other district's workstation: synced, and nothing of Әуезов's.
  const other = await openAs(browser, bos, path.join(office.tmp, 'bos.p12'), 'Bos-789');
  await expect(other.getByTestId('sync-online')).toHaveText('Сервер: в сети', { timeout: 30_000 });
  await expect(other.getByText('Всего дел: 0')).toBeVisible();
  await other.getByText('Қазақша', { exact: true }).click();
  await expect(other.getByTestId('sync-online')).toHaveText('Сервер: байланыс бар');
  await other.screenshot({ path: path.join(SHOTS, 'sync-other-district-kk.png') });
});

/**
 * A conflict made by two workstations while the server is unreachable (its process stopped, then started
 * again on the same address), shown on the Conflicts screen of both, resolved by one person who signs, and seen
 * resolved on the other. The two acts are entered through the contract (their own specs click them); the
 * Conflicts screen is used as a person uses it.
 */
test('two workstations act on one case while the server is down; the Conflicts screen shows it on both; the one whose act lost redoes it, the other sees it resolved', async ({ browser, pki }) => {
  const { w1, w2 } = office.hosts;
  const SHOTS12 = path.join(ROOT, 'test-results', 'screens-12');
  const second = path.join(office.tmp, 'specialist2.p12');
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'specialist', '--iin', '900512400028', '--surname', 'Қайратова', '--given', 'Жанар', '--office', 'AUE', '--password', 'Spec-234', '--out', second, ...pki.registerBy('AUE'));
  const t1 = await sessionOf(w1, pki.specialistKey, pki.specialistPassword);
  const t2 = await sessionOf(w2, second, 'Spec-234');
  const family = (await families(w1)).at(-1)!;
  const a = family.applicant;
  const c = (await rpc<{ case: { id: string; caseNumber: string } }>(w1, 'cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' }, t1)).case;
  await rpc(w1, 'sync.now', {}, t1);
  await expect.poll(async () => (await rpc<{ items: unknown[] }>(w2, 'cases.search', { query: c.caseNumber }, t2)).items.length, { timeout: 20_000 }).toBe(1);

  // The server goes away: both workstations record the application on the same version of the case.
  const port = new URL(office.server.url).port;
  await office.server.stop();
  const application = (registrationAddress: string) => ({
    caseId: c.id,
    identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
    registrationAddress,
    bankAccount: { iban: family.iban, bank: 'Halyk Bank' },
    representative: null,
    members: [
      { id: 'm1', relation: 'applicant', ...a },
      { id: 'm2', relation: 'spouse', ...family.spouse },
      ...family.children.map((ch, i) => ({ id: `c${i}`, relation: 'child', iin: ch.iin, surname: ch.surname, givenName: ch.givenName, patronymic: ch.patronymic, birthDate: ch.birthDate, birthRecord: { number: ch.birth.recordNumber, date: ch.birth.registeredOn, registryOffice: 'Алматы АХАЖ', inKazakhstan: true } })),
    ],
    income: [],
    applicantDataMatchBirthCertificates: true,
  });
  await rpc(w1, 'application.record', application(family.address), t1);
  await rpc(w2, 'application.record', application('Алматы қ., Әуезов ауданы, 8-шағынаудан, 4'), t2);
  const restarted = await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--data-dir', path.join(office.tmp, 'server'), '--port', port, '--is-simulator'], {});
  office.server = { url: restarted.url, stop: () => stop(restarted.child) };
  // Whichever act reaches the server first holds the place and the other is kept as the conflict: W1 is asked first,
  // but W2's own loop tries again as soon as the server is back, and may come first.
  await rpc(w1, 'sync.now', {}, t1);
  await rpc(w2, 'sync.now', {}, t2);
  await rpc(w1, 'sync.now', {}, t1);

  const onW1 = await openAs(browser, w1, pki.specialistKey, pki.specialistPassword);
  const onW2 = await openAs(browser, w2, second, 'Spec-234');
  for (const p of [onW1, onW2]) {
    await expect(p.getByTestId('sync-conflicts')).toHaveText('Конфликты: 1', { timeout: 20_000 });
    await p.getByTestId('sync-conflicts').click();
  }
  const people = [
    { name: 'Сейітқали Әйгерім', address: family.address, page: onW1, password: pki.specialistPassword },
    { name: 'Қайратова Жанар', address: '8-шағынаудан, 4', page: onW2, password: 'Spec-234' },
  ];
  const holding = await onW1.getByTestId('conflict').getByTestId('conflict-holding-who').textContent();
  const [holder, loser] = holding?.trim() === people[0]!.name ? [people[0]!, people[1]!] : [people[1]!, people[0]!];
  for (const p of [onW1, onW2]) {
    const card = p.getByTestId('conflict');
    await expect(card).toContainText(c.caseNumber);
    await expect(card.getByTestId('conflict-status')).toHaveText('Не разрешён');
    await expect(card.getByTestId('conflict-holding-who')).toHaveText(holder.name);
    await expect(card.getByTestId('conflict-losing-who')).toHaveText(loser.name);
    await expect(card.getByTestId('conflict-holding-changes')).toContainText(holder.address);
    await expect(card.getByTestId('conflict-losing-changes')).toContainText(loser.address);
  }
  await holder.page.screenshot({ path: path.join(SHOTS12, 'conflicts-holder-ru.png'), fullPage: true });
  await loser.page.getByText('Қазақша', { exact: true }).click();
  await expect(loser.page.getByTestId('conflict-status')).toHaveText('Шешілмеген');
  await loser.page.screenshot({ path: path.join(SHOTS12, 'conflicts-loser-kk.png'), fullPage: true });

  // The specialist whose act lost redoes it on the current version: a note, the button, her key's password if asked.
  await loser.page.getByLabel('Ескертпе: қайшылық неге осылай шешілді').fill('Мекенжайды өтініш беруші растады');
  await loser.page.getByRole('button', { name: 'Әрекетті ағымдағы нұсқада қайталап, қол қою' }).click();
  const unlock = loser.page.getByRole('dialog');
  if (await unlock.isVisible().catch(() => false)) {
    await unlock.getByLabel(/Кілттің құпиясөзі|Пароль ключа/).fill(loser.password);
    await unlock.getByRole('button').last().click();
  }
  await expect(loser.page.getByTestId('conflict-status')).toHaveText('Шешілді', { timeout: 20_000 });
  await expect(loser.page.getByTestId('conflict-resolution')).toContainText(loser.name);

  // The other workstation sees it resolved after its next sync, by whom; the count leaves the header.
  await expect(holder.page.getByTestId('conflict-status')).toHaveText('Разрешён', { timeout: 30_000 });
  await expect(holder.page.getByTestId('conflict-resolution')).toContainText('Действие повторено на текущей версии');
  // The resolving act itself reached it (a page never gives the resolution without it), so its signer is named.
  await expect(holder.page.getByTestId('conflict-resolution')).toContainText(`Разрешил: ${loser.name}`);
  await expect(holder.page.getByTestId('sync-conflicts')).toHaveCount(0);
  await holder.page.screenshot({ path: path.join(SHOTS12, 'conflicts-resolved-holder-ru.png'), fullPage: true });
  await loser.page.screenshot({ path: path.join(SHOTS12, 'conflicts-resolved-loser-kk.png'), fullPage: true });
  if (loser.page === onW1) await onW1.getByText('Русский', { exact: true }).click();

  // W1's clock moved a day ahead by the administrator: its next act is flagged by the server, and shown so.
  await moveClock(onW1, w1, pki, 1);
  await rpc(w1, 'application.record', application(family.address), t1);
  await rpc(w1, 'sync.now', {}, t1);
  await openTab(onW1, 'Синхронизация');
  await expect(onW1.getByTestId('sync-flagged')).toContainText('Действие датировано позже часов сервера', { timeout: 20_000 });
  await onW1.screenshot({ path: path.join(SHOTS12, 'sync-flagged-w1-ru.png'), fullPage: true });
  await openTab(onW1, 'Дела');
  await onW1.getByRole('row', { name: new RegExp(a.surname) }).first().click();
  const view = onW1.getByRole('dialog', { name: new RegExp(c.caseNumber) });
  await view.getByRole('tab', { name: 'История и подписи' }).click();
  await expect(view.getByText('Действие датировано позже часов сервера (более чем на 5 мин)')).toBeVisible();
  await onW1.screenshot({ path: path.join(SHOTS12, 'case-history-flag-w1-ru.png'), fullPage: true });
});

test('the city department’s administrator corrects a day on W1 of Әуезов; Бостандық’s workstation has it after its sync', async ({ browser, pki }) => {
  const { w1, bos } = office.hosts;
  const shots = path.join(ROOT, 'test-results', 'screens-refdata');
  const cityKey = path.join(office.tmp, 'city-admin.p12');
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'admin', '--iin', '750707400005', '--surname', 'Ахметова', '--given', 'Сәуле', '--patronymic', 'Қайратқызы', '--office', 'ALMATY', '--password', 'City-321', '--out', cityKey);
  const admin = await openAs(browser, w1, cityKey, 'City-321');
  await expect(admin.getByTestId('whoami')).toContainText('Администратор');
  await admin.getByRole('tab', { name: 'Производственный календарь' }).click();
  const day = admin.getByLabel('День', { exact: true });
  await day.click();
  await day.fill('21.12.2026');
  await day.press('Enter');
  await admin.getByLabel('Основание (постановление и т. п.)').fill('Постановление Правительства РК № 900 (пример, для всего города)');
  await admin.getByRole('button', { name: 'Сохранить поправку' }).click();
  await expect(admin.getByRole('row', { name: /21\.12\.2026.*выходной.*№ 900/ })).toBeVisible();
  await admin.getByTestId('sync-now').click();
  await admin.screenshot({ path: path.join(shots, 'city-admin-w1-ru.png'), fullPage: true });

  // Another district's counter: after its sync the day is a day off there too, with its source.
  const other = await openAs(browser, bos, path.join(office.tmp, 'bos.p12'), 'Bos-789');
  await other.getByTestId('sync-now').click();
  await other.getByRole('tab', { name: 'Производственный календарь' }).click();
  await expect(other.getByRole('row', { name: /21\.12\.2026.*выходной.*№ 900/ })).toBeVisible({ timeout: 20_000 });
  // The header says online once the round that brought it is done (a round cut short by "Sync now" is not an error).
  await expect(other.getByText('Сервер: в сети')).toBeVisible({ timeout: 20_000 });
  await other.screenshot({ path: path.join(shots, 'city-correction-bos-ru.png'), fullPage: true });
  await other.getByText('Қазақша', { exact: true }).click();
  await expect(other.getByRole('row', { name: /21\.12\.2026.*№ 900/ })).toBeVisible();
  await other.screenshot({ path: path.join(shots, 'city-correction-bos-kk.png'), fullPage: true });
  await other.context().close();
  await admin.context().close();
});
