import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint rule that keeps the layers apart must fail on a crossing, not only be configured.
const eslint = new ESLint();
const errors = async (file: string, code: string) =>
  (await eslint.lintText(code, { filePath: file }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);

describe('layering lint rule', () => {
  it.each([
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;"],
    ['shared/x.ts', "import { openDatabase } from '../db/open';\nexport const a = openDatabase;"],
    ['db/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['electron/services/x.ts', "import { secureWebPreferences } from '../main/security';\nexport const a = secureWebPreferences;"],
    ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;"],
    ['renderer/src/x.ts', "import { signIn } from '../../electron/services/session';\nexport const a = signIn;"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const a = readFileSync;"],
    ['electron/services/pki/x.ts', "import { secureWebPreferences } from '../../main/security';\nexport const a = secureWebPreferences;"],
    ['db/x.ts', "import fs from 'node:fs';\nexport const a = fs;"],
  ])('refuses %s importing across a layer: %s', async (file, code) => {
    expect(await errors(file, code)).toHaveLength(1);
  });

  it.each([
    ['shared/x.ts', "export const load = () => import('node:fs');"],
    ['renderer/src/x.ts', "export const load = () => import('electron');"],
    ['electron/services/x.ts', "export const load = () => import('../../renderer/src/App');"],
  ])('refuses a dynamic import across a layer in %s', async (file, code) => {
    const messages = (await eslint.lintText(code, { filePath: file }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax');
    expect(messages).toHaveLength(1);
  });

  it.each([
    ['electron/services/x.ts', "import { openDatabase } from '../../db/open';\nexport const a = openDatabase;"],
    ['renderer/src/x.ts', "import { checkIin } from '../../shared/domain/iin';\nexport const a = checkIin;"],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});
