/**
 * Sign-in through NCALayer in the browser host: the NCALayer-protocol simulator runs as its own process on
 * wss://127.0.0.1 (jardem ncalayer-sim), the host is pointed at it (JARDEM_NCALAYER_URL, JARDEM_NCALAYER_CA), and
 * the person signs in with the AUTH key; a cancelled dialog, the service absent and restarted are each told.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, jardem, startListening, stop, test } from './fixtures';
import { script } from './ncalayer-sim';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('sign in through NCALayer with the AUTH key; cancel, absent and restarted are told in the person’s language', async ({ page, pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-ncalayer-'));
  const keys = path.join(tmp, 'keys');
  mkdirSync(keys);
  jardem('pki', 'issue', '--dir', pki.dir, '--role', 'specialist', '--iin', pki.specialist.iin, '--surname', pki.specialist.surname, '--given', pki.specialist.given,
    '--patronymic', pki.specialist.patronymic, '--office', 'AUE', '--password', pki.specialistPassword, '--out-dir', keys, ...pki.registerBy('AUE'));
  writeFileSync(path.join(keys, 'keys.json'), JSON.stringify([
    { fileName: `RSA256_${pki.specialist.iin}.p12`, password: pki.specialistPassword },
    { fileName: `AUTH_RSA256_${pki.specialist.iin}.p12`, password: pki.specialistPassword },
  ]));
  const port = String(5510 + test.info().workerIndex);
  const sim = await startListening([path.join(ROOT, 'dist', 'node', 'cli.cjs'), 'ncalayer-sim', '--port', port, '--keys', keys], {});
  const caFile = path.join(keys, 'ncalayer-sim-tls', 'cert.pem');
  const dataDir = path.join(tmp, 'data');
  jardem('setup', '--data-dir', dataDir, '--pki', pki.dir, '--office', 'AUE', '--workstation', 'W1');
  const host = await startListening([path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {
    JARDEM_NCALAYER_URL: sim.url,
    JARDEM_NCALAYER_CA: caFile,
  });
  try {
    await page.goto(host.url);
    await page.getByText('Русский', { exact: true }).click();
    const card = page.getByTestId('ncalayer-signin');

    // The person closes NCALayer's dialog: nothing happens but a clear message.
    await script(sim.url, caFile, { outcomes: ['cancel'] });
    await card.getByRole('button', { name: /^(loading )?Вход через NCALayer$/ }).click();
    await expect(card.getByTestId('ncalayer-error')).toHaveText(/Вы закрыли окно NCALayer, не подписав/);

    // NCALayer restarts before it answers.
    await script(sim.url, caFile, { outcomes: ['restart'] });
    await card.getByRole('button', { name: /^(loading )?Вход через NCALayer$/ }).click();
    await expect(card.getByTestId('ncalayer-error')).toHaveText(/NCALayer перезапустился во время подписи/);
    // A person tries again once NCALayer is back (its tray icon); a click while it is still down is "not answering".
    await script(sim.url, caFile, { outcomes: [] });

    // The Kaztoken is not plugged in.
    await card.locator('#ncalayer-storage').click({ force: true });
    await page.getByTitle('Казтокен', { exact: true }).click();
    await card.getByRole('button', { name: /^(loading )?Вход через NCALayer$/ }).click();
    await expect(card.getByTestId('ncalayer-error')).toHaveText(/нет ключа в выбранном хранилище \(Казтокен\)/);
    await card.locator('#ncalayer-storage').click({ force: true });
    await page.getByTitle('файл ключа', { exact: true }).click();

    // Signed in with the AUTH key: the header shows the person.
    await card.getByRole('button', { name: /^(loading )?Вход через NCALayer$/ }).click();
    // Proving the key is the slowest step a person waits for (the challenge signed, the certificate checked): on a
    // busy machine it takes longer than a click's usual wait.
    await expect(page.getByTestId('whoami')).toContainText(pki.specialist.surname, { timeout: 60_000 });
  } finally {
    await stop(host.child);
    await stop(sim.child);
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the service absent: a clear message, nobody signed in', async ({ page, pki }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'jardem-ncalayer-'));
  const dataDir = path.join(tmp, 'data');
  jardem('setup', '--data-dir', dataDir, '--pki', pki.dir, '--office', 'AUE', '--workstation', 'W1');
  // Nothing listens on this port of the helper's range.
  const host = await startListening([path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {
    JARDEM_NCALAYER_URL: `wss://127.0.0.1:${5530 + test.info().workerIndex}`,
  });
  try {
    await page.goto(host.url);
    await page.getByText('Қазақша', { exact: true }).click();
    const card = page.getByTestId('ncalayer-signin');
    await card.getByRole('button', { name: 'NCALayer арқылы кіру', exact: true }).click();
    await expect(card.getByTestId('ncalayer-error')).toHaveText(/NCALayer жауап бермейді/);
  } finally {
    await stop(host.child);
    rmSync(tmp, { recursive: true, force: true });
  }
});
