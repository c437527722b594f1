/**
 * A newcomer creates the demo office with a year of sample cases (the first-run screen's checkbox, on by default),
 * watches it being made, signs in as the head and opens Reports: the charts show the year, marked as sample data;
 * so do the case list and the case view.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, useRussian } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');
test.use({ configured: false });

test('a newcomer creates the demo office with a year of sample cases and the head sees it in Reports', async ({ page, host }) => {
  test.setTimeout(600_000);
  await page.goto(host.url);
  await useRussian(page);
  const withYear = page.getByRole('checkbox', { name: 'С примерами дел за год' });
  await expect(withYear).toBeChecked();
  await page.getByRole('button', { name: 'Создать демо-отдел' }).click();
  // The keys first (a few seconds), then the cases one by one: a progress bar, not a frozen screen.
  const progress = page.getByTestId('demo-sample-progress');
  await expect(progress).toContainText(/Создаём примеры дел: \d+ из 160/, { timeout: 120_000 });
  await page.screenshot({ path: path.join(SHOTS, 'demo-sample-progress-ru.png') });
  await expect(page.getByTestId('demo-key-head')).toBeVisible({ timeout: 480_000 });
  await expect(progress).toHaveCount(0);

  await page.getByTestId('demo-key-head').getByRole('button', { name: 'Взять этот ключ' }).click();
  await page.locator('#signin-password').fill('demo-head');
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await expect(page.getByTestId('whoami')).toContainText('Жұмабеков', { timeout: 60_000 });

  // The case list: the sample cases, each marked, and the banner that says what they are.
  await expect(page.getByTestId('sample-banner')).toContainText('160 примеров дел');
  await expect(page.getByTestId('sample-tag').first()).toHaveText('Пример (демо-данные)');

  await page.getByRole('tab', { name: 'Отчёты' }).click();
  const reports = page.getByTestId('reports');
  await expect(reports.getByTestId('sample-banner')).toContainText('Пример (демо-данные)');
  const monthly = reports.getByTestId('monthly-chart');
  await expect(monthly.locator('svg').first()).toBeVisible({ timeout: 30_000 });
  const option = JSON.parse((await monthly.getAttribute('data-chart'))!) as { categories: string[]; series: { data: number[] }[] };
  expect(option.series[0]!.data.filter((n) => n > 0).length).toBeGreaterThanOrEqual(11);
  for (const figure of ['received', 'accepted', 'refused_to_accept', 'assigned', 'refused']) {
    expect(Number(await reports.getByTestId(`headline-${figure}-total`).innerText()), figure).toBeGreaterThan(0);
  }
  await expect(reports.getByTestId('precincts-chart').locator('svg').first()).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'demo-sample-reports-ru.png'), fullPage: true });

  // A number opens its cases, each marked; a case opened from there is marked too.
  await reports.getByTestId('headline-refused-total').click();
  await expect(page.getByTestId('report-cases-total')).toBeVisible();
  await expect(page.locator('.ant-drawer-open .ant-table-tbody').getByTestId('sample-tag').first()).toHaveText('Пример (демо-данные)');
  await page.locator('.ant-drawer-open .ant-table-tbody tr.ant-table-row').first().click();
  await expect(page.locator('.ant-drawer-title').last().getByTestId('sample-tag')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'demo-sample-case-ru.png') });
});
