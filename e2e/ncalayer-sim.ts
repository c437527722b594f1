/**
 * The NCALayer-protocol simulator as the end-to-end tests run it: its own process on wss://127.0.0.1 (jardem
 * ncalayer-sim) holding people's two keys each (RSA256_… to sign acts, AUTH_RSA256_… to sign in), and the "person"
 * in its dialog scripted over its control module.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { expect, jardem, startListening, type Host } from './fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface SimPerson { iin: string; surname: string; given: string; patronymic: string; role: string; password: string }
export interface Sim { url: string; caFile: string; child: ChildProcess }

/** Issues each person's RSA256_… and AUTH_RSA256_… files into `keysDir` (the signing key listed first) and starts the simulator on them. */
export async function startSimFor(pkiDir: string, keysDir: string, port: number, people: readonly SimPerson[]): Promise<Sim> {
  for (const p of people) {
    jardem('pki', 'issue', '--dir', pkiDir, '--role', p.role, '--iin', p.iin, '--surname', p.surname, '--given', p.given, '--patronymic', p.patronymic,
      '--office', 'AUE', '--password', p.password, '--out-dir', keysDir);
  }
  writeFileSync(path.join(keysDir, 'keys.json'), JSON.stringify(people.flatMap((p) => [
    { fileName: `RSA256_${p.iin}.p12`, password: p.password },
    { fileName: `AUTH_RSA256_${p.iin}.p12`, password: p.password },
  ])));
  const sim = await startListening([path.join(ROOT, 'dist', 'node', 'cli.cjs'), 'ncalayer-sim', '--port', String(port), '--keys', keysDir], {});
  return { ...sim, caFile: path.join(keysDir, 'ncalayer-sim-tls', 'cert.pem') };
}

/** Sets the simulator's script over its control module, as a test drives the "person" in NCALayer's dialog. */
export async function script(url: string, caFile: string, args: Record<string, unknown>) {
  // A simulator restarting is down for a moment: the script is set once it is up again.
  for (;;) {
    try {
      return await scriptOnce(url, caFile, args);
    } catch (error) {
      if (!/ECONNREFUSED/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function scriptOnce(url: string, caFile: string, args: Record<string, unknown>) {
  const ws = new WebSocket(url, { ca: readFileSync(caFile) });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    // NCALayer first says its version; then the control request is answered.
    ws.once('message', () => {
      ws.once('message', () => resolve());
      ws.send(JSON.stringify({ module: 'jardem.ncalayer-sim', method: 'script', args }));
    });
  });
  ws.close();
}

/** The person with `iin` picks their keys in NCALayer's dialogs and signs in there (Russian screens). */
export async function signInThroughNcalayer(page: Page, host: Host, sim: Sim, iin: string) {
  await script(sim.url, sim.caFile, { outcomes: [], choose: iin });
  await page.goto(host.url);
  await page.getByText('Русский', { exact: true }).click();
  await page.getByTestId('ncalayer-signin').getByRole('button', { name: /^(loading )?Вход через NCALayer$/ }).click();
  // Proving the key is the slowest step a person waits for: on a busy machine it takes longer than a click's usual wait.
  await expect(page.getByTestId('whoami')).toBeVisible({ timeout: 60_000 });
}
