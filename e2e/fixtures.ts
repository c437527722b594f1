/**
 * Each test gets its own data folder and its own browser host; each worker its own simulated PKI.
 * Waits on the host's "listening" event, never on sleeps.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dropServerSchemas, serverDatabase } from './server-schemas';

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
  /** The head of the department's signing key (decisions and notifications). */
  headKey: string;
  headPassword: string;
  /** The administrator's signing key: only the administrator moves the demo clock. */
  adminKey: string;
  adminPassword: string;
  /** The arguments of `jardem pki issue` by which the office's administrator grants the issued role in its register. */
  registerBy: (office: string) => string[];
}

export interface Host {
  url: string;
  dataDir: string;
  /** The information-system simulator's address, when the test asked for it. */
  isUrl: string | null;
}

/** Starts a Node program of dist/node and resolves with its {"event":"listening"} line's url. */
export function startListening(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  // A server's back-pressure answers "busy, come back in 10 s" while its event loop lags a second on average, a
  // threshold for a server's own machine; here two browsers and several processes share two cores with PGlite on the
  // server's thread, and a workstation told "busy" waits 10 s or more, past what a spec waits to see another's act.
  // The back-pressure is tested on its own (tests/sync-backoff.test.ts); a spec may still turn it on.
  const server = path.basename(args[0] ?? '') === 'server.cjs' ? { JARDEM_MAX_EVENT_LOOP_DELAY_MS: '0' } : {};
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...server, ...env } });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event: string; url: string };
      if (event.event === 'listening') resolve({ child, url: event.url });
    });
    child.once('exit', (code) => reject(new Error(`${path.basename(args[0]!)} exited with ${code}`)));
  });
}

export async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The first day of the e2e registers' entries: before any day a test's moved clock names. */
export const REGISTER_FROM = '2020-01-01';

const SPECIALIST = { iin: '900512400018', surname: 'Сейітқали', given: 'Әйгерім', patronymic: 'Нұрланқызы' };

/** The key passwords of the specs' people (every office's administrators share theirs). */
const PASSWORDS = { admin: 'Admin-789', specialist: 'Qwerty-123', head: 'Head-456' };

/** The office's people in a PKI folder: their key files and passwords (made by `makeOfficePki`). */
function officeKeys(dir: string) {
  const keys = path.join(dir, 'keys');
  return {
    adminKey: path.join(keys, 'RSA256_admin.p12'),
    adminPassword: PASSWORDS.admin,
    specialistKey: path.join(keys, 'RSA256_specialist.p12'),
    specialistPassword: PASSWORDS.specialist,
    headKey: path.join(keys, 'RSA256_head.p12'),
    headPassword: PASSWORDS.head,
  };
}

/** The arguments by which an office's administrator grants a role in its staff register. */
const registeredBy = (adminKey: string) => ['--register-by', adminKey, '--register-password', PASSWORDS.admin, '--from', REGISTER_FROM];

/**
 * An office's PKI in `dir`: the simulated CA, then the office's first administrator (named by the issue, they begin
 * the office's staff register) granting the specialist and the head their roles in it (the PKI folder's staff acts,
 * read by the workstation and the server).
 */
export function makeOfficePki(dir: string) {
  const k = officeKeys(dir);
  jardem('pki', 'init', '--dir', dir);
  jardem('pki', 'issue', '--dir', dir, '--role', 'admin', '--iin', '820202300009', '--surname', 'Төлегенов', '--given', 'Болат',
    '--patronymic', 'Маратұлы', '--office', 'AUE', '--password', k.adminPassword, '--out', k.adminKey, '--from', REGISTER_FROM);
  jardem('pki', 'issue', '--dir', dir, '--role', 'specialist', '--iin', SPECIALIST.iin, '--surname', SPECIALIST.surname,
    '--given', SPECIALIST.given, '--patronymic', SPECIALIST.patronymic, '--office', 'AUE', '--password', k.specialistPassword, '--out', k.specialistKey, ...registeredBy(k.adminKey));
  jardem('pki', 'issue', '--dir', dir, '--role', 'head', '--iin', '780304300003', '--surname', 'Жұмабеков', '--given', 'Ерлан',
    '--patronymic', 'Серікұлы', '--office', 'AUE', '--password', k.headPassword, '--out', k.headKey, ...registeredBy(k.adminKey));
}

