import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository or installed app root: bundles live in <root>/dist/node. */
export function appRoot(): string {
  // Bundled CommonJS code knows its folder (dist/node); the benchmarks run the sources as ES modules, from the
  // repository root (npm run bench).
  return typeof __dirname === 'string' ? path.resolve(__dirname, '..', '..') : process.cwd();
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Where a workstation keeps its data when no folder is given: $JARDEM_DATA_DIR, else the XDG data folder. */
export function defaultDataDir(): string {
  if (process.env.JARDEM_DATA_DIR) return process.env.JARDEM_DATA_DIR;
  const xdg = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'jardem');
}
