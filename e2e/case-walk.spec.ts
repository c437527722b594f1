/**
 * A Center case (regulation item 11.2) through the Center's and the district's screens: after each act the case
 * screen (told by the services, checking only what is new) says *verified* for the case as it now is. (A district
 * case is walked the same way, act by act, in ncalayer-case.spec.ts.)
 */
import { officeDate } from '../shared/local-date';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { expect, jardem, officeWorkstation, printPreview, rpc, signIn, startListening, stop, test, useRussian, type Host } from './fixtures';
import { saysVerified, watcher } from './district-case-steps';
import { documentPage, familyApplication, REQUIRED_SCANS } from '../tests/family-application';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { sessionOf } from './contract-intake';

test.setTimeout(600_000);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The server's information-system simulator: the same registry as `npm run server` (seed 42, 300 families).
const registry = generateRegistry(42, 300);
const CENTER = { password: 'Con-321', iin: '851120400008', surname: 'Иванова', given: 'Ольга', patronymic: 'Петровна' };

async function openAs(browser: Browser, host: Host, key: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  await signIn(page, host, key, password);
  await useRussian(page);
  return page;
}

async function openFromQueue(page: Page, list: string, caseNumber: string) {
  await page.getByRole('tab', { name: 'Канал ЦОН' }).click();
  const row = page.getByTestId(`center-queue-${list}`).getByRole('button', { name: caseNumber });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await row.click();
  const view = page.getByRole('dialog', { name: new RegExp(caseNumber) });
  await view.getByRole('tab', { name: 'Канал ЦОН' }).click();
  return view;
}

test('a Center case: verified after every act, on the Center’s screen and on the district’s', async ({ browser, pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-walk-'));
  const centerKey = path.join(tmp, 'center.p12');
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'center', '--iin', CENTER.iin, '--surname', CENTER.surname, '--given', CENTER.given, '--patronymic', CENTER.patronymic, '--office', 'CON-AUE', '--password', CENTER.password, '--out', centerKey, ...pki.registerBy('CON-AUE'));
  const server = await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--data-dir', path.join(tmp, 'server'), '--port', '0', '--is-simulator'], {});
  const con = await officeWorkstation(tmp, pki.dir, 'CON-AUE', 'W1', server.url, { syncWaitS: 5 });
  const aue = await officeWorkstation(tmp, pki.dir, 'AUE', 'W1', server.url, { syncWaitS: 5 });
  try {
    // The Center's intake through the contract (its own specs click it), each act then seen verified on its screen.
    const cw = await watcher(con, centerKey, CENTER.password);
    const index = registry.families.findIndex((f) => f.children.length === 1);
    const a = registry.persons.get(registry.families[index]!.applicant)!;
    const c = (await rpc<{ case: { id: string; caseNumber: string } }>(con, 'cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы қ., Әуезов ауданы', phone: '+77015551234', docLanguage: 'ru' }, cw.token)).case;
    const center = await openAs(browser, con, centerKey, CENTER.password);
    const view = await openFromQueue(center, 'toSend', c.caseNumber);
    const atCenter = () => cw.events(c.id);
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the Center’s registration');
    await rpc(con, 'application.record', familyApplication(registry, index, c.id), cw.token);
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the application');
    const scan = await documentPage();
    for (const kind of REQUIRED_SCANS) {
      await rpc(con, 'pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: scan }, cw.token);
      await saysVerified(view, atCenter, 'Канал ЦОН', `the scan of ${kind}`);
    }
    await rpc(con, 'intake.requestChecks', { caseId: c.id }, cw.token);
    await expect.poll(async () => (await rpc<{ requests: { status: string }[] }>(con, 'intake.status', { caseId: c.id }, cw.token)).requests[0]?.status, { timeout: 30_000 }).toBe('answered');
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the answers');
    const receipt = (await rpc<{ verificationCode: string }>(con, 'forms.issueReceipt', { caseId: c.id }, cw.token)).verificationCode;
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the receipt');

    // Clicked: the Center sends the request; the district accepts the package.
    await view.getByTestId('center-send').click();
    await expect(center.getByText(/Электронный запрос направлен в отдел/)).toBeVisible();
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the request sent');
    const dw = await watcher(aue, pki.specialistKey, pki.specialistPassword);
    const district = await openAs(browser, aue, pki.specialistKey, pki.specialistPassword);
    const dview = await openFromQueue(district, 'incoming', c.caseNumber);
    const atDistrict = () => dw.events(c.id);
    await saysVerified(dview, atDistrict, 'Канал ЦОН', 'the request pulled at the district');
    await dview.getByTestId('center-pages-checked').click();
    await dview.getByTestId('center-accept').click();
    await expect(dview.getByText('Проверка полноты').first()).toBeVisible();
    await saysVerified(dview, atDistrict, 'Канал ЦОН', 'the acceptance of the package');

    // The district's stages through the contract (the district walk clicks them), the district's screen open.
    const h = await sessionOf(aue, pki.headKey, pki.headPassword);
    const s = dw.token;
    const today = officeDate(new Date());
    const act = { date: today, membersPresent: ['Төлеуова Гүлнар Ержанқызы'], housing: { type: 'apartment', ownership: 'own', rooms: 2, areaM2: 48, utilities: ['electricity'] }, property: { vehicles: '', livestock: '', land: '' }, familyAsFound: 'Отбасы құрамы өтінішке сәйкес', observations: '' };
    const steps: [string, string, unknown][] = [
      ['journal.register', s, { caseId: c.id, scansCompared: true, flagsReviewed: [] }],
      ['commission.refer', s, { caseId: c.id, precinctCode: 'AUE-01' }],
      ['pages.import', s, { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: scan }],
      ['commission.conclude', s, { caseId: c.id, act, conclusion: { needs: true, grounds: 'Табыс төмен', members: ['Төлеуова Гүлнар Ержанқызы'] } }],
    ];
    for (const [method, token, input] of steps) {
      await rpc(aue, method, input, token);
      await saysVerified(dview, atDistrict, 'Канал ЦОН', method);
    }
    const eligible = (await rpc<{ eligible: boolean }>(aue, 'decision.calculate', { caseId: c.id }, s)).eligible;
    for (const [method, token, input] of [
      ['decision.draft', s, { caseId: c.id, outcome: eligible ? 'assign' : 'refuse', refusalGrounds: [] }],
      ['decision.sign', h, { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true }],
      ['notification.issue', h, { caseId: c.id }],
      ['notification.deliver', s, { caseId: c.id, method: 'center' }],
    ] as [string, string, unknown][]) {
      if (method === 'notification.issue') await rpc(aue, 'session.unlock', { password: pki.headPassword }, h);
      await rpc(aue, method, input, token);
      await saysVerified(dview, atDistrict, 'Канал ЦОН', method);
    }

    // Clicked: the handover at the Center against the receipt; the case closes, verified on both screens.
    await expect(view.getByTestId('center-handover')).toBeVisible({ timeout: 60_000 });
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the notification pulled at the Center');
    await view.getByLabel('Код проверки расписки').fill(receipt);
    await printPreview(center, () => view.getByTestId('center-handover').click());
    await expect(view.getByText('Закрыто').first()).toBeVisible({ timeout: 30_000 });
    await saysVerified(view, atCenter, 'Канал ЦОН', 'the handover');
    await expect.poll(atDistrict, { timeout: 60_000 }).toBe(await atCenter());
    await saysVerified(dview, atDistrict, 'Канал ЦОН', 'the handover pulled at the district');
  } finally {
    await con.stop();
    await aue.stop();
    await stop(server.child);
    rmSync(tmp, { recursive: true, force: true });
  }
});