export const test = base.extend<{ host: Host; configured: boolean; unlockMinutes: string; idleMinutes: string; informationSystems: boolean; hostEnv: Record<string, string> }, { pki: Pki; serverSchemas: void }>({
  /** More of the browser host's environment (e.g. where NCALayer is: JARDEM_NCALAYER_URL, JARDEM_NCALAYER_CA). */
  hostEnv: [{}, { option: true }],
  /** Whether the information-system simulator (npm run server) runs for this test; the host points at it. */
  informationSystems: [false, { option: true }],
  /** How long a typed key password unlocks signing (JARDEM_UNLOCK_MINUTES); '0' asks at every signing moment. */
  unlockMinutes: ['10', { option: true }],
  /** Idle minutes before the screen locks (JARDEM_IDLE_MINUTES). */
  idleMinutes: ['30', { option: true }],
  /** Whether the workstation is set up (office, workstation code, trusted CA) before the test. */
  configured: [true, { option: true }],
  pki: [
    async ({}, use) => {
      // A copy of the PKI the global setup made (./global-setup.ts): its root, and the office's first administrator,
      // specialist and head with their roles in its staff register. Made in each worker it cost 8 s of a busy machine.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-pki-'));
      const template = process.env.JARDEM_E2E_PKI_TEMPLATE;
      if (template) cpSync(template, dir, { recursive: true });
      else makeOfficePki(dir);
      const k = officeKeys(dir);
      // The other offices the specs issue keys for: each its first administrator, who grants its people their roles.
      // Issued at the first key of the office (a worker's fixture: once per worker).
      const offices: Record<string, string[]> = { AUE: registeredBy(k.adminKey) };
      const adminIins: Record<string, string> = { 'CON-AUE': '810101300008', BOS: '700101300005' };
      const registerBy = (office: string) => {
        if (!offices[office] && adminIins[office]) {
          const key = path.join(dir, 'keys', `RSA256_admin_${office}.p12`);
          jardem('pki', 'issue', '--dir', dir, '--role', 'admin', '--iin', adminIins[office], '--surname', 'Әкімші', '--given', office, '--office', office, '--password', k.adminPassword, '--out', key, '--from', REGISTER_FROM);
          offices[office] = registeredBy(key);
        }
        return offices[office] ?? [];
      };
      await use({ dir, registerBy, specialist: SPECIALIST, ...k });
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  // The schemas of the worker's servers, dropped when the worker ends (its last test and afterAll done).
  serverSchemas: [
    async ({}, use) => {
      await use();
      await dropServerSchemas();
    },
    { scope: 'worker', auto: true },
  ],
  // A print preview left open in front hides the app's tab: Chromium stops its animation frames, and every later
  // click waits for them. A person looks at the printed form and closes it; here every such tab is closed at once.
  context: async ({ context }, use) => {
    context.on('page', (tab) => void tab.opener().then((opener) => (opener ? tab.close() : undefined)).catch(() => undefined));
    await use(context);
  },
  host: async ({ pki, configured, unlockMinutes, idleMinutes, informationSystems, hostEnv }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jardem-data-'));
    // The central server with its simulator, on a data folder (and so a database schema) of its own.
    const serverDir = path.join(dataDir, '..', `${path.basename(dataDir)}-server`);
    const simulator = informationSystems ? await startListening([path.join(ROOT, 'dist', 'node', 'server.cjs'), '--pki', pki.dir, '--port', '0', '--is-simulator', '--data-dir', serverDir], await serverDatabase(serverDir)) : null;
    // The simulator answers enrolled devices only: a workstation that asks it has its device and syncs with that server.
    const device = path.join(dataDir, '..', `${path.basename(dataDir)}-device`);
    if (configured && simulator) jardem('pki', 'device', '--dir', pki.dir, '--office', 'AUE', '--workstation', 'W1', '--out-dir', device);
    if (configured) jardem('setup', '--data-dir', dataDir, '--pki', pki.dir, '--office', 'AUE', '--workstation', 'W1', ...(simulator ? ['--device', device, '--server', simulator.url] : []));
    const { child, url } = await startListening([path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {
      JARDEM_UNLOCK_MINUTES: unlockMinutes,
      JARDEM_IDLE_MINUTES: idleMinutes,
      // The demo's time travel, for tests of deadlines; the information systems at the simulator.
      JARDEM_TIME_TRAVEL: '1',
      JARDEM_IS_POLL_MS: '500',
      ...(simulator ? { JARDEM_IS_URL: simulator.url } : {}),
      ...hostEnv,
    });
    await use({ url, dataDir, isUrl: simulator?.url ?? null });
    await stop(child);
    if (simulator) await stop(simulator.child);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(device, { recursive: true, force: true });
  },
});

export { expect };

/**
 * A workstation of an office as an administrator sets one up (the PKI's device certificate, the office, the server),
 * served by its own browser host. `timeTravel` lets the administrator move its clock (an act dated ahead is flagged).
 */
export async function officeWorkstation(tmp: string, pkiDir: string, office: string, code: string, serverUrl: string, opts: { syncWaitS?: number; timeTravel?: boolean } = {}) {
  const dataDir = path.join(tmp, `${office}-${code}`);
  const device = path.join(tmp, `${office}-${code}-device`);
  jardem('pki', 'device', '--dir', pkiDir, '--office', office, '--workstation', code, '--out-dir', device);
  jardem('setup', '--data-dir', dataDir, '--pki', pkiDir, '--office', office, '--workstation', code, '--device', device, '--server', serverUrl);
  const { child, url } = await startListening([path.join(ROOT, 'dist', 'node', 'browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0'], {
    JARDEM_IS_URL: serverUrl,
    JARDEM_IS_POLL_MS: '500',
    JARDEM_SYNC_WAIT_S: String(opts.syncWaitS ?? 10),
    ...(opts.timeTravel ? { JARDEM_TIME_TRAVEL: '1' } : {}),
  });
  return { url, dataDir, isUrl: serverUrl, stop: () => stop(child) };
}

/** The contract, as the screens call it: the host's /rpc with its secret. */
export async function rpc<T>(host: Host, method: string, input: unknown, session?: string): Promise<T> {
  const u = new URL(host.url);
  const r = await fetch(`${u.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': u.hash.replace('#secret=', '') }, body: JSON.stringify({ method, input, session }) });
  const body = (await r.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value;
}

/** The sign-in card's key file field (the sign-in screen also takes a paper to verify, in a file field of its own). */
export const KEY_FILE_INPUT = 'input[type=file][accept=".p12,.pfx"]';

/** Signs in as a person does: choose the key file, type the password, press the button. */
export async function signIn(page: Page, host: Host, keyFile: string, password: string) {
  // A new page opens the app; after a sign-out the app is already on its sign-in screen, where a person goes on.
  if (!page.url().startsWith(new URL(host.url).origin) || (await page.locator(KEY_FILE_INPUT).count()) === 0) await page.goto(host.url);
  await page.locator(KEY_FILE_INPUT).setInputFiles(keyFile);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: /Кіру|Войти|Sign in/ }).click();
  // Opening the key and proving it is the slowest step a person waits for: on a busy machine it takes longer than
  // a click's usual wait, so wait on the app's own signed-in state, the header naming the person.
  await expect(page.getByTestId('whoami')).toBeVisible({ timeout: 60_000 });
}

/**
 * Opens a screen's tab as a person does: a tab the bar shows is clicked; one the narrow bar has moved out of sight
 * (after a tab at its far end was opened) is chosen from the bar's "…" list.
 */
export async function openTab(page: Page, name: string) {
  const tab = page.getByRole('tab', { name, exact: true });
  const inSight = await tab.evaluate((el) => {
    const bar = el.closest('.ant-tabs-nav-wrap')!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.left >= bar.left - 1 && r.right <= bar.right + 1;
  });
  if (inSight) return tab.click();
  await page.locator('.ant-tabs-nav-more').first().hover();
  await page.getByRole('option', { name, exact: true }).click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

export async function useRussian(page: Page) {
  await page.getByText('Русский', { exact: true }).click();
}

/** Opens a new application with F2 and registers the applicant as the counter specialist types it (in Russian). */
export async function registerApplicant(page: Page, a: { iin: string; surname: string; givenName: string; patronymic?: string; address: string }) {
  // F2 belongs to the case list: wait until it is there.
  await expect(page.getByTestId('case-total')).toBeVisible();
  await page.keyboard.press('F2');
  const form = page.getByRole('dialog', { name: 'Регистрация заявителя' });
  await form.getByLabel('ИИН').fill(a.iin);
  await form.getByLabel('Фамилия').fill(a.surname);
  await form.getByLabel('Имя').fill(a.givenName);
  if (a.patronymic) await form.getByLabel('Отчество').fill(a.patronymic);
  await form.getByLabel('Адрес проживания').fill(a.address);
  await form.getByLabel('Телефон').fill('+7 701 555 12 34');
  await form.getByText('русский').click();
  await form.getByRole('button', { name: 'Зарегистрировать' }).click();
  // The toast lasts three seconds, which a busy machine can miss; the closed form and the new row stay.
  await expect(form).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('row', { name: new RegExp(`${a.surname} ${a.givenName}`) }).first()).toBeVisible();
}

/**
 * A printed form opens in a tab of its own, as the print preview would; the person looks at it and closes it, back
 * on the case. (A tab left open in front hides the app's page: Chromium stops its animation frames, and every later
 * click waits for them.) Resolves with the tab's address.
 */
export async function printPreview(page: Page, click: () => Promise<unknown>): Promise<string> {
  const opened = page.waitForEvent('popup');
  await click();
  const tab = await opened;
  const url = tab.url();
  if (!tab.isClosed()) await tab.close().catch(() => undefined);
  return url;
}

/**
 * Signs out from the header, as a person hands the workstation over. A workstation whose last acts have not reached
 * the server yet asks first (they stay saved and go at the next sync); the person signs out all the same.
 */
export async function signOut(page: Page) {
  const whoami = page.getByTestId('whoami');
  await page.getByRole('button', { name: 'Выйти' }).click();
  const asked = page.locator('.ant-modal-confirm').filter({ hasText: 'Ещё не отправлено на сервер' });
  await expect.poll(async () => (await asked.isVisible()) || (await whoami.count()) === 0).toBe(true);
  if (await asked.isVisible()) await asked.getByRole('button', { name: 'Выйти' }).click();
  await expect(whoami).toHaveCount(0);
}

/** Closes the open case with its ✕, as a person does (Esc depends on where the focus was left). */
export async function closeCase(page: Page) {
  const drawer = page.locator('.ant-drawer-open');
  await drawer.locator('.ant-drawer-close').click();
  await expect(drawer).toHaveCount(0);
}

/**
 * The administrator moves the demo clock N days ahead, in a tab of their own (only the administrator may);
 * the other open screens are told and show the moved clock.
 */
export async function moveClock(page: Page, host: Host, pki: Pki, days: number) {
  const admin = await page.context().newPage();
  await signIn(admin, host, pki.adminKey, pki.adminPassword);
  await admin.getByText('Русский', { exact: true }).click();
  await admin.getByRole('tab', { name: 'Контроль сроков' }).click();
  const board = admin.getByTestId('board');
  // The board's first page has come (its count is shown) before the administrator types: nothing redraws under her.
  await expect(board.getByTestId('board-shown')).toBeVisible();
  const shift = board.getByLabel('Демо: перевести часы вперёд, дней');
  await shift.fill(String(days));
  await expect(shift).toHaveValue(String(days));
  await board.getByRole('button', { name: 'OK' }).click();
  await expect(admin.getByText(/Демо: часы переведены/).first()).toBeVisible();
  await admin.close();
}
