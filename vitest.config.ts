import { defineConfig } from 'vitest/config';

// Unit and integration tests. Playwright specs live in e2e/ and are not collected here.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // A bound for a test that hangs, not a speed target: files that spawn the CLI and openssl several times take
    // seconds when idle and half a minute with both cores busy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker (cores - 1), which runs every file in turn; most files
    // wait on child processes, PostgreSQL and the disk, so two workers keep both cores busy.
    maxWorkers: 2,
    // Each file re-imported the services, the server, PDF and crypto libraries in a fresh module graph: about
    // 3 s a file, two fifths of the run. The files share nothing at module level (each opens its own data folder,
    // database and server), so a worker keeps its modules from one file to the next.
    isolate: false,
    globalSetup: ['tests/global-setup.ts'],
    // The tests' PKIs take their keys from a bank made once (./tests/setup-keys.ts).
    setupFiles: ['tests/setup-keys.ts'],
    // The simulated CA keys and the device keys are kept encrypted: the tests' passphrases.
    env: { JARDEM_CA_PASSPHRASE: 'test-ca-passphrase', JARDEM_DEVICE_PASSPHRASE: 'test-device-passphrase' },
    coverage: {
      provider: 'v8',
      include: ['shared/domain/**/*.ts'],
      reporter: ['text-summary', 'text'],
      reportsDirectory: 'test-results/coverage',
      // The domain rules are exhaustively tested.
      thresholds: { 'shared/domain/**': { lines: 95 } },
    },
  },
});
