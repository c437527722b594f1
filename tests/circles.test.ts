import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

// No import circles, type-only imports included: a circle means two files that cannot be understood (or moved)
// one without the other; the shared part belongs lower, where both can import it.
const FOLDERS = ['shared', 'db', 'node', 'electron', 'server', 'renderer/src', 'bench'];
const circlesIn = async (paths: string[], baseDir: string) =>
  (await madge(paths, { baseDir, fileExtensions: ['ts', 'tsx'], tsConfig: path.resolve('tsconfig.json'), detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } } })).circular();

describe('import circles', () => {
  it('finds none in the code', async () => {
    expect(await circlesIn(FOLDERS, process.cwd())).toEqual([]);
  }, 60_000);

  it('finds one made on purpose, also through a type-only import', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jardem-circle-'));
    writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
    writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
    expect(await circlesIn([dir], dir)).toEqual([['a.ts', 'b.ts']]);
  }, 60_000);
});
