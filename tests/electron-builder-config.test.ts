import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// electron-builder.yml cannot be built here (no Electron binary); it is checked against electron-builder's own
// JSON schema, and for the settings that matter to this app.
const require = createRequire(import.meta.url);
const config = loadYaml(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  asarUnpack: string[];
  files: string[];
  win: { target: { target: string }[] };
  linux: { target: string[] };
  extraMetadata: { main: string };
  electronFuses?: Record<string, boolean>;
};

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    // The schema does catch mistakes: a misspelt key and a wrong target type are refused.
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
    expect(validate({ ...config, win: { target: 42 } })).toBe(false);
  });

  it('targets Windows NSIS and Linux AppImage and deb, and unpacks native modules from asar', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.asarUnpack).toContain('dist/node/services-worker.cjs');
    // Worker threads cannot load a script from inside the asar archive: the pull's verification threads and piscina's.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/node/verify-thread.cjs', '**/node_modules/piscina/**']));
  });

  it('packs the built bundles and points main at the Electron shell the build writes', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(pkg.main).toBe('dist/node/electron-main.cjs');
    expect(config.files).toEqual(expect.arrayContaining(['dist/node/**', 'dist/renderer/**']));
  });

  it('sets the Electron fuses of the hardening, and the schema refuses a misspelt fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).toBe(false);
  });
});
