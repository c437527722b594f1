import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository or installed app root: bundles live in <root>/dist/node. */
export function appRoot(): string {
  // Bundled CommonJS code knows its folder (dist/node), the sources theirs (node/); the benchmarks run the sources
  // as ES modules, from the repository root (npm run bench). The root is the nearest folder with package.json.
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
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

/**
 * The demo office's PKI, staff key files and their passwords live beside the workstation's data folder, never in it:
 * a workstation never holds a CA key. For ~/.local/share/jardem: ~/.local/share/jardem-demo-office.
 */
export function demoOfficeDir(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(path.resolve(dataDir))}-demo-office`);
}

/** The central server's own data folder when none is given (never a workstation's): $XDG_DATA_HOME/jardem-server. */
export function defaultServerDir(): string {
  const xdg = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'jardem-server');
}
