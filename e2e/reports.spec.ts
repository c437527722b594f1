/**
 * Reports, offline: a head signs in on a workstation with no server, with a year of cases in its database, opens
 * Reports and sees the charts rendered (SVG) and labelled; every chart's numbers (its ECharts option, on the DOM)
 * agree with the table beside it, the headline agrees with the report, and a number opens the cases behind it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, jardem, signIn, startListening, stop, test, useRussian } from './fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'test-results', 'screens');

test('a head opens Reports offline and sees charts that agree with their tables', async ({ page, pki }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jardem-reports-'));
  jardem('setup', '--data-dir', dataDir, '--pki', pki.dir, '--office', 'AUE', '--workstation', 'W1');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'e2e', 'seed-reports.ts'), path.join(dataDir, 'jardem.sqlite'), '800', today]);
  const { child, url } = await startListening([path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {});
  try {
    await signIn(page, { url, dataDir, isUrl: null }, pki.headKey, pki.headPassword);
    await useRussian(page);
    await page.getByRole('tab', { name: 'Отчёты' }).click();
    const reports = page.getByTestId('reports');
    await expect(reports.getByTestId('report-computed')).toContainText('по данным этого рабочего места');

    for (const id of ['monthly', 'deadlines', 'queue', 'reasons', 'precincts']) {
      const chart = reports.getByTestId(`${id}-chart`);
      await expect(chart.locator('svg').first()).toBeVisible();
      await expect(chart).toHaveAttribute('aria-label', /Диаграмма: .+ Те же числа — в таблице рядом/);
      const option = JSON.parse((await chart.getAttribute('data-chart'))!) as { categories: string[]; series: { name: string; data: number[] }[] };
      expect(option.categories.length, id).toBeGreaterThan(0);
      const table = reports.getByTestId(`${id}-table`);
      for (const [j, s] of option.series.entries()) {
        await expect(table.locator('thead')).toContainText(s.name);
        for (const [i, v] of s.data.entries()) await expect(table.getByTestId(`${id}-cell-${i}-${j}`), `${id} ${s.name} ${option.categories[i]}`).toHaveText(String(v));
      }
      for (const [i, c] of option.categories.entries()) await expect(table.locator('tbody tr').nth(i)).toContainText(c);
    }
    const monthly = JSON.parse((await reports.getByTestId('monthly-chart').getAttribute('data-chart'))!) as { series: { data: number[] }[] };
    const received = monthly.series[0]!.data.reduce((a, b) => a + b, 0);
    await expect(reports.getByTestId('headline-received-total')).toHaveText(String(received));
    // ECharts' own aria description is on the SVG for screen readers.
    const described = reports.getByTestId('monthly-chart').locator('[aria-label]').first();
    await expect(described).toHaveAttribute('aria-label', new RegExp(`По месяцам\\. Поступило заявлений: 01\\.\\d{4} — ${monthly.series[0]!.data[0]}`));
    await page.screenshot({ path: path.join(SHOTS, 'reports-ru.png'), fullPage: true });

    // A number opens the cases behind it.
    const refused = await reports.getByTestId('headline-refused-total').innerText();
    await reports.getByTestId('headline-refused-total').click();
    await expect(page.getByTestId('report-cases-total')).toHaveText(`Показано ${Math.min(500, Number(refused))} из ${refused}`);
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
