/**
 * A new PGlite database folder for a test's server: a copy of the empty cluster tests/global-setup.ts made once
 * (PGlite's own initdb, closed cleanly), where `pgdata` of the server's data folder is (server/src/store.ts).
 * On PostgreSQL (DATABASE_URL) the global setup makes none, and nothing is copied.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export function seedPgliteFolder(serverDataDir: string): void {
  const template = process.env.JARDEM_TEST_PGLITE_TEMPLATE;
  const target = path.join(serverDataDir, 'pgdata');
  if (!template || !existsSync(template) || existsSync(target)) return;
  mkdirSync(serverDataDir, { recursive: true, mode: 0o700 });
  cpSync(template, target, { recursive: true });
}
