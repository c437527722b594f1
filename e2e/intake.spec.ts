import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCase, expect, jardem, moveClock, printPreview, test } from './fixtures';
import { families, openCounter, takeApplication } from './intake-steps';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
test.use({ informationSystems: true });
test.setTimeout(480_000);

function pdfText(file: string) {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

test('all confirmed: the specialist asks the information systems, accepts and prints the tear-off receipt', async ({ page, host, pki }) => {
  const family = (await families(host)).find((f) => f.children.length === 1)!;
  await openCounter(page, host, pki);
  const view = await takeApplication(page, family);
  // Looking ahead, as a newcomer does: the commission's tab says when it opens (it showed only its heading).
  await view.getByRole('tab', { name: 'Комиссия и решение' }).click();
  await expect(view.getByTestId('commission-after-registration')).toContainText('после регистрации заявления в журнале');

  await view.getByRole('tab', { name: 'Запросы в информационные системы' }).click();
  const checks = view.getByTestId('intake-checks');
  await checks.getByRole('button', { name: 'Запросить сведения в ИС' }).click();
  await expect(checks.getByText('Все сведения подтверждены')).toBeVisible({ timeout: 20_000 });
  await expect(checks.getByTestId('is-request').getByRole('row', { name: /Банковский счёт/ })).toContainText('подтверждено');
  await checks.getByRole('button', { name: 'Принять заявление' }).click();
  await expect(page.getByText('Заявление принято. Распечатайте талон')).toBeVisible();
  expect(await printPreview(page, () => checks.getByRole('button', { name: 'Печать талона' }).click())).toMatch(/^blob:/);
  await expect(page.getByText(/Талон выдан, код проверки [A-Z2-9]{10}/)).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'intake-confirmed-ru.png'), fullPage: true });

  const caseNumber = (await view.getByText(/AUE-W1-\d{4}-\d{6}/).first().textContent())!.match(/AUE-W1-\d{4}-\d{6}/)![0];
  const out = path.join(host.dataDir, 'receipt.pdf');
  jardem('forms', 'render', 'receipt', '--case', caseNumber, '--out', out, '--data-dir', host.dataDir);
  const text = pdfText(out);
  expect(text).toContain(caseNumber);
  expect(text).toContain(`${family.applicant.surname} ${family.applicant.givenName} ${family.applicant.patronymic}`);
  expect(text).toContain('Удостоверение личности — 1 стр.');
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', out, path.join(SHOTS, 'intake-receipt-ru')]);

  // Registration in the journal: the specialist confirms the copies were compared with the originals.
  await checks.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  const registration = page.getByRole('dialog', { name: 'Зарегистрировать в журнале' });
  await registration.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  await expect(page.getByText('Подтвердите, что каждая копия сверена с оригиналом')).toBeVisible();
  await registration.getByText('Каждая электронная копия сверена с оригиналом').click();
  await registration.getByRole('button', { name: 'Зарегистрировать в журнале' }).click();
  await expect(page.getByText(/Зарегистрировано в журнале под № AUE-W1-\d{4}-J000001/)).toBeVisible();
  await expect(view.getByText('Зарегистрировано в журнале').first()).toBeVisible();
  await closeCase(page);
  await page.getByRole('tab', { name: 'Журнал' }).click();
  await expect(page.getByTestId('journal').getByRole('row', { name: new RegExp(family.applicant.iin) })).toContainText(/AUE-W1-\d{4}-J000001/);
  await page.screenshot({ path: path.join(SHOTS, 'journal-ru.png'), fullPage: true });
});

