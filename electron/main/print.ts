/**
 * Printing a certified form with the OS print dialog. The
 * PDF bytes come from the services as they were signed; a hidden window shows them with Chromium's PDF viewer and
 * webContents.print opens the system dialog. (Printing a PDF document printed blank pages before Electron 30,
 * electron/electron#43309; this app needs ≥ 45.)
 *
 * The PDF never touches the disk and is never a file:// page: the app:// protocol serves it
 * from memory under a random name that only this process knows, for as long as its print window lives.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN } from './security';

/** What the renderer may ask to print: a PDF, no larger than the largest page a case may hold. */
export const PRINT_LIMIT_BYTES = 25 * 1024 * 1024;

export type PrintResult = { ok: true } | { ok: false; error: { code: 'validation' | 'print.failed'; params?: Record<string, string> } };

/** The path under app://jardem/ where documents being printed are served. */
export const PRINT_PATH = '/jardem-print/';

/** The PDFs being printed, each under a name of 128 random bits, served only until its print window closes. */
export class PrintDocuments {
  private readonly documents = new Map<string, Buffer>();

  add(pdf: Buffer): { url: string; release: () => void } {
    const name = `${randomBytes(16).toString('hex')}.pdf`;
    this.documents.set(name, pdf);
    return { url: `${APP_ORIGIN}${PRINT_PATH}${name}`, release: () => this.documents.delete(name) };
  }

  /** The app:// protocol's answer for a print path: the PDF while it is being printed, else 404. */
  serve(pathname: string): Response | null {
    if (!pathname.startsWith(PRINT_PATH)) return null;
    const pdf = this.documents.get(pathname.slice(PRINT_PATH.length));
    if (!pdf) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(pdf), { headers: { 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } });
  }

  get size(): number {
    return this.documents.size;
  }
}

export interface PrintDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => Pick<ElectronBrowserWindow, 'loadURL' | 'destroy' | 'webContents'>;
  documents: PrintDocuments;
}

export async function printPdf(base64: unknown, deps: PrintDeps): Promise<PrintResult> {
  if (typeof base64 !== 'string' || base64.length > Math.ceil(PRINT_LIMIT_BYTES / 3) * 4) return { ok: false, error: { code: 'validation' } };
  const pdf = Buffer.from(base64, 'base64');
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, error: { code: 'validation' } };
  const document = deps.documents.add(pdf);
  const window = new deps.BrowserWindow({ show: false, webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
  try {
    await window.loadURL(document.url);
    const failure = await new Promise<string | null>((resolve) => window.webContents.print({ silent: false, printBackground: true }, (success, reason) => resolve(success ? null : reason)));
    // "cancelled" is the person's choice in the dialog, not a failure.
    return failure === null || failure === 'cancelled' ? { ok: true } : { ok: false, error: { code: 'print.failed', params: { reason: failure } } };
  } finally {
    window.destroy();
    document.release();
  }
}
