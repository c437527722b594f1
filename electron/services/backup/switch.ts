/**
 * The switch to a restored data folder, made at the next start, before anything opens the database: the app that
 * restored had the old folder open (its only writer), so it only leaves a note. At start the old folder is put
 * aside (`DIR.replaced-…`, kept: nothing is deleted) and the restored one takes its name. Each step is one rename;
 * a start killed between the two finds the note in the folder put aside and makes the second.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PENDING_FILE = 'restore-pending.json';
const ASIDE = '.replaced-';

/** Leaves the note: at the next start `restoredDir` becomes `dataDir`. */
export function scheduleSwitch(dataDir: string, restoredDir: string): void {
  const tmp = path.join(dataDir, `${PENDING_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify({ restoredDir }), { mode: 0o600 });
  renameSync(tmp, path.join(dataDir, PENDING_FILE));
}

function noteIn(dir: string): string | null {
  try {
    const { restoredDir } = JSON.parse(readFileSync(path.join(dir, PENDING_FILE), 'utf8')) as { restoredDir: string };
    return typeof restoredDir === 'string' && existsSync(restoredDir) ? restoredDir : null;
  } catch {
    return null;
  }
}

/** Makes a pending switch; returns the folder put aside, or null when there was none to make. */
export function finishPendingSwitch(dataDir: string): string | null {
  const restored = noteIn(dataDir);
  if (restored) {
    const aside = `${dataDir}${ASIDE}${new Date().toISOString().replace(/[-:.]/g, '')}`;
    renameSync(dataDir, aside);
    renameSync(restored, dataDir);
    return aside;
  }
  if (existsSync(dataDir)) return null;
  // Killed between the two renames: the note is in the folder put aside.
  const parent = path.dirname(dataDir);
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return null;
  }
  for (const n of names.filter((x) => x.startsWith(`${path.basename(dataDir)}${ASIDE}`)).sort().reverse()) {
    const left = noteIn(path.join(parent, n));
    if (left) {
      renameSync(left, dataDir);
      return path.join(parent, n);
    }
  }
  return null;
}
