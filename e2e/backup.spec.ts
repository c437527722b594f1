/**
 * Backup in the browser host as the office administrator uses it: the header warns there is no backup yet; the
 * administrator chooses the folder, how many to keep and when to remind; a too-short passphrase is refused in
 * words; a backup is made, and what lands in the folder restores and verifies with `jardem backup verify`; the
 * header then says when the last good backup was made.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, jardem, signIn, test, useRussian } from './fixtures';

test('the administrator sets the folder, makes a backup that verifies, and the header says when', async ({ page, host, pki }) => {
  test.setTimeout(180_000);
  const drive = mkdtempSync(path.join(os.tmpdir(), 'jardem-drive-'));
  try {
    await signIn(page, host, pki.adminKey, pki.adminPassword);
    await useRussian(page);
    await expect(page.getByTestId('backup-indicator')).toHaveText('Резервной копии ещё нет');
    await page.getByTestId('backup-indicator').click();
    await page.getByTestId('backup-folder').fill(drive);
    await page.getByTestId('backup-keep').fill('3');
    await page.getByTestId('backup-remind').fill('2');
    await page.getByTestId('backup-save').click();

    await page.getByTestId('backup-passphrase').fill('short');
    await page.getByTestId('backup-create').click();
    await expect(page.getByTestId('backup-error')).toContainText('не меньше 10 символов');
    expect(readdirSync(drive)).toEqual([]);

    const passphrase = 'офис Әуезов 2026 резерв';
    await page.getByTestId('backup-passphrase').fill(passphrase);
    await page.getByTestId('backup-create').click();
    await expect(page.getByTestId('backup-done')).toContainText('Резервная копия сделана и проверена', { timeout: 120_000 });
    const files = readdirSync(drive).filter((n) => n.endsWith('.jbk'));
    expect(files).toHaveLength(1);
    await expect(page.getByTestId('backup-indicator')).toContainText('Последняя резервная копия:');
    await expect(page.getByTestId('backup-last')).toContainText('Последняя резервная копия:');

    // What the screen wrote is a backup the command line verifies with the same passphrase.
    const passFile = path.join(drive, '..', `${path.basename(drive)}.pass`);
    writeFileSync(passFile, passphrase, { mode: 0o600 });
    const verified = JSON.parse(jardem('backup', 'verify', '--from', drive, '--passphrase-file', passFile)) as { ok: boolean; officeCode: string };
    expect(verified).toMatchObject({ ok: true, officeCode: 'AUE' });
    rmSync(passFile, { force: true });
  } finally {
    rmSync(drive, { recursive: true, force: true });
  }
});
