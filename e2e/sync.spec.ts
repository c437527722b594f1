/**
 * An office as one system (issue 11): the central server (PGlite) and three browser hosts with their own data
 * folders and device certificates: W1 and W2 of Әуезов, and a workstation of Бостандық. The counter on W1 takes a
 * family to acceptance and registration in the UI; the commission's act and the draft are entered through the
 * contract (their own specs click them); the head on W2 sees the case arrive, signs the decision and the
 * notification; W1 records the delivery; Verify case is clean on both; the other district finds nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { expect, jardem, signIn, startListening, stop, test, useRussian, type Host } from './fixtures';
import { acceptAndRegister, families, openCounter, takeApplication } from './intake-steps';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'test-results', 'screens');
test.describe.configure({ mode: 'serial' });
test.setTimeout(300_000);

interface Office {
  server: { url: string; stop: () => Promise<void> };
  hosts: Record<'w1' | 'w2' | 'bos', Host & { stop: () => Promise<void> }>;
  tmp: string;
}

/** A workstation as an administrator sets one up: the PKI's device certificate, the office, the server. */
async function workstation(tmp: string, pkiDir: string, office: string, code: string, serverUrl: string) {
  const dataDir = path.join(tmp, `${office}-${code}`);
  const device = path.join(tmp, `${office}-${code}-device`);
  jardem('pki', 'device', '--dir', pkiDir, '--office', office, '--workstation', code, '--out-dir', device);
  jardem('setup', '--data-dir', dataDir, '--pki', pkiDir, '--office', office, '--workstation', code, '--device', device, '--server', serverUrl);
  const { child, url } = await startListening([path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {
    JARDEM_IS_URL: serverUrl,
    JARDEM_IS_POLL_MS: '500',
    JARDEM_SYNC_WAIT_S: '10',
  });
  return { url, dataDir, isUrl: serverUrl, stop: () => stop(child) };
}

/** The contract, as the screens call it: the host's /rpc with its secret. */
async function rpc<T>(host: Host, method: string, input: unknown, session?: string): Promise<T> {
  const u = new URL(host.url);
  const r = await fetch(`${u.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': u.hash.replace('#secret=', '') }, body: JSON.stringify({ method, input, session }) });
  const body = (await r.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

let office: Office;

test.beforeAll(async ({ pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-office-'));
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'specialist', '--iin', '851120400008', '--surname', 'Оспанова', '--given', 'Айгүл', '--office', 'BOS', '--password', 'Bos-789', '--out', path.join(tmp, 'bos.p12'));
  const server = await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--data-dir', path.join(tmp, 'server'), '--port', '0'], {});
  const hosts = {
    w1: await workstation(tmp, pki.dir, 'AUE', 'W1', server.url),
    w2: await workstation(tmp, pki.dir, 'AUE', 'W2', server.url),
    bos: await workstation(tmp, pki.dir, 'BOS', 'W1', server.url),
  };
  office = { server: { url: server.url, stop: () => stop(server.child) }, hosts, tmp };
});

test.afterAll(async () => {
  for (const h of Object.values(office?.hosts ?? {})) await h.stop();
  await office?.server.stop();
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
  const family = (await families(w1)).find((f) => f.children.length === 1)!;

  // W1, the counter: the family through the UI to registration in the journal.
  await openCounter(page, w1, pki);
  await expect(page.getByTestId('sync-online')).toHaveText('Сервер: в сети');
  const view = await takeApplication(page, family, family.applicant.surname, 'quarter');
  await acceptAndRegister(page, view);
  const caseNumber = (await view.getByText(/AUE-W1-\d{4}-\d{6}/).first().textContent())!.match(/AUE-W1-\d{4}-\d{6}/)![0];

  // The commission's act and the specialist's draft, through the contract (the decision spec clicks them).
  const token = (await rpc<{ token: string }>(w1, 'session.signIn', { p12Base64: (await import('node:fs')).readFileSync(pki.specialistKey).toString('base64'), password: pki.specialistPassword })).token;
  const caseId = (await rpc<{ items: { id: string }[] }>(w1, 'cases.search', { query: caseNumber }, token)).items[0]!.id;
  await rpc(w1, 'commission.refer', { caseId, precinctCode: 'AUE-01' }, token);
  const page1 = (await rpc<{ pages: { pageId: string }[] }>(w1, 'pages.list', { caseId }, token)).pages;
  expect(page1.length).toBeGreaterThan(0);
  const scan = (await rpc<{ base64: string }>(w1, 'pages.image', { caseId, pageId: page1[0]!.pageId }, token)).base64;
  await rpc(w1, 'pages.import', { caseId, documentKind: 'commission_act', fileName: 'act.png', base64: scan }, token);
  const today = new Date().toISOString().slice(0, 10);
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
  const signed = head.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Подписать решение' }).click();
  await signed;
  await expect(head.getByText('Решение подписано', { exact: true })).toBeVisible();
  const notified = head.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Подписать уведомление' }).click();
  await notified;
  await expect(panel.getByText('Уведомление вручает ответственный специалист')).toBeVisible();
  await expect(head.getByTestId('sync-waiting')).toHaveText('Ожидают отправки: 0', { timeout: 20_000 });
  await head.screenshot({ path: path.join(SHOTS, 'sync-head-w2-ru.png'), fullPage: true });

  // W1: the signed decision and notification arrive; the counter hands the notification over.
  const decided = view.getByTestId('decision-panel');
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  await expect(decided.getByLabel('Кому вручено (ФИО)')).toBeVisible({ timeout: 30_000 });
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
