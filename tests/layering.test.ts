import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint rule that keeps the layers apart (an allowlist per layer) must fail on a crossing, not only be configured.
const eslint = new ESLint();
const crossings = async (file: string, code: string) =>
  (await eslint.lintText(code, { filePath: file }))[0]!.messages.filter((m) => m.ruleId === 'jardem/layers').map((m) => m.message);

describe('layering lint rule (an allowlist per layer)', () => {
  it.each([
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;"],
    ['shared/x.ts', "import fs from 'fs';\nexport const a = fs;"],
    ['shared/x.ts', "import { openDatabase } from '../db/open';\nexport const a = openDatabase;"],
    ['shared/x.ts', "import dayjs from 'dayjs';\nexport const a = dayjs;"],
    ['shared/domain/x.ts', "export { signDetached } from '../../node/pki/cms';"],
    ['db/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['db/x.ts', "import fs from 'node:fs';\nexport const a = fs;"],
    ['db/x.ts', "import { signDetached } from '../node/pki/cms';\nexport const a = signDetached;"],
    ['node/pki/x.ts', "import { openDatabase } from '../../db/open';\nexport const a = openDatabase;"],
    ['node/pki/x.ts', "import { secureWebPreferences } from '../../electron/main/security';\nexport const a = secureWebPreferences;"],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/services/x.ts', "import { secureWebPreferences } from '../main/security';\nexport const a = secureWebPreferences;"],
    ['electron/services/x.ts', "import { startBrowserHost } from '../browser-host/server';\nexport const a = startBrowserHost;"],
    ['electron/services/x.ts', "import { main } from '../cli/main';\nexport const a = main;"],
    ['electron/services/x.ts', "import { buildSimulator } from '../../server/src/is-simulator/app';\nexport const a = buildSimulator;"],
    ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;"],
    ['renderer/src/x.ts', "import { signIn } from '../../electron/services/session';\nexport const a = signIn;"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;"],
    ['server/src/x.ts', "import { openDatabase } from '../../db/open';\nexport const a = openDatabase;"],
    ['server/src/x.ts', "import { createContext } from '../../electron/services/context';\nexport const a = createContext;"],
    ['server/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;"],
  ])('refuses %s importing across a layer: %s', async (file, code) => {
    expect(await crossings(file, code)).toHaveLength(1);
  });

  it.each([
    ['shared/x.ts', "export const load = () => import('node:fs');"],
    ['renderer/src/x.ts', "export const load = () => import('electron');"],
    ['electron/services/x.ts', "export const load = () => import('../../renderer/src/App');"],
  ])('refuses a dynamic import across a layer in %s', async (file, code) => {
    expect(await crossings(file, code)).toHaveLength(1);
  });

  it.each([
    ['shared/domain/x.ts', "import { z } from 'zod';\nimport { canonicalJson } from '../text';\nexport const a = [z, canonicalJson];"],
    ['db/x.ts', "import { canonicalJson } from '../shared/text';\nexport const a = canonicalJson;"],
    ['node/pki/x.ts', "import forge from 'node-forge';\nimport { createHash } from 'node:crypto';\nexport const a = [forge, createHash];"],
    ['electron/services/x.ts', "import { openDatabase } from '../../db/open';\nimport { signDetached } from '../../node/pki/cms';\nexport const a = [openDatabase, signDetached];"],
    ['renderer/src/x.ts', "import { checkIin } from '../../shared/domain/iin';\nexport const a = checkIin;"],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['server/src/x.ts', "import { verifySignature } from '../../node/pki/verdict';\nexport const a = verifySignature;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await crossings(file, code)).toEqual([]);
  });
});
