/**
 * The Center channel end to end (regulation item 11.2): the central server and two browser hosts, a
 * Center workstation (CON-AUE, its own data folder and device) and the district's (AUE). The Center's intake is set
 * up through the contract (its own specs click it); the new steps are clicked as people would: the request sent,
 * returned with the Appendix 4 notice, corrected and re-sent, accepted at the district; the district's stages go
 * through the contract; the handover at the Center; Verify case clean on both sides. A second test takes a refusal
 * back to the Center.
 */
import { officeDate } from '../shared/local-date';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { expect, jardem, officeWorkstation, printPreview, rpc, signIn, startListening, stop, test, useRussian, type Host, type Pki } from './fixtures';
import { intakeThroughContract, registry, sessionOf } from './contract-intake';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'test-results', 'screens-13');
test.describe.configure({ mode: 'serial' });
test.setTimeout(480_000);

const CENTER_KEY = { password: 'Con-321', iin: '851120400008', surname: 'Иванова', given: 'Ольга', patronymic: 'Петровна' };

interface Office {
  server: { url: string; stop: () => Promise<void> };
  con: Host & { stop: () => Promise<void> };
  aue: Host & { stop: () => Promise<void> };
  tmp: string;
  centerKey: string;
}

const token = sessionOf;

let office: Office;
test.beforeAll(async ({ pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-center-'));
  const centerKey = path.join(tmp, 'center.p12');
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'center', '--iin', CENTER_KEY.iin, '--surname', CENTER_KEY.surname, '--given', CENTER_KEY.given, '--patronymic', CENTER_KEY.patronymic, '--office', 'CON-AUE', '--password', CENTER_KEY.password, '--out', centerKey, ...pki.registerBy('CON-AUE'));
  const server = await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--data-dir', path.join(tmp, 'server'), '--port', '0', '--is-simulator'], {});
  office = { server: { url: server.url, stop: () => stop(server.child) }, con: await officeWorkstation(tmp, pki.dir, 'CON-AUE', 'W1', server.url, { syncWaitS: 5 }), aue: await officeWorkstation(tmp, pki.dir, 'AUE', 'W1', server.url, { syncWaitS: 5 }), tmp, centerKey };
});
test.afterAll(async () => {
  await office?.con.stop();
  await office?.aue.stop();
  await office?.server.stop();
  if (office) rmSync(office.tmp, { recursive: true, force: true });
});

async function openAs(browser: Browser, host: Host, key: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  await signIn(page, host, key, password);
  await useRussian(page);
  return page;
}

let next = 0;
/** The next registry family with one child under 18 (the server's simulator holds its records). */
function family(): number {
  for (; next < registry.families.length; next++) if (registry.families[next]!.children.length === 1) return next++;
  throw new Error('no family');
}

/** The Center's intake as today, through the contract: applicant, application, scans, the information systems, the қолхат. */
async function centerIntake(index: number, language: 'kk' | 'ru', without: string[] = []) {
  const { con, centerKey } = office;
  const t = await token(con, centerKey, CENTER_KEY.password);
  const c = await intakeThroughContract(con, t, index, { language, without });
  const receipt = await rpc<{ verificationCode: string }>(con, 'forms.issueReceipt', { caseId: c.id }, t);
  return { ...c, token: t, receipt: receipt.verificationCode };
}

