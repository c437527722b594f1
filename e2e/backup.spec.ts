/**
 * Backup in the browser host as the office administrator uses it: the header warns there is no backup yet (a
 * specialist who follows it is told that the administrator sets the folder); the administrator chooses the folder, how many to keep and when to remind; a too-short passphrase is refused in
 * words; a backup is made, and what lands in the folder restores and verifies with `jardem backup verify`; the
 * header then says when the last good backup was made.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, jardem, signIn, signOut, startListening, stop, test, useRussian } from './fixtures';

test('the administrator sets the folder, makes a backup that verifies, and the header says when', async ({ page, host, pki }) => {
  test.setTimeout(180_000);
  const drive = mkdtempSync(path.join(os.tmpdir(), 'jardem-drive-'));
  try {
    // A specialist who follows the header's warning is told whom to ask (the settings are the administrator's).
    await signIn(page, host, pki.specialistKey, pki.specialistPassword);
    await useRussian(page);
    await page.getByTestId('backup-indicator').click();
    await expect(page.getByTestId('backup-admin-sets')).toContainText('сообщите администратору отдела');
    await signOut(page);

    await signIn(page, host, pki.adminKey, pki.adminPassword);
    await expect(page.getByTestId('backup-indicator')).toHaveText('Резервной копии ещё нет');
    await expect(page.getByTestId('backup-admin-sets')).toHaveCount(0);
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

test('a fresh workstation is restored from its backup on the first-run screen, and works after a restart', async ({ page, pki }) => {
  test.setTimeout(240_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-restore-'));
  const hostArgs = (dataDir: string) => [path.resolve('dist/node/browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'];
  try {
    // The lost workstation's backup, made by the command line.
    const lost = path.join(tmp, 'lost');
    jardem('setup', '--data-dir', lost, '--pki', pki.dir, '--office', 'AUE', '--workstation', 'W1');
    const passFile = path.join(tmp, 'pass');
    writeFileSync(passFile, 'резерв отдела Әуезов', { mode: 0o600 });
    jardem('backup', 'create', '--out', path.join(tmp, 'drive'), '--passphrase-file', passFile, '--data-dir', lost);

    // The new machine: nothing set up; the first-run screen offers the restore.
    const fresh = path.join(tmp, 'fresh');
    let running = await startListening(hostArgs(fresh), {});
    await page.goto(running.url);
    await useRussian(page);
    await page.getByTestId('restore-from').fill(path.join(tmp, 'drive'));
    await page.getByTestId('restore-passphrase').fill('не тот пароль');
    await page.getByTestId('restore-start').click();
    await expect(page.getByTestId('restore-error')).toHaveText('Неверный пароль резервной копии');
    await page.getByTestId('restore-passphrase').fill('резерв отдела Әуезов');
    await page.getByTestId('restore-start').click();
    await expect(page.getByTestId('restore-done')).toContainText('Перезапустите Jardem', { timeout: 120_000 });
    await stop(running.child);

    // Restarted: the restored folder took the data folder's place (the empty one kept aside); staff sign in.
    running = await startListening(hostArgs(fresh), {});
    await signIn(page, { url: running.url, dataDir: fresh, isUrl: null }, pki.specialistKey, pki.specialistPassword);
    await expect(page.getByTestId('whoami')).toContainText(/Әуезов ауданының|Ауэзовского района/);
    expect(readdirSync(tmp).some((n) => n.startsWith('fresh.replaced-'))).toBe(true);
    await stop(running.child);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
