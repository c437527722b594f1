/**
 * The Electron shell's security policy, in one place (after Actual Budget's security.ts):
 * isolated, sandboxed renderer without Node; a strict CSP; no navigation away from the app, no new windows,
 * no webviews, no permission but the camera for the app's own page; IPC answered only for the app's own top frame.
 */
import type { App, IpcMainInvokeEvent, Protocol, WebContents, WebPreferences, Session } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RENDERER_CSP } from '../../shared/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'jardem';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Only the app's own pages; everything else (http, file, other schemes) is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** An IPC call is answered only when it comes from the app's top frame. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function hardenApp(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/**
 * Every permission refused but one: the camera (video, never the microphone), asked by the app's own page, for
 * Verify a document to read a paper's QR code. Electron grants whatever no handler refuses.
 */
export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const d = details as { mediaTypes?: string[]; requestingUrl?: string };
    callback(permission === 'media' && isAppUrl(d.requestingUrl ?? '') && (d.mediaTypes ?? []).length > 0 && (d.mediaTypes ?? []).every((t) => t === 'video'));
  });
  session.setPermissionCheckHandler((_wc, permission, origin, details) => permission === 'media' && isAppUrl(origin) && (details as { mediaType?: string }).mediaType === 'video');
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves the built renderer from app://jardem/, never from a dev server, with the CSP on every response. `other`
 * answers the app's own in-memory documents first (the PDF being printed, electron/main/print.ts).
 */
export function serveRenderer(protocol: Protocol, rendererDir: string, other?: (pathname: string) => Response | null): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const own = other?.(url.pathname);
    if (own) return own;
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = path.join(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': RENDERER_CSP },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
