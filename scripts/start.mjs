// `npm start`: the Electron app when its binary is present; otherwise, as on machines that cannot download it,
// says so in one line and starts the browser host (same services, same renderer, on 127.0.0.1).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const rel = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

if (!existsSync(path.join(root, 'dist', 'node', 'browser-host.cjs')) || !existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  console.error('Jardem is not built yet: run `npm run build` (npm ci runs it).');
  process.exit(2);
}

const bin = electronBinary();
const args = process.argv.slice(2);
const child = bin
  ? spawn(bin, [root, ...args], { stdio: 'inherit' })
  : (console.log('Electron жоқ / Electron не найден / Electron binary not present: the browser host starts instead (браузер-хост / браузерлік хост).'),
    spawn(process.execPath, [path.join(root, 'dist', 'node', 'browser-host.cjs'), ...args], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
