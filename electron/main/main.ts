/**
 * The Electron shell, kept thin: one window, the security policy, the app:// protocol, one IPC channel
 * that forwards calls to the services worker, and one that prints a PDF with the OS dialog. All logic lives in the services.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import type { CallEnvelope } from '../../shared/contract/methods';
import { errorMessage } from '../../shared/i18n/messages';
import { ServicesHost } from '../services/host';
import { appVersion } from '../services/paths';
import { EVENT_CHANNEL, IPC_CHANNEL, PRINT_CHANNEL } from '../preload/channel';
import { PrintDocuments, printPdf } from './print';
import { APP_SCHEME, APP_URL, restrictPermissions, hardenApp, isTrustedSender, secureWebPreferences, serveRenderer } from './security';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
hardenApp(app);
// Whatever the umask: files this process makes (the services worker's among them) are the owner's only.
if (process.platform !== 'win32') process.umask(0o077);
// One app per workstation: a second start focuses the first window instead of opening the database again.
if (!app.requestSingleInstanceLock()) app.quit();

export async function startShell(): Promise<BrowserWindow | null> {
  await app.whenReady();
  const services = new ServicesHost({ dataDir: process.env.JARDEM_DATA_DIR ?? app.getPath('userData'), appVersion: appVersion() });
  const startError = await services.ready;
  if (startError) {
    // e.g. a database written by a newer Jardem: say so in both languages and change nothing.
    dialog.showErrorBox('Jardem', `${errorMessage('kk', startError)}\n\n${errorMessage('ru', startError)}`);
    await services.close();
    app.quit();
    return null;
  }
  restrictPermissions(session.defaultSession);
  const printing = new PrintDocuments();
  serveRenderer(protocol, path.join(__dirname, '..', 'renderer'), (pathname) => printing.serve(pathname));

  ipcMain.handle(IPC_CHANNEL, (event, envelope: CallEnvelope) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden' } };
    return services.call(envelope);
  });
  ipcMain.handle(PRINT_CHANNEL, (event, base64: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden' } };
    return printPdf(base64, { BrowserWindow, documents: printing });
  });

  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Jardem',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  // The services' pushed events go to the app's own window only, never to another frame.
  const unsubscribe = services.onPush((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
  window.on('closed', unsubscribe);
  await window.loadURL(APP_URL);

  app.on('window-all-closed', () => {
    void services.close().then(() => app.quit());
  });
  return window;
}

void startShell();
