import { defineConfig } from 'vitest/config';

// Unit and integration tests. Playwright specs live in e2e/ and are not collected here.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/global-setup.ts'],
  },
});
