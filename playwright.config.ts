import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/browser-args';

// The simulated CA keys and the device keys are kept encrypted: the passphrases of the test PKIs and devices, for
// every host, server and command the specs start.
process.env.JARDEM_CA_PASSPHRASE ??= 'test-ca-passphrase';
process.env.JARDEM_DEVICE_PASSPHRASE ??= 'test-device-passphrase';

// End-to-end tests drive the built renderer in Debian's Chromium through the browser host.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // Specs wait on the app's own states; these bounds only decide how long a real failure takes to report, and
  // must hold on a busy machine (two CPU-bound processes beside the suite, npm run test:busy).
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 2,
  fullyParallel: true,
  retries: 0,
  reporter: process.env.CI ? 'list' : [['list']],
  outputDir: 'test-results/e2e',
  use: {
    headless: true,
    viewport: { width: 1366, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
    // The office PCs' setting for less motion: the app drops antd's animations, and no click waits for one to end.
    reducedMotion: 'reduce',
    // A trace's DOM snapshots cost about a fifth of each test's time on two cores; JARDEM_E2E_TRACE=1 keeps them
    // for a failing test when one is being looked into.
    trace: process.env.JARDEM_E2E_TRACE ? { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: false } : 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Several offices at once: each file a server and two or three browser hosts, its tests in order (serial). They
    // come first, beside the single-workstation specs: the two longest runs of the suite start at once and the short
    // specs fill the workers around them (run after the others, one worker waited alone for the offices' last file).
    { name: 'offices', testMatch: /(sync|center)\.spec\.ts/ },
    { name: 'people', testIgnore: /(responsiveness|sync|center)\.spec\.ts/ },
    // The UI's long tasks are measured alone, after the rest: a workstation runs one app, not two browsers and
    // two hosts on its two cores (with the others in parallel the longest task tripled in CI).
    { name: 'responsiveness', testMatch: /responsiveness\.spec\.ts/, dependencies: ['people', 'offices'] },
  ],
});
