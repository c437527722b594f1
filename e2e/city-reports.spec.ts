/**
 * The city's figures, end to end: a real server process, two districts' workstations (each its own browser host,
 * SQLite file and device) with applications synced to it. The city department's administrator signs in on
 * Әуезов's workstation, opens Reports → Город and sees every district's bars and the table beside them, Бостандық's
 * numbers among them though this workstation never holds its cases. Then the server stops: the screen shows the last
 * fetched figures with their time, marked as offline. The district's own administrator has no city view.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withCheckDigit } from '../shared/domain/iin';
import { expect, jardem, officeWorkstation, rpc, signIn, startListening, stop, test, useRussian } from './fixtures';
import { sessionOf } from './contract-intake';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'test-results', 'screens');

/** The n-th valid IIN of a man born on 15.06.1985. */
function iin(n: number): string {
  let found = -1;
  for (let serial = 0; ; serial++) {
    const v = withCheckDigit(`8506153${String(serial).padStart(4, '0')}`);
    if (v && ++found === n) return v;
  }
}

test('the city administrator sees every district side by side, then the last figures offline', async ({ page, pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-city-'));
  const server = await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--data-dir', path.join(tmp, 'server'), '--port', '0'], {});
  let serverRunning = true;
  const aue = await officeWorkstation(tmp, pki.dir, 'AUE', 'W1', server.url);
  const bos = await officeWorkstation(tmp, pki.dir, 'BOS', 'W1', server.url);
  try {
    const bosKey = path.join(tmp, 'bos.p12');
    jardem('pki', 'issue', '--dir', pki.dir, '--role', 'specialist', '--iin', '851120400008', '--surname', 'Оспанова', '--given', 'Айгүл', '--office', 'BOS', '--password', 'Bos-789', '--out', bosKey, ...pki.registerBy('BOS'));
    const cityKey = path.join(tmp, 'city.p12');
    jardem('pki', 'issue', '--dir', pki.dir, '--role', 'admin', '--iin', '750707400005', '--surname', 'Ахметова', '--given', 'Сәуле', '--patronymic', 'Қайратқызы', '--office', 'ALMATY', '--password', 'City-321', '--out', cityKey);
    // Applications at each district's counter: three at Әуезов, one at Бостандық, synced to the server.
    let n = 0;
    for (const [host, key, password, count] of [[aue, pki.specialistKey, pki.specialistPassword, 3], [bos, bosKey, 'Bos-789', 1]] as const) {
      const token = await sessionOf(host, key, password);
      for (let i = 0; i < count; i++) {
        await rpc(host, 'cases.registerApplicant', { iin: iin(n++), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' }, token);
      }
      // The host's own sync loop may be in a round already: kick it once, then wait until nothing waits to be sent.
      await rpc(host, 'sync.now', {}, token);
      await expect.poll(async () => (await rpc<{ waiting: number }>(host, 'sync.status', {}, token)).waiting, { timeout: 60_000 }).toBe(0);
    }

    await signIn(page, aue, cityKey, 'City-321');
    await useRussian(page);
    await page.getByRole('tab', { name: 'Отчёты' }).click();
    await page.getByTestId('reports-view-city').click();
    const city = page.getByTestId('city-report');
    const chart = city.getByTestId('city-chart');
    await expect(chart.locator('svg').first()).toBeVisible();
    await expect(city.getByTestId('city-fetched')).toHaveText(/^Данные на \d{2}:\d{2} \d{2}\.\d{2}\.\d{4}$/);
    const option = JSON.parse((await chart.getAttribute('data-chart'))!) as { categories: string[]; series: { name: string; data: number[] }[] };
    expect(option.series.map((s) => s.name)).toEqual(['Поступило заявлений', 'Пособие назначено', 'Отказано в назначении', 'Нарушено сроков Регламента']);
    // Every district of the city, by its Russian name; Әуезов's and Бостандық's applications as their counters took them.
    expect(option.categories.length).toBe(8);
    expect(option.categories).toContain('Ауэзовский район');
    const row = (name: RegExp) => option.categories.findIndex((c) => name.test(c));
    expect(option.series[0]!.data[row(/Ауэзов/)]).toBe(3);
    expect(option.series[0]!.data[row(/Бостандык/)]).toBe(1);
    expect(option.series[0]!.data.reduce((a, b) => a + b, 0)).toBe(4);
    // The table beside the chart has the same numbers.
    const table = city.getByTestId('city-table');
    for (const [j, s] of option.series.entries()) {
      await expect(table.locator('thead')).toContainText(s.name);
      for (const [i, v] of s.data.entries()) await expect(table.getByTestId(`city-cell-${i}-${j}`)).toHaveText(String(v));
    }
    for (const [i, c] of option.categories.entries()) await expect(table.locator('tbody tr').nth(i)).toContainText(c);
    await page.screenshot({ path: path.join(SHOTS, 'city-reports-ru.png'), fullPage: true });

    // The server stops: the last fetched figures, with their time, marked offline.
    await stop(server.child);
    serverRunning = false;
    await city.getByTestId('city-refresh').click();
    await expect(city.getByTestId('city-fetched')).toHaveText(/^Данные на \d{2}:\d{2} \d{2}\.\d{2}\.\d{4} \(нет связи с сервером\)$/);
    await expect(table.getByTestId(`city-cell-${row(/Ауэзов/)}-0`)).toHaveText('3');
    await expect(table.getByTestId(`city-cell-${row(/Бостандык/)}-0`)).toHaveText('1');
    await page.screenshot({ path: path.join(SHOTS, 'city-reports-offline-ru.png'), fullPage: true });
    // In Kazakh: the districts by their Kazakh names, the same line in Kazakh.
    await page.getByText('Қазақша', { exact: true }).click();
    await expect(city.getByTestId('city-fetched')).toHaveText(/^\d{2}:\d{2} \d{2}\.\d{2}\.\d{4} жағдай бойынша деректер \(сервермен байланыс жоқ\)$/);
    await expect(table.locator('tbody tr').nth(row(/Ауэзов/))).toContainText('Әуезов ауданы');
    await page.screenshot({ path: path.join(SHOTS, 'city-reports-offline-kk.png'), fullPage: true });

    // The district's own administrator has the district's reports only.
    await page.getByRole('button', { name: /Шығу|Выйти/ }).click();
    await signIn(page, aue, pki.adminKey, pki.adminPassword);
    await useRussian(page);
    await page.getByRole('tab', { name: 'Отчёты' }).click();
    await expect(page.getByTestId('report-computed')).toContainText('по данным этого рабочего места');
    await expect(page.getByTestId('reports-view-city')).toHaveCount(0);
  } finally {
    await aue.stop();
    await bos.stop();
    if (serverRunning) await stop(server.child);
    rmSync(tmp, { recursive: true, force: true });
  }
});
