/**
 * `npm start` without the Electron binary, and the end-to-end tests: starts the services and serves the built
 * renderer on 127.0.0.1. Prints one JSON line {"event":"listening","url":…} that tests wait on.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/i18n/messages';
import { ServicesHost } from '../services/host';
import { defaultDataDir, appRoot, appVersion } from '../services/paths';
import { startBrowserHost } from './server';

const DEFAULT_PORT = 5180;

async function main() {
  // Whatever the umask: files this process makes (the services worker's among them) are the owner's only.
  if (process.platform !== 'win32') process.umask(0o077);
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      // A stable port keeps the page's origin, and with it the language choice, across restarts.
      port: { type: 'string', default: String(DEFAULT_PORT) },
      open: { type: 'boolean', default: true },
      'no-open': { type: 'boolean', default: false },
    },
  });
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const services = new ServicesHost({ dataDir, appVersion: appVersion() });
  const startError = await services.ready;
  if (startError) {
    console.error(errorMessage('ru', startError));
    console.error(errorMessage('kk', startError));
    await services.close();
    process.exit(2);
  }
  const hostOptions = { call: services.call.bind(services), onPush: services.onPush.bind(services), rendererDir: path.join(appRoot(), 'dist', 'renderer'), secret: randomBytes(24).toString('base64url') };
  const host = await startBrowserHost({ ...hostOptions, port: Number(values.port) }).catch((error: NodeJS.ErrnoException) => {
    // The default port is taken (another Jardem, or another program): any free port will do.
    if (error.code === 'EADDRINUSE' && values.port === String(DEFAULT_PORT)) return startBrowserHost({ ...hostOptions, port: 0 });
    throw error;
  });
  console.log(JSON.stringify({ event: 'listening', url: host.url, dataDir }));
  console.log(`Jardem: ${host.url}`);

  const chromium = '/usr/bin/chromium';
  const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
  if (values.open && !values['no-open'] && !process.env.CI && display && existsSync(chromium)) {
    const profile = path.join(dataDir, 'chromium-profile');
    // The URL carries the secret; a command line is readable by every local user (/proc/*/cmdline), so
    // Chromium opens a launcher page only this user can read, which forwards to the URL.
    const launcher = path.join(dataDir, 'open-jardem.html');
    writeFileSync(launcher, `<!doctype html><meta http-equiv="refresh" content="0;url=${host.url}">`, { mode: 0o600 });
    chmodSync(launcher, 0o600);
    spawn(chromium, [`--app=file://${launcher}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-sync', '--disable-component-update'], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  }

  const stop = async () => {
    // Whatever happens, stop within 5 s: committed data is safe in SQLite's WAL.
    setTimeout(() => process.exit(0), 5000).unref();
    await host.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
