/**
 * The backups kept in a folder (a removable drive, say): named by office, workstation and time, so the newest is
 * the last by name; the oldest beyond "keep N" are removed once a new one has verified. A file still being written
 * has a name of its own (.partial-…) and is never taken for a backup; one left by a killed run is removed later.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';

const NAME = /^jardem-([A-Z0-9-]+)_([A-Z0-9]+)_(\d{8}T\d{9}Z)\.jbk$/;
export const PARTIAL_PREFIX = '.partial-';
/** A partial file untouched this long was left by a killed run (a live one writes every moment). */
const STALE_PARTIAL_MS = 10 * 60_000;

export function backupFileName(officeCode: string, workstationCode: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `jardem-${officeCode}_${workstationCode}_${stamp}.jbk`;
}

/** The backups in `dir`, oldest first (optionally only one workstation's). */
export function listBackups(dir: string, who?: { officeCode: string; workstationCode: string }): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => {
      const m = NAME.exec(n);
      return m && (!who || (m[1] === who.officeCode && m[2] === who.workstationCode));
    })
    .sort()
    .map((n) => path.join(dir, n));
}

/** `from` itself when it is a file, else the newest backup in that folder. */
export function resolveBackup(from: string): string {
  let st;
  try {
    st = statSync(from);
  } catch {
    throw new AppError('backup.none_found', { dir: from });
  }
  if (st.isFile()) return from;
  const all = listBackups(from);
  if (all.length === 0) throw new AppError('backup.none_found', { dir: from });
  return all[all.length - 1]!;
}

/** Removes this workstation's oldest backups beyond `keep`, and partial files a killed run left. */
export function rotate(dir: string, who: { officeCode: string; workstationCode: string }, keep: number): string[] {
  const removed: string[] = [];
  const mine = listBackups(dir, who);
  for (const file of mine.slice(0, Math.max(0, mine.length - Math.max(1, keep)))) {
    rmSync(file, { force: true });
    removed.push(file);
  }
  removeStalePartials(dir);
  return removed;
}

/** Files in `dir` whose name starts with `prefix` (a partial backup, a killed run's snapshot) untouched for a while. */
export function removeStalePartials(dir: string, prefix = PARTIAL_PREFIX): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names.filter((x) => x.startsWith(prefix))) {
    const file = path.join(dir, n);
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_PARTIAL_MS) rmSync(file, { recursive: true, force: true });
    } catch {
      // Gone meanwhile.
    }
  }
}
