/**
 * Once before the specs: the schemas killed workers of runs long gone left in PostgreSQL are dropped
 * (./server-schemas.ts); the office's PKI every worker copies (fixtures.ts, `pki`), with the passphrases
 * playwright.config.ts sets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeOfficePki } from './fixtures';
import { dropAbandonedSchemas } from './server-schemas';

export default async function globalSetup() {
  const dropped = await dropAbandonedSchemas();
  if (dropped.length > 0) console.log(`Dropped ${dropped.length} schemas left by e2e workers killed long ago`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-pki-template-'));
  makeOfficePki(dir);
  process.env.JARDEM_E2E_PKI_TEMPLATE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
