/**
 * The header at the most common office screens (1366×768 and 1280×1024), in each language, signed in as the
 * counter specialist on a workstation of an office whose server is out of reach (the sync state shows, as offices
 * most often see it): nothing wider than the window, every control of the header inside it, nothing cut.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, officeWorkstation, signIn, test } from './fixtures';

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens-header');
const LANGUAGES = [
  { code: 'kk', label: 'Қазақша', lock: 'Экранды бұғаттау', signOut: 'Шығу', office: 'Әуезов ауданының' },
  { code: 'ru', label: 'Русский', lock: 'Заблокировать экран', signOut: 'Выйти', office: 'Ауэзовского района' },
  { code: 'en', label: 'English', lock: 'Lock the screen', signOut: 'Sign out', office: 'Ауэзовского района' },
] as const;

for (const width of [1366, 1280]) {
  test(`the header fits ${width} px in Kazakh, Russian and English`, async ({ page, pki }) => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-header-'));
    const host = { ...(await officeWorkstation(tmp, pki.dir, 'AUE', 'W1', 'http://127.0.0.1:9')), isUrl: null };
    await page.setViewportSize({ width, height: width === 1366 ? 768 : 1024 });
    await signIn(page, host, pki.specialistKey, pki.specialistPassword);
    await expect(page.getByTestId('whoami')).toBeVisible();
    for (const lang of LANGUAGES) {
      await page.getByText(lang.label, { exact: true }).click();
      const signOut = page.getByRole('button', { name: lang.signOut });
      await expect(signOut).toBeVisible();
      // The page does not scroll sideways.
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
      expect(widths.page).toBeLessThanOrEqual(widths.window);
      // Every control of the header lies whole inside the window.
      for (const control of [page.getByRole('button', { name: lang.lock }), signOut, page.getByTestId('sync-now'), page.getByTestId('whoami'), page.getByTestId('sync-online')]) {
        const box = (await control.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      // The office's name is there whole, in the screen's language (Russian for English), to be read (the header may
      // shorten it on screen, never lose it).
      await expect(page.getByTestId('whoami')).toContainText(lang.office);
      await page.locator('header').screenshot({ path: path.join(SHOTS, `header-${width}-${lang.code}.png`) });
    }
    await host.stop();
    rmSync(tmp, { recursive: true, force: true });
  });
}
