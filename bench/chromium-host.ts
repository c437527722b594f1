/**
 * A browser host over a bench's data folder, as its own process, and Debian's Chromium signed in to it with a key
 * file (password "pw", the benches' own keys): what the benches that time a screen start from.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';

export interface SignedInHost {
  url: string;
  page: Page;
  close: () => Promise<void>;
}

export async function signedInChromium(dataDir: string, keyFile: string): Promise<SignedInHost> {
  const child = spawn(process.execPath, [path.resolve('dist/node/browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`host exited ${code}`)));
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const close = async () => {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
    await page.goto(url);
    // The key card's own file field (the sign-in screen also has the Verify a document one).
    await page.locator('input[type=file][accept=".p12,.pfx"]').setInputFiles(keyFile);
    await page.locator('#signin-password').fill('pw');
    await page.getByRole('button', { name: /Кіру|Войти|Sign in/ }).click();
    await page.getByTestId('whoami').waitFor();
    return { url, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
