/**
 * Each test gets its own data folder and its own browser host; each worker its own simulated PKI.
 * Waits on the host's "listening" event, never on sleeps.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'jardem.cjs');

export function jardem(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

export interface Pki {
  dir: string;
  /** A counter specialist's signing key. */
  specialistKey: string;
  specialistPassword: string;
  specialist: { iin: string; surname: string; given: string; patronymic: string };
}

export interface Host {
  url: string;
  dataDir: string;
}

export const test = base.extend<{ host: Host; configured: boolean; unlockMinutes: string }, { pki: Pki }>({
  /** How long a typed key password unlocks signing (JARDEM_UNLOCK_MINUTES); '0' asks at every signing moment. */
  unlockMinutes: ['10', { option: true }],
  /** Whether the workstation is set up (office, workstation code, trusted CA) before the test. */
  configured: [true, { option: true }],
  pki: [
    async ({}, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-pki-'));
      jardem('pki', 'init', '--dir', dir);
      const specialist = { iin: '900512400018', surname: 'Сейітқали', given: 'Әйгерім', patronymic: 'Нұрланқызы' };
      const specialistKey = path.join(dir, 'keys', 'RSA256_specialist.p12');
      jardem('pki', 'issue', '--dir', dir, '--role', 'specialist', '--iin', specialist.iin, '--surname', specialist.surname,
        '--given', specialist.given, '--patronymic', specialist.patronymic, '--office', 'AUE', '--password', 'Qwerty-123', '--out', specialistKey);
      await use({ dir, specialistKey, specialistPassword: 'Qwerty-123', specialist });
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  host: async ({ pki, configured, unlockMinutes }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jardem-data-'));
    if (configured) jardem('setup', '--data-dir', dataDir, '--pki', pki.dir, '--office', 'AUE', '--workstation', 'W1');
    const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, JARDEM_UNLOCK_MINUTES: unlockMinutes },
    });
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (!line.startsWith('{')) return;
        const event = JSON.parse(line) as { event: string; url: string };
        if (event.event === 'listening') resolve(event.url);
      });
      child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
    });
    await use({ url, dataDir });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };

/** Signs in as a person does: choose the key file, type the password, press the button. */
export async function signIn(page: Page, host: Host, keyFile: string, password: string) {
  await page.goto(host.url);
  await page.locator('input[type=file]').setInputFiles(keyFile);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: /Кіру|Войти|Sign in/ }).click();
}

export async function useRussian(page: Page) {
  await page.getByText('Русский', { exact: true }).click();
}
