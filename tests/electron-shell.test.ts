/**
 * The Electron shell without the Electron binary: `electron` is mocked, and so is the services host (which has
 * its own real tests in browser-host.test.ts). These tests check what the shell asks of Electron.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { RENDERER_CSP } from '../shared/csp';

const h = vi.hoisted(() => {
  // A minimal emitter: imports are not available inside vi.hoisted.
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const app = {
    on: (event: string, fn: (...args: unknown[]) => void) => listeners.set(event, [...(listeners.get(event) ?? []), fn]),
    emit: (event: string, ...args: unknown[]) => (listeners.get(event) ?? []).forEach((fn) => fn(...args)),
    whenReady: () => Promise.resolve(),
    getPath: () => '/tmp/jardem-electron-test',
    quit: () => undefined,
    requestSingleInstanceLock: () => true,
  };
  const state = {
    app,
    windows: [] as { options: Record<string, unknown>; loaded: string[]; destroyed: boolean }[],
    /** What each print window was given: the file's bytes at load time, and the print options. */
    printed: [] as { bytes: Buffer; options: unknown }[],
    printAnswer: [true, ''] as [boolean, string],
    ipcHandlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
    protocolHandler: null as null | ((req: Request) => Promise<Response>),
    privileged: [] as unknown[],
    permissionHandler: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void, details: Record<string, unknown>) => void),
    permissionCheck: null as null | ((wc: unknown, p: string, origin: string, details: Record<string, unknown>) => boolean),
    calls: [] as unknown[],
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[],
    sent: [] as unknown[],
    rendererListeners: new Map<string, (e: unknown, payload: unknown) => void>(),
    push: null as null | ((event: unknown) => void),
  };
  return state;
});

vi.mock('electron', () => ({
  app: h.app,
  BrowserWindow: class {
    loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      h.windows.push(this);
    }
    once() {}
    on() {}
    isDestroyed() {
      return this.destroyed;
    }
    show() {}
    loadURL(url: string) {
      this.loaded.push(url);
      this.url = url;
      return Promise.resolve();
    }
    private url = '';
    destroyed = false;
    private file = '';
    async loadFile(file: string) {
      this.loaded.push(file);
      this.file = file;
    }
    webContents = {
      send: (channel: string, payload: unknown) => h.sent.push([channel, payload]),
      print: (options: unknown, done: (success: boolean, reason: string) => void) => {
        // Read the document as the PDF viewer would, while the window holds it: a file, or the app:// protocol.
        void (async () => {
          const bytes = this.file ? (await import('node:fs')).readFileSync(this.file) : Buffer.from(await (await h.protocolHandler!(new Request(this.url))).arrayBuffer());
          h.printed.push({ bytes, options });
          done(...h.printAnswer);
        })();
      },
    };
    destroy() {
      this.destroyed = true;
    }
  },
  dialog: { showErrorBox: () => undefined },
  ipcMain: { handle: (channel: string, fn: (e: unknown, p: unknown) => unknown) => h.ipcHandlers.set(channel, fn) },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => h.privileged.push(...schemes),
    handle: (_scheme: string, fn: (req: Request) => Promise<Response>) => {
      h.protocolHandler = fn;
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof h.permissionHandler) => {
        h.permissionHandler = fn;
      },
      setPermissionCheckHandler: (fn: typeof h.permissionCheck) => {
        h.permissionCheck = fn;
      },
    },
  },
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => h.exposed.set(name, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => (h.invoked.push(args), Promise.resolve({ ok: true, value: 'pong' })),
    on: (channel: string, fn: (e: unknown, payload: unknown) => void) => h.rendererListeners.set(channel, fn),
    removeListener: (channel: string) => h.rendererListeners.delete(channel),
  },
}));

vi.mock('../electron/services/host', () => ({
  ServicesHost: class {
    ready = Promise.resolve(null);
    call(envelope: unknown) {
      h.calls.push(envelope);
      return Promise.resolve({ ok: true, value: 'answered' });
    }
    close() {
      return Promise.resolve();
    }
    onPush(listener: (event: unknown) => void) {
      h.push = listener;
      return () => (h.push = null);
    }
  },
}));