/** The district's stages after acceptance, through the contract (the decision spec clicks them): to the notification passed to the Center. */
async function districtStages(pki: Pki, caseId: string, refuse: boolean, scan: string) {
  const { aue } = office;
  const s = await token(aue, pki.specialistKey, pki.specialistPassword);
  const h = await token(aue, pki.headKey, pki.headPassword);
  const today = officeDate(new Date());
  await rpc(aue, 'journal.register', { caseId, scansCompared: true, flagsReviewed: [] }, s);
  await rpc(aue, 'commission.refer', { caseId, precinctCode: 'AUE-01' }, s);
  await rpc(aue, 'pages.import', { caseId, documentKind: 'commission_act', fileName: 'act.png', base64: scan }, s);
  await rpc(aue, 'commission.conclude', { caseId, act: { date: today, membersPresent: ['Төлеуова Гүлнар Ержанқызы'], housing: { type: 'apartment', ownership: 'own', rooms: 2, areaM2: 48, utilities: ['electricity'] }, property: { vehicles: '', livestock: '', land: '' }, familyAsFound: 'Отбасы құрамы өтінішке сәйкес', observations: '' }, conclusion: { needs: true, grounds: 'Табыс төмен', members: ['Төлеуова Гүлнар Ержанқызы'] } }, s);
  // As the calculation says, or (the refusal test) refused for unreliable information (item 10).
  const eligible = (await rpc<{ eligible: boolean }>(aue, 'decision.calculate', { caseId }, s)).eligible;
  await rpc(aue, 'decision.draft', refuse ? { caseId, outcome: 'refuse', refusalGrounds: ['unreliable_information'] } : { caseId, outcome: eligible ? 'assign' : 'refuse', refusalGrounds: [] }, s);
  await rpc(aue, 'decision.sign', { caseId, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true }, h);
  await rpc(aue, 'session.unlock', { password: pki.headPassword }, h);
  await rpc(aue, 'notification.issue', { caseId }, h);
  await rpc(aue, 'notification.deliver', { caseId, method: 'center' }, s);
}

/** A screenshot in Kazakh and in Russian (the header's language switch, under an open case's drawer). */
async function both(page: Page, name: string) {
  await page.getByText('Қазақша', { exact: true }).dispatchEvent('click');
  await expect(page.getByRole('tab', { name: 'ХҚКО арнасы' }).first()).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, `${name}-kk.png`), fullPage: true });
  await page.getByText('Русский', { exact: true }).dispatchEvent('click');
  await expect(page.getByRole('tab', { name: 'Канал ЦОН' }).first()).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, `${name}-ru.png`), fullPage: true });
}

/** Opens a case from the Center channel's work list, on its Center tab. */
async function openFromQueue(page: Page, list: string, caseNumber: string) {
  await page.getByRole('tab', { name: 'Канал ЦОН' }).click();
  const row = page.getByTestId(`center-queue-${list}`).getByRole('button', { name: caseNumber });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.click();
  const view = page.getByRole('dialog', { name: new RegExp(caseNumber) });
  await view.getByRole('tab', { name: 'Канал ЦОН' }).click();
  return view;
}

