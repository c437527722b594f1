import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Host tests run the real bundled services worker and CLI: build them fresh (esbuild, about a second). On PGlite,
 * every test server's new database folder is a copy of one made here (tests/pglite-template.ts): PGlite's initdb took
 * four to seven seconds of a core each time, dozens of times a run.
 */
export default async function setup() {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
  if (process.env.DATABASE_URL) return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-pglite-template-'));
  const db = new PGlite(path.join(dir, 'pgdata'));
  await db.waitReady;
  await db.close();
  process.env.JARDEM_TEST_PGLITE_TEMPLATE = path.join(dir, 'pgdata');
  return () => rmSync(dir, { recursive: true, force: true });
}