class FakeContents extends EventEmitter {
  openHandler: (() => { action: string }) | null = null;
  setWindowOpenHandler(fn: () => { action: string }) {
    this.openHandler = fn;
  }
}

function navigationPrevented(contents: FakeContents, event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

beforeAll(async () => {
  await import('../electron/main/main');
  await vi.waitFor(() => expect(h.windows.length).toBe(1));
});

describe('Electron main process', () => {
  it('creates the window with context isolation, sandbox and no Node integration, and loads app://', () => {
    const prefs = h.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(h.windows[0]!.loaded).toEqual(['app://jardem/index.html']);
    expect(h.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('blocks navigation away from the app, redirects, webviews and new windows', () => {
    const contents = new FakeContents();
    h.app.emit('web-contents-created', {}, contents);
    expect(navigationPrevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigationPrevented(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigationPrevented(contents, 'will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(navigationPrevented(contents, 'will-navigate', 'app://jardem/index.html')).toBe(false);
    expect(navigationPrevented(contents, 'will-attach-webview', 'app://jardem/')).toBe(true);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('prints a PDF with the OS dialog for the app’s own frame only, from a private file removed afterwards', async () => {
    const handler = h.ipcHandlers.get('jardem:print-pdf')!;
    const top = { senderFrame: { url: 'app://jardem/index.html', parent: null } };
    const pdf = Buffer.from('%PDF-1.7\n% Jardem test\n%%EOF\n');
    expect(await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, pdf.toString('base64'))).toEqual({ ok: false, error: { code: 'forbidden' } });
    expect(await handler(top, Buffer.from('<html>').toString('base64'))).toEqual({ ok: false, error: { code: 'validation' } });
    expect(await handler(top, 42)).toEqual({ ok: false, error: { code: 'validation' } });
    expect(h.printed).toHaveLength(0);

    expect(await handler(top, pdf.toString('base64'))).toEqual({ ok: true });
    const window = h.windows.at(-1)!;
    expect(window.options).toMatchObject({ show: false, webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(h.printed).toEqual([{ bytes: pdf, options: { silent: false, printBackground: true } }]);
    expect(window.destroyed).toBe(true);
    const { existsSync } = await import('node:fs');
    expect(window.loaded[0]).toMatch(/jardem-print/);
    expect(existsSync(window.loaded[0]!)).toBe(false);
    // No file:// page and no file at all; the app:// name stops answering once printed.
    expect(window.loaded[0]).toMatch(/^app:\/\/jardem\/jardem-print\/[0-9a-f]{32}\.pdf$/);
    expect(h.windows.every((w) => w.loaded.every((u) => u.startsWith('app://')))).toBe(true);
    expect((await h.protocolHandler!(new Request(window.loaded[0]!))).status).toBe(404);

    // Cancelled in the dialog is the person's choice; a printer failure is reported.
    h.printAnswer = [false, 'cancelled'];
    expect(await handler(top, pdf.toString('base64'))).toEqual({ ok: true });
    h.printAnswer = [false, 'failed'];
    expect(await handler(top, pdf.toString('base64'))).toEqual({ ok: false, error: { code: 'print.failed', params: { reason: 'failed' } } });
  });

  it('denies every permission request but the camera asked by the app’s own page', () => {
    const ask = (permission: string, details: Record<string, unknown>) => {
      let granted: boolean | null = null;
      h.permissionHandler?.({}, permission, (ok) => (granted = ok), details);
      return granted;
    };
    expect(ask('media', { mediaTypes: ['video'], requestingUrl: 'app://jardem/index.html' })).toBe(true);
    expect(ask('media', { mediaTypes: ['video', 'audio'], requestingUrl: 'app://jardem/index.html' })).toBe(false);
    expect(ask('media', { mediaTypes: ['audio'], requestingUrl: 'app://jardem/index.html' })).toBe(false);
    expect(ask('media', { mediaTypes: [], requestingUrl: 'app://jardem/index.html' })).toBe(false);
    expect(ask('media', { mediaTypes: ['video'], requestingUrl: 'https://example.org/' })).toBe(false);
    expect(ask('media', {})).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(ask(p, { requestingUrl: 'app://jardem/index.html' }), p).toBe(false);
    expect(h.permissionCheck?.({}, 'media', 'app://jardem', { mediaType: 'video' })).toBe(true);
    expect(h.permissionCheck?.({}, 'media', 'app://jardem', { mediaType: 'audio' })).toBe(false);
    expect(h.permissionCheck?.({}, 'media', 'https://example.org', { mediaType: 'video' })).toBe(false);
    expect(h.permissionCheck?.({}, 'geolocation', 'app://jardem', {})).toBe(false);
  });

  it('answers IPC only for the app’s own top frame', async () => {
    const handler = h.ipcHandlers.get('jardem:call')!;
    const envelope = { method: 'office.status', input: {} };
    const top = { senderFrame: { url: 'app://jardem/index.html', parent: null } };
    expect(await handler(top, envelope)).toEqual({ ok: true, value: 'answered' });
    expect(h.calls).toEqual([envelope]);
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://jardem/index.html', parent: { url: 'app://jardem/' } },
      { url: 'app://other/index.html', parent: null },
      null,
    ]) {
      expect(await handler({ senderFrame: frame }, envelope)).toEqual({ ok: false, error: { code: 'forbidden' } });
    }
    expect(h.calls).toHaveLength(1);
  });

  it('serves the built renderer from app:// with the strict CSP, and nothing outside it', async () => {
    const { serveRenderer } = await import('../electron/main/security');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-renderer-'));
    writeFileSync(path.join(dir, 'index.html'), '<title>Jardem</title>');
    let handle: ((req: Request) => Promise<Response>) | null = null;
    serveRenderer({ handle: (_s: string, fn: typeof handle) => (handle = fn) } as never, dir);
    const ok = await handle!(new Request('app://jardem/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    // Scripts from the app only; WebAssembly may compile (the QR reader), JavaScript is never evaluated.
    expect(RENDERER_CSP).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(RENDERER_CSP).not.toMatch(/'unsafe-eval'|'unsafe-inline'[^;]*;[^;]*script|script-src[^;]*(https?:|\*)/);
    expect((await handle!(new Request('app://jardem/..%2F..%2Fetc%2Fpasswd'))).status).toBe(404);
    expect((await handle!(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });
});

describe('Electron preload', () => {
  it('exposes a call function and a print function; calls forward only method, input and session', async () => {
    await import('../electron/preload/preload');
    const api = h.exposed.get('jardemBridge') as { call: (e: unknown) => Promise<unknown>; printPdf: (b: unknown) => Promise<unknown> };
    expect(Object.keys(api)).toEqual(['call', 'printPdf', 'onEvent']);
    expect(await api.call({ method: 'cases.search', input: { query: 'x' }, session: 't', extra: 'dropped' })).toEqual({ ok: true, value: 'pong' });
    await api.printPdf('JVBERi0=');
    expect(h.invoked).toEqual([
      ['jardem:call', { method: 'cases.search', input: { query: 'x' }, session: 't' }],
      ['jardem:print-pdf', 'JVBERi0='],
    ]);
  });

  it('sends the services\' pushed events to the app window, and the bridge hands the listener the event only', async () => {
    h.push!({ type: 'case.changed', caseId: 'c1', version: 3 });
    expect(h.sent).toEqual([['jardem:event', { type: 'case.changed', caseId: 'c1', version: 3 }]]);
    await import('../electron/preload/preload');
    const api = h.exposed.get('jardemBridge') as { onEvent: (l: (e: unknown) => void) => () => void };
    const got: unknown[] = [];
    const off = api.onEvent((e) => got.push(e));
    h.rendererListeners.get('jardem:event')!({ sender: 'ipc internals' }, { type: 'scanner.changed', waiting: 1 });
    expect(got).toEqual([{ type: 'scanner.changed', waiting: 1 }]);
    off();
    expect(h.rendererListeners.has('jardem:event')).toBe(false);
  });
});
