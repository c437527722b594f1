/**
 * Once before the specs: the office's PKI every worker copies (fixtures.ts, `pki`). Its passphrases are the ones
 * playwright.config.ts sets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeOfficePki } from './fixtures';

export default function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-pki-template-'));
  makeOfficePki(dir);
  process.env.JARDEM_E2E_PKI_TEMPLATE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