test('a mismatch: the notice with the deadline, then, after 3 working days, the refusal to accept', async ({ page, host, pki }) => {
  const family = (await families(host)).filter((f) => f.children.length === 1)[1]!;
  await openCounter(page, host, pki);
  // The surname typed differently from the identity card.
  const view = await takeApplication(page, family, 'Басқаұлы');

  await view.getByRole('tab', { name: 'Запросы в информационные системы' }).click();
  const checks = view.getByTestId('intake-checks');
  await checks.getByRole('button', { name: 'Запросить сведения в ИС' }).click();
  await expect(checks.getByText('Есть несовпадения или нет сведений')).toBeVisible({ timeout: 20_000 });
  await expect(checks.getByTestId('is-request').getByRole('row', { name: /Фамилия/ }).first()).toContainText('не совпадает');
  await expect(checks.getByRole('button', { name: 'Принять заявление' })).toHaveCount(0);
  await printPreview(page, () => checks.getByRole('button', { name: 'Печать уведомления о представлении оригиналов' }).click());
  await expect(checks.getByTestId('originals-deadline')).toBeVisible();
  const due = (await checks.getByTestId('originals-deadline').textContent())!.match(/\d\d\.\d\d\.\d{4}/)![0];

  // Too early to refuse: the message says why, and nothing changes.
  await checks.getByRole('button', { name: 'Отказать в приёме (приложение 20 к Правилам)' }).click();
  await expect(page.getByText('Отказ возможен только после истечения 3 рабочих дней')).toBeVisible();

  // The demo clock passes the third working day: the administrator moves it, the specialist's
  // screen is told.
  await expect(checks.getByLabel('Демо: перевести часы вперёд, дней')).toHaveCount(0);
  await moveClock(page, host, pki, 7);
  await expect(page.getByText(/Демо: часы переведены на 7 дн\. вперёд/).first()).toBeVisible();
  await printPreview(page, () => checks.getByRole('button', { name: 'Отказать в приёме (приложение 20 к Правилам)' }).click());
  await expect(view.getByText('Отказ в приёме').first()).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'intake-refused-ru.png'), fullPage: true });
  // The history shows each printed form with its own signature panel.
  await view.getByRole('tab', { name: 'История и подписи' }).click();
  await expect(view.getByText(/Отказ в приёме, приложение 20 к Правилам \(PDF\):/)).toBeVisible();
  await expect(view.locator('[data-testid^="document-"]').filter({ hasText: 'Отказ в приёме' })).toContainText('подпись действительна');

  const caseNumber = (await view.getByText(/AUE-W1-\d{4}-\d{6}/).first().textContent())!.match(/AUE-W1-\d{4}-\d{6}/)![0];
  const noticeFile = path.join(host.dataDir, 'notice.pdf');
  jardem('forms', 'render', 'notice_originals', '--case', caseNumber, '--out', noticeFile, '--data-dir', host.dataDir);
  const noticeText = pdfText(noticeFile);
  expect(noticeText).toContain('Басқаұлы');
  expect(noticeText).toContain(due);
  const refusalFile = path.join(host.dataDir, 'refusal.pdf');
  jardem('forms', 'render', 'refusal_acceptance', '--case', caseNumber, '--out', refusalFile, '--data-dir', host.dataDir);
  expect(pdfText(refusalFile)).toContain('УВЕДОМЛЕНИЕ ОБ ОТКАЗЕ В ПРИЁМЕ ЗАЯВЛЕНИЯ');
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', noticeFile, path.join(SHOTS, 'intake-notice-ru')]);
});

test.describe('with the information systems out of reach', () => {
  // Nothing listens there: every attempt fails as an office without a connection sees it.
  test.use({ hostEnv: { JARDEM_IS_URL: 'http://127.0.0.1:9' } });

  test('the request waits on this computer, and the specialist is told why and that nothing is to be done', async ({ page, host, pki }) => {
    const family = (await families(host)).find((f) => f.children.length === 1)!;
    await openCounter(page, host, pki);
    const view = await takeApplication(page, family);
    await view.getByRole('tab', { name: 'Запросы в информационные системы' }).click();
    const checks = view.getByTestId('intake-checks');
    await checks.getByRole('button', { name: 'Запросить сведения в ИС' }).click();
    await expect(checks.getByTestId('is-unreachable')).toHaveText(/Нет связи с информационными системами\. Запрос сохранён на этом компьютере и уйдёт сам/);
    await expect(checks.getByText(/Ожидание ответа информационных систем \(попыток: [1-9]/)).toBeVisible();
  });
});
