/**
 * Printing a certified form with the OS print dialog (issue 5, "Printing: Electron: the OS print dialog"). The
 * PDF bytes come from the services as they were signed; they are written to a private temporary file, shown in a
 * hidden window by Chromium's PDF viewer and handed to webContents.print, which opens the system dialog.
 * (Printing a PDF document printed blank pages before Electron 30, electron/electron#43309; this app needs ≥ 45.)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions } from 'electron';

/** What the renderer may ask to print: a PDF, no larger than the largest page a case may hold. */
export const PRINT_LIMIT_BYTES = 25 * 1024 * 1024;

export type PrintResult = { ok: true } | { ok: false; error: { code: 'validation' | 'print.failed'; params?: Record<string, string> } };

export interface PrintDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => Pick<ElectronBrowserWindow, 'loadFile' | 'destroy' | 'webContents'>;
  tempDir: string;
}

export async function printPdf(base64: unknown, deps: PrintDeps): Promise<PrintResult> {
  if (typeof base64 !== 'string' || base64.length > Math.ceil(PRINT_LIMIT_BYTES / 3) * 4) return { ok: false, error: { code: 'validation' } };
  const pdf = Buffer.from(base64, 'base64');
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, error: { code: 'validation' } };
  mkdirSync(deps.tempDir, { recursive: true, mode: 0o700 });
  const file = path.join(deps.tempDir, `${randomBytes(12).toString('hex')}.pdf`);
  writeFileSync(file, pdf, { mode: 0o600 });
  const window = new deps.BrowserWindow({ show: false, webPreferences: { plugins: true, sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
  try {
    await window.loadFile(file);
    const failure = await new Promise<string | null>((resolve) => window.webContents.print({ silent: false, printBackground: true }, (success, reason) => resolve(success ? null : reason)));
    // "cancelled" is the person's choice in the dialog, not a failure.
    return failure === null || failure === 'cancelled' ? { ok: true } : { ok: false, error: { code: 'print.failed', params: { reason: failure } } };
  } finally {
    window.destroy();
    rmSync(file, { force: true });
  }
}
