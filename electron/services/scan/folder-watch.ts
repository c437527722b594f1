/**
 * A scanner that saves files into a folder is watched: when a file arrives or is taken, the screens are told how
 * many wait (instead of asking every two seconds). Re-armed when the administrator changes the scanner source.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { ScannerSettings } from '../../../shared/contract/types';
import { readSetting } from '../../../db/repositories/settings';
import type { ServicesContext } from '../context';
import { detectScanners } from './scanner';

let watcher: FSWatcher | null = null;
let watched: string | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/**
 * Watches the configured folder, if it is not watched already (the setting may have been changed from the command
 * line while the services run: the screens ask for the scanner's status when a case opens, which re-arms it).
 */
export function watchScannerFolder(ctx: ServicesContext): void {
  const settings = readSetting<ScannerSettings>(ctx.db, 'scanner');
  const folder = settings?.source === 'folder' && existsSync(settings.folder) ? settings.folder : null;
  if (folder === watched && (watcher !== null || folder === null)) return;
  watcher?.close();
  watcher = null;
  watched = folder;
  if (!folder || settings?.source !== 'folder') return;
  const tell = () => {
    // A scanner writes a file in several steps: one message once the folder is quiet for a moment.
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      void detectScanners(settings).then((s) => ctx.push({ type: 'scanner.changed', waiting: s.waiting ?? 0 }), () => undefined);
    }, 150);
  };
  try {
    watcher = watch(folder, { persistent: false }, tell);
    watcher.on('error', () => undefined);
  } catch {
    // A folder that cannot be watched is still read when a scan is asked for.
  }
}