test('the request, a return with Appendix 4, the correction, registration and decision at the district, the handover at the Center', async ({ browser, pki }) => {
  const { con, aue } = office;
  const intake = await centerIntake(family(), 'kk', ['bank_account']);

  // The Center sends the electronic request.
  const center = await openAs(browser, con, office.centerKey, CENTER_KEY.password);
  const view = await openFromQueue(center, 'toSend', intake.caseNumber);
  // The Center's own deadline, with its source: 3 working days from the acceptance (item 11 sub-item 2)).
  await expect(view.getByTestId('center-send-deadline')).toContainText('Отправить электронный запрос в отдел');
  await expect(view.getByTestId('center-send-deadline')).toContainText('подпункт 2) пункта 11 Регламента');
  await both(center, 'center-send');
  await view.getByTestId('center-send').click();
  await expect(center.getByText(/Электронный запрос направлен в отдел/)).toBeVisible();

  // The district finds it in its incoming list with the 2-day deadline, checks it, and returns it with the notice.
  const district = await openAs(browser, aue, pki.specialistKey, pki.specialistPassword);
  await district.getByRole('tab', { name: 'Канал ЦОН' }).click();
  await expect(district.getByTestId('center-queue-incoming').getByRole('button', { name: intake.caseNumber })).toBeVisible({ timeout: 30_000 });
  await expect(district.getByTestId('center-queue-incoming')).toContainText('Проверить пакет ЦОН');
  await both(district, 'district-incoming');
  const dview = await openFromQueue(district, 'incoming', intake.caseNumber);
  await expect(dview.getByText(/Запрос подписан ЭЦП: Иванова Ольга/)).toBeVisible();
  await expect(dview.getByText('Перечень документов (пункт 13) неполный')).toBeVisible();
  await both(district, 'district-check');
  await dview.getByLabel('Что недостаёт').fill('Нет справки о банковском счёте');
  await printPreview(district, () => dview.getByTestId('center-return').click());
  await expect(district.getByText('Возвращено с уведомлением о недостающих документах').first()).toBeVisible();

  // The Center sees the return with its notice and deadline; a re-send without the document is refused.
  await expect(view.getByTestId('center-notice')).toContainText('Нет справки о банковском счёте', { timeout: 30_000 });
  await expect(view.getByTestId('center-notice')).toContainText('подпункт 2) пункта 11 Регламента');
  await both(center, 'center-returned');
  await view.getByTestId('center-send').click();
  await expect(center.getByText(/Нет нового скана документа «Договор с банком \(счёт\)»/)).toBeVisible();
  await rpc(con, 'pages.import', { caseId: intake.id, documentKind: 'bank_account', fileName: 'bank.png', base64: intake.scan }, intake.token);
  await view.getByTestId('center-send').click();
  await expect(center.getByText(/Электронный запрос направлен в отдел/).first()).toBeVisible();

  // The district accepts the corrected package: every page and its signature checked.
  await expect(dview.getByText('Перечень документов (пункт 13) полный').first()).toBeVisible({ timeout: 30_000 });
  await dview.getByTestId('center-pages-checked').click();
  await dview.getByTestId('center-accept').click();
  await expect(dview.getByText('Проверка полноты').first()).toBeVisible();
  await districtStages(pki, intake.id, false, intake.scan);

  // The notification reaches the Center: handed over against the receipt; the case closes on both sides.
  await expect(view.getByTestId('center-handover')).toBeVisible({ timeout: 30_000 });
  await view.getByLabel('Код проверки расписки').fill(intake.receipt);
  await both(center, 'center-handover');
  await printPreview(center, () => view.getByTestId('center-handover').click());
  for (const [page, v] of [[center, view], [district, dview]] as const) {
    await expect(v.getByText('Закрыто').first()).toBeVisible({ timeout: 30_000 });
    await v.getByRole('tab', { name: 'История и подписи' }).click();
    await v.getByRole('button', { name: 'Проверить дело' }).click();
    await expect(v.getByTestId('case-verification')).toContainText('Все события целы, цепочка не нарушена, подписи действительны');
    await expect(page.getByTestId('sync-waiting')).toHaveText('Ожидают отправки: 0', { timeout: 20_000 });
  }
});

test('a refusal goes back to the Center with its reasons and the package, and is handed over there', async ({ browser, pki }) => {
  const { con, aue } = office;
  const intake = await centerIntake(family(), 'ru');
  await rpc(con, 'center.sendRequest', { caseId: intake.id }, intake.token);
  const s = await token(aue, pki.specialistKey, pki.specialistPassword);
  await expect.poll(async () => (await rpc<{ incoming: { caseId: string }[] }>(aue, 'center.queue', {}, s)).incoming.map((r) => r.caseId), { timeout: 30_000 }).toContain(intake.id);
  await rpc(aue, 'center.acceptPackage', { caseId: intake.id, pagesChecked: true }, s);
  await districtStages(pki, intake.id, true, intake.scan);

  const center = await openAs(browser, con, office.centerKey, CENTER_KEY.password);
  const view = await openFromQueue(center, 'toHandOver', intake.caseNumber);
  await view.getByLabel('Код проверки расписки').fill(intake.receipt);
  await printPreview(center, () => view.getByTestId('center-handover').click());
  await expect(view.getByText('Закрыто').first()).toBeVisible();
  const printed = await rpc<{ pdfBase64: string }>(con, 'forms.reprint', { caseId: intake.id, form: 'handover_record' }, intake.token);
  expect(printed.pdfBase64.length).toBeGreaterThan(1000);
  await center.screenshot({ path: path.join(SHOTS, 'center-refusal-closed-ru.png'), fullPage: true });
});
