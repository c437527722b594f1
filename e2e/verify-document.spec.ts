/**
 * Verify a document before signing in, as an auditor at the counter would. A code this office never issued is "no
 * such document"; another office's paper says so; a file with no QR code says that. A decided case's forms, printed
 * through the services: the receipt's PDF shows the valid signature inside it and its signer; the decision, corrected
 * later by the head, says it is no longer current and names the correction, its signer and time; a changed byte is
 * refused. The Scan button takes a page from the workstation's scanner: SANE's test device (whose pictures hold no
 * QR code, so it says none was found), then a scanner that saves into a folder, given the printed receipt. A webcam
 * (Chromium's fake camera) is shown the receipt's code, then the code with a character changed.
 */
import { officeDate } from '../shared/local-date';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPdf } from '../electron/services/forms/pdf';
import { expect, jardem, rpc, test, useRussian, type Host, type Pki } from './fixtures';
import { useSaneScanner } from './intake-steps';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser-args';
import { CAMERA_FILE, showToCamera, withFakeCamera } from './fake-camera';
import { documentPage, familyApplication, REQUIRED_SCANS } from '../tests/family-application';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { sessionOf } from './contract-intake';

// The browser of this file has a camera (Chromium's fake device), shown a code by the signed forms' test.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: withFakeCamera(CHROMIUM_ARGS) } });
test.afterAll(() => rmSync(CAMERA_FILE, { force: true }));

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

