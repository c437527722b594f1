/**
 * The workstation's data folder holds applicants' personal data and the demo office's passwords: only the person
 * whose account runs Jardem may read it (issue 14 point 2). It is created 0700 and its files 0600 (blobs 0400),
 * whatever the umask; a folder left with looser modes by an older Jardem or by hand is tightened at start, and the
 * person is told what was changed.
 *
 * A folder that only its owner may enter hides whatever is inside it, so a folder already closed to others is not
 * walked (a workstation holds a million blob files); a loose one is, entirely, once.
 * On Windows the modes mean nothing: the data folder is under the user's profile, whose ACL does this.
 */
import { chmodSync, closeSync, existsSync, lstatSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { privateDir, removeTempBlobFiles } from './blob-store';
import { demoOfficeDir } from '../../node/paths';

/** What the start changed in the data folder, for the person to read (office.status notices). */
export interface DataFolderReport {
  /** Files and folders whose modes were tightened, relative to the data folder (the first few). */
  tightened: string[];
  tightenedCount: number;
  /** Temporary blob files a killed writer left, removed. */
  tempFilesRemoved: number;
}

const LOOSE = 0o077;

/** Takes group and other permissions away from `dir` and, where it was open to them, from everything in it. */
export function tightenTree(root: string): { count: number; examples: string[] } {
  const out = { count: 0, examples: [] as string[] };
  if (process.platform === 'win32' || !existsSync(root)) return out;
  const fix = (target: string, mode: number) => {
    chmodSync(target, mode);
    out.count++;
    if (out.examples.length < 5) out.examples.push(path.relative(root, target) || '.');
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const entry = path.join(dir, name);
      let st;
      try {
        st = lstatSync(entry);
      } catch {
        continue;
      }
      // A link is never followed: chmod would change what it points at, perhaps outside the data folder.
      if (st.isSymbolicLink()) continue;
      if ((st.mode & LOOSE) === 0) continue;
      if (st.isDirectory()) {
        fix(entry, 0o700);
        walk(entry);
      } else if (st.isFile()) fix(entry, st.mode & 0o700);
    }
  };
  const top = lstatSync(root);
  if (top.mode & LOOSE) fix(root, 0o700);
  // The top level is always looked at: a file the folder's owner made readable to all is fixed even when the
  // folder is closed, should the folder ever be opened again.
  for (const name of readdirSync(root)) {
    const entry = path.join(root, name);
    const st = lstatSync(entry);
    if (st.isSymbolicLink() || (st.mode & LOOSE) === 0) continue;
    if (st.isDirectory()) {
      fix(entry, 0o700);
      walk(entry);
    } else if (st.isFile()) fix(entry, st.mode & 0o700);
  }
  return out;
}

/**
 * Prepares the data folder before the database opens: the folder itself (0700), the database file created 0600
 * (SQLite gives its -wal and -shm files the database's own mode), loose modes tightened, temporary blob files of
 * killed writers removed.
 */
export function prepareDataFolder(dataDir: string, databaseFile: string): DataFolderReport {
  privateDir(dataDir);
  if (!existsSync(databaseFile)) closeSync(openSync(databaseFile, 'a', 0o600));
  const tightened = tightenTree(dataDir);
  // The demo office beside the data folder holds the demo keys' passwords: it is kept as closed.
  const demo = demoOfficeDir(dataDir);
  const demoTightened = tightenTree(demo);
  const examples = [...tightened.examples, ...demoTightened.examples.map((e) => path.join(path.basename(demo), e))].slice(0, 5);
  return { tightened: examples, tightenedCount: tightened.count + demoTightened.count, tempFilesRemoved: removeTempBlobFiles(dataDir) };
}
