/**
 * Scanner sources, chosen in the workstation's settings:
 * - sane: a real scanner through SANE's `scanimage` (Linux; tested with SANE's `test` virtual scanner);
 * - naps2: NAPS2's console on Windows: `NAPS2.Console.exe --noprofile --driver wia --device NAME --dpi 200
 *   --output FILE.png` (built here, cannot run on these machines);
 * - folder: a scanner that saves files into a folder: each scan takes the files there and moves them to
 *   `taken/`, oldest first.
 * Scanning is detected, not assumed: `detect` asks the source what is attached right now.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { ScannerSettings } from '../../../shared/contract/types';

export interface ScannedFile {
  bytes: Buffer;
  fileName: string;
  /** The resolution the scanner was asked for, when known. */
  dpi?: number;
  /** For a watched folder: moves the file to taken/, called once its pages are stored. */
  taken?: () => void;
}

/**
 * Runs a scanner program. A device that reports itself busy is given up on at once: SANE's scanimage prints
 * "Device busy" and then sometimes never exits, and the specialist should not wait for it.
 */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let settled = false;
    const finish = (error: (Error & { stderrText?: string; code?: string | number }) | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(Object.assign(error, { stderrText: stderr }));
      else resolve({ stdout: Buffer.concat(out), stderr });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (/device busy/i.test(stderr)) {
        child.kill('SIGKILL');
        finish(new Error('busy'));
      }
    });
    child.once('error', (error) => finish(error));
    child.once('close', (code) => finish(code === 0 ? null : Object.assign(new Error(`exit ${code}`), { code: code ?? 'signal' })));
  });
}

function saneEnv(settings: Extract<ScannerSettings, { source: 'sane' }>): NodeJS.ProcessEnv {
  return settings.saneConfigDir ? { ...process.env, SANE_CONFIG_DIR: settings.saneConfigDir } : process.env;
}

/** The files a folder scanner has saved and no scan has taken yet, oldest first. */
function waitingFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((n) => !n.startsWith('.') && statSync(path.join(folder, n)).isFile())
    .sort((a, b) => statSync(path.join(folder, a)).mtimeMs - statSync(path.join(folder, b)).mtimeMs);
}

/** What the source has attached now: SANE devices, or the folder and how many saved files wait in it. */
export async function detectScanners(settings: ScannerSettings): Promise<{ devices: { id: string; label: string }[]; waiting?: number }> {
  if (settings.source === 'sane') {
    try {
      const { stdout } = await run('scanimage', ['-L'], saneEnv(settings), 30_000);
      const devices = [...stdout.toString('utf8').matchAll(/^device `([^']+)' is an? (.+)$/gm)].map((m) => ({ id: m[1]!, label: m[2]! }));
      return { devices };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { devices: [] };
      throw error;
    }
  }
  if (settings.source === 'folder') {
    if (!existsSync(settings.folder)) return { devices: [] };
    return { devices: [{ id: settings.folder, label: settings.folder }], waiting: waitingFiles(settings.folder).length };
  }
  if (settings.source === 'naps2') return { devices: existsSync(settings.executable) ? [{ id: settings.device, label: settings.device }] : [] };
  return { devices: [] };
}

export function naps2Arguments(settings: Extract<ScannerSettings, { source: 'naps2' }>, output: string): string[] {
  return ['--noprofile', '--driver', 'wia', '--device', settings.device, '--dpi', String(settings.dpi), '--output', output];
}

/** One scan from the configured source. Throws scanner.absent, scanner.busy or scanner.failed. */
export async function scan(settings: ScannerSettings): Promise<ScannedFile[]> {
  if (settings.source === 'sane') {
    const args = ['--format=png', '--resolution', String(settings.dpi), '--mode', settings.mode];
    if (settings.device) args.unshift('-d', settings.device);
    if (settings.testPicture) args.push('--test-picture', settings.testPicture);
    // Extra options only for SANE's virtual test scanner in a test run (e.g. to simulate a busy device).
    if (settings.extraArgs && settings.device?.startsWith('test') && process.env.JARDEM_SCANNER_TEST_OPTIONS === '1') args.push(...settings.extraArgs);
    try {
      const { stdout } = await run('scanimage', args, saneEnv(settings));
      if (stdout.length === 0) throw new AppError('scanner.failed', { detail: 'empty' });
      return [{ bytes: stdout, fileName: 'scan.png', dpi: settings.dpi }];
    } catch (error) {
      if (error instanceof AppError) throw error;
      const e = error as NodeJS.ErrnoException & { stderrText?: string };
      if (e.code === 'ENOENT') throw new AppError('scanner.absent');
      const text = e.stderrText ?? '';
      if (/busy/i.test(text)) throw new AppError('scanner.busy');
      if (/no SANE devices found|open of device .* failed|Invalid argument/i.test(text)) throw new AppError('scanner.absent');
      throw new AppError('scanner.failed', { detail: text.trim().split('\n').pop() ?? '' });
    }
  }
  if (settings.source === 'folder') {
    if (!existsSync(settings.folder)) throw new AppError('scanner.absent');
    const names = waitingFiles(settings.folder);
    if (names.length === 0) throw new AppError('scanner.folder_empty');
    const takenDir = path.join(settings.folder, 'taken');
    // Files leave the folder only after their pages are stored: a refused or failed scan leaves them to retry.
    return names.map((n) => ({
      bytes: readFileSync(path.join(settings.folder, n)),
      fileName: n,
      taken: () => {
        mkdirSync(takenDir, { recursive: true });
        renameSync(path.join(settings.folder, n), path.join(takenDir, `${Date.now()}-${n}`));
      },
    }));
  }
  if (settings.source === 'naps2') {
    if (!existsSync(settings.executable)) throw new AppError('scanner.absent');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jardem-naps2-'));
    try {
      const out = path.join(dir, 'scan.png');
      await run(settings.executable, naps2Arguments(settings, out), process.env);
      return [{ bytes: await readFile(out), fileName: 'scan.png', dpi: settings.dpi }];
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('scanner.failed', { detail: (error as { stderrText?: string }).stderrText?.trim() ?? '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw new AppError('scanner.not_configured');
}