test('a paper is checked on the sign-in screen: unknown code, another office, no QR code', async ({ page, host }) => {
  test.setTimeout(120_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-paper-'));
  try {
    const paper = async (name: string, content: Record<string, unknown>[]) => {
      const file = path.join(tmp, name);
      writeFileSync(file, await renderPdf({ content }));
      return file;
    };
    const unknown = await paper('unknown.pdf', [{ text: 'Қолхат' }, { qr: 'JARDEM:AUE-W1-2026-000777:ABCD2345', fit: 84 }]);
    const other = await paper('other.pdf', [{ text: 'Қолхат' }, { qr: 'JARDEM:BOS-W1-2026-000001:ABCD2345', fit: 84 }]);
    const none = await paper('none.pdf', [{ text: 'Без кода' }]);

    await page.goto(host.url);
    await useRussian(page);
    const drop = page.getByTestId('verify-document').locator('input[type=file]');
    const result = page.getByTestId('verify-result');
    await drop.setInputFiles(unknown);
    await expect(result).toContainText('Такого документа нет: номер дела или код проверки не найдены', { timeout: 60_000 });
    await expect(page.getByTestId('verify-inside')).toHaveText('В PDF нет подписи внутри');
    await drop.setInputFiles(other);
    await expect(result).toContainText('Документ выдан другим отделом (дело BOS-W1-2026-000001): здесь его проверить нельзя', { timeout: 60_000 });
    await drop.setInputFiles(none);
    await expect(result).toContainText('QR-код не найден в файле', { timeout: 60_000 });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** A district case through the contract to the head's signed decision, then corrected by the head; its receipt and decision. */
async function correctedCase(host: Host, pki: Pki) {
  const registry = generateRegistry(42, 300);
  const s = await sessionOf(host, pki.specialistKey, pki.specialistPassword);
  const h = await sessionOf(host, pki.headKey, pki.headPassword);
  const index = registry.families.findIndex((f) => f.children.length === 1);
  const a = registry.persons.get(registry.families[index]!.applicant)!;
  const c = (await rpc<{ case: { id: string; caseNumber: string } }>(host, 'cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы қ., Әуезов ауданы', phone: '+77015551234', docLanguage: 'ru' }, s)).case;
  await rpc(host, 'application.record', familyApplication(registry, index, c.id), s);
  const scan = await documentPage();
  for (const kind of REQUIRED_SCANS) await rpc(host, 'pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: scan }, s);
  await rpc(host, 'intake.requestChecks', { caseId: c.id }, s);
  await expect.poll(async () => (await rpc<{ requests: { status: string }[] }>(host, 'intake.status', { caseId: c.id }, s)).requests[0]?.status, { timeout: 30_000 }).toBe('answered');
  await rpc(host, 'intake.accept', { caseId: c.id }, s);
  const receipt = await rpc<{ pdfBase64: string }>(host, 'forms.issueReceipt', { caseId: c.id }, s);
  const today = officeDate(new Date());
  const act = { date: today, membersPresent: ['Төлеуова Гүлнар Ержанқызы'], housing: { type: 'apartment', ownership: 'own', rooms: 2, areaM2: 48, utilities: ['electricity'] }, property: { vehicles: '', livestock: '', land: '' }, familyAsFound: 'Отбасы құрамы өтінішке сәйкес', observations: '' };
  await rpc(host, 'journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [] }, s);
  await rpc(host, 'commission.refer', { caseId: c.id, precinctCode: 'AUE-01' }, s);
  await rpc(host, 'pages.import', { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: scan }, s);
  await rpc(host, 'commission.conclude', { caseId: c.id, act, conclusion: { needs: true, grounds: 'Табыс төмен', members: ['Төлеуова Гүлнар Ержанқызы'] } }, s);
  const eligible = (await rpc<{ eligible: boolean }>(host, 'decision.calculate', { caseId: c.id }, s)).eligible;
  await rpc(host, 'decision.draft', { caseId: c.id, outcome: eligible ? 'assign' : 'refuse', refusalGrounds: [] }, s);
  await rpc(host, 'decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true }, h);
  await rpc(host, 'session.unlock', { password: pki.headPassword }, h);
  await rpc(host, 'decision.correct', { caseId: c.id, correction: 'Әкесінің аты', reason: 'Қате' }, h);
  const decision = await rpc<{ pdfBase64: string }>(host, 'forms.reprint', { caseId: c.id, form: 'decision' }, s);
  return { caseNumber: c.caseNumber, receipt: Buffer.from(receipt.pdfBase64, 'base64'), decision: Buffer.from(decision.pdfBase64, 'base64') };
}

test.describe('signed forms', () => {
  test.use({ informationSystems: true });

  test('a signed PDF shows the signature inside and its signer; a corrected decision is no longer current; the scanner', async ({ page, host, pki }) => {
    test.setTimeout(300_000);
    const tmp = test.info().outputPath('papers');
    mkdirSync(tmp, { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    const { caseNumber, receipt, decision } = await correctedCase(host, pki);
    const file = (name: string, bytes: Buffer) => {
      writeFileSync(path.join(tmp, name), bytes);
      return path.join(tmp, name);
    };
    const changed = Buffer.from(receipt);
    const at = changed.indexOf('/Producer');
    changed[at + 12] = changed[at + 12]! ^ 0x01;

    await page.goto(host.url);
    await useRussian(page);
    const drop = page.getByTestId('verify-document').locator('input[type=file]');
    const result = page.getByTestId('verify-result');
    await drop.setInputFiles(file('receipt.pdf', receipt));
    await expect(result).toContainText(`Документ подлинный: Отрывной талон (PDF), дело ${caseNumber}`, { timeout: 60_000 });
    await expect(page.getByTestId('verify-inside')).toContainText('Подпись внутри PDF действительна: подписал Сейітқали Әйгерім');
    await page.getByTestId('verify-document').screenshot({ path: path.join(SHOTS, 'verify-signed-ru.png') });

    await drop.setInputFiles(file('decision.pdf', decision));
    await expect(page.getByTestId('verify-superseded-act')).toContainText('Документ больше не действует: позже по делу подписан акт «Исправление к решению (подписано руководителем)» — подписал Жұмабеков Ерлан', { timeout: 60_000 });
    await expect(page.getByTestId('verify-inside')).toContainText('Подпись внутри PDF действительна: подписал Жұмабеков Ерлан');
    await expect(result).toHaveClass(/ant-alert-warning/);
    await page.getByTestId('verify-document').screenshot({ path: path.join(SHOTS, 'verify-superseded-ru.png') });

    await drop.setInputFiles(file('changed.pdf', changed));
    await expect(result).toContainText(`PDF изменён после подписания: подпись внутри него не сходится с содержимым (дело ${caseNumber})`, { timeout: 60_000 });
    await expect(page.getByTestId('verify-inside')).toContainText('Подпись внутри PDF недействительна: содержимое изменено');

    // The scanner: SANE's test device scans its own picture (a grid, no QR code on it).
    useSaneScanner(host);
    await page.getByTestId('verify-scan').click();
    await expect(result).toHaveText('QR-код не найден в файле', { timeout: 60_000 });
    // A scanner that saves into a folder, the printed receipt on it (the PDF rendered at 300 dpi as a printer would).
    const folder = test.info().outputPath('scanner-out');
    mkdirSync(folder, { recursive: true });
    expect(spawnSync('pdftoppm', ['-r', '300', '-png', '-f', '1', '-l', '1', path.join(tmp, 'receipt.pdf'), path.join(tmp, 'printed')]).status).toBe(0);
    writeFileSync(path.join(folder, 'scan-0001.png'), readFileSync(path.join(tmp, readdirSync(tmp).find((n) => n.startsWith('printed'))!)));
    jardem('scanner', '--data-dir', host.dataDir, '--set', JSON.stringify({ source: 'folder', folder }));
    await page.getByTestId('verify-scan').click();
    await expect(result).toContainText(`Документ подлинный: Отрывной талон (PDF), дело ${caseNumber}`, { timeout: 60_000 });
    await expect(page.getByTestId('verify-inside')).toHaveCount(0);
    expect(readdirSync(folder)).toEqual(['taken']);
    await page.getByTestId('verify-document').screenshot({ path: path.join(SHOTS, 'verify-scanned-ru.png') });

    // A webcam: the printed receipt's code held up to it (its text as ZBar reads it off the printed page).
    const printed = spawnSync('zbarimg', ['--quiet', '--raw', path.join(tmp, readdirSync(tmp).find((n) => n.startsWith('printed'))!)], { encoding: 'utf8' }).stdout.split('\n')[0]!;
    expect(printed).toMatch(new RegExp(`^JARDEM:${caseNumber}:[A-Z0-9]+$`));
    // Each verdict differs from the one before it, so each is the camera's: first the code with a character changed
    // (no such document), then the code as printed (genuine); the camera is off once a code is read.
    await showToCamera(printed.replace(/.$/, (c) => (c === '2' ? '3' : '2')));
    await page.getByTestId('verify-camera').click();
    await expect(result).toContainText('Такого документа нет: номер дела или код проверки не найдены', { timeout: 60_000 });
    await expect(page.getByTestId('verify-camera-stop')).toHaveCount(0);
    await showToCamera(printed);
    await page.getByTestId('verify-camera').click();
    await expect(result).toContainText(`Документ подлинный: Отрывной талон (PDF), дело ${caseNumber}`, { timeout: 60_000 });
    await expect(page.getByTestId('verify-camera')).toBeEnabled();
    await page.getByTestId('verify-document').screenshot({ path: path.join(SHOTS, 'verify-camera-ru.png') });

    // In Kazakh, the corrected decision dropped again.
    await page.getByText('Қазақша', { exact: true }).click();
    await drop.setInputFiles(path.join(tmp, 'decision.pdf'));
    await expect(page.getByTestId('verify-superseded-act')).toContainText('Құжат енді күшінде емес: кейін іс бойынша «Шешімге түзету (басшы қол қойды)» актісіне қол қойылған — қол қойған Жұмабеков Ерлан', { timeout: 60_000 });
    await expect(page.getByTestId('verify-inside')).toContainText('PDF ішіндегі қолтаңба жарамды: қол қойған Жұмабеков Ерлан');
    await page.getByTestId('verify-document').screenshot({ path: path.join(SHOTS, 'verify-superseded-kk.png') });
  });
});
