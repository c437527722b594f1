/**
 * The workstation's data folder holds applicants' personal data, the device key and the demo office's passwords:
 * only the person whose account runs Jardem may read it. It is created 0700 and its files 0600
 * (blobs 0400), whatever the umask; modes loosened since (by an older Jardem, by a careless copy, by hand) are
 * tightened at every start, and the person is told what was changed.
 *
 * Every file and folder is looked at, not only those under a folder left open: a file made readable to all inside
 * a closed folder is exposed the day the folder is opened. The device key comes first (whoever reads it speaks to
 * the server as this workstation), then the folder itself, then everything else. The blob store's files (a
 * workstation may hold a million) are looked at after the start, in the background: the folder itself is closed
 * by then, which already keeps every file in it from other accounts.
 * On Windows the modes mean nothing: the data folder is under the user's profile, whose ACL does this.
 */
import { chmodSync, closeSync, existsSync, lstatSync, openSync, readdirSync, type Stats } from 'node:fs';
import { chmod, lstat, readdir } from 'node:fs/promises';
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
  /** Settles once the blob store's files have been looked at too; the counts above grow until then. */
  done: Promise<void>;
}

const LOOSE = 0o077;
/** A blob is content-addressed: read-only to its owner, as it was written. */
const BLOB_MODE = 0o400;

export interface Tightened {
  count: number;
  examples: string[];
  /** Folders whose contents are left to tightenLater (the blob store's, themselves closed already). */
  deferred: string[];
}

/**
 * Takes group and other permissions away from `root` and everything in it: `first` (paths relative to `root`)
 * before anything else; the folders in `later` (relative) closed now, and what they hold left for tightenLater.
 */
export function tightenTree(root: string, opts: { first?: readonly string[]; later?: string } = {}): Tightened {
  const out: Tightened = { count: 0, examples: [], deferred: [] };
  if (process.platform === 'win32' || !existsSync(root)) return out;
  const laterRoot = opts.later ? path.join(root, opts.later) : null;
  const check = (target: string, st: Stats, fileMode?: number) => {
    if ((st.mode & LOOSE) === 0) return;
    chmodSync(target, st.isDirectory() ? 0o700 : (fileMode ?? st.mode & 0o700));
    noteFixed(out, root, target);
  };
  const stat = (target: string) => {
    try {
      return lstatSync(target);
    } catch {
      return null;
    }
  };
  for (const rel of opts.first ?? []) {
    // The file, then the folders that hold it, up to the data folder.
    for (let target = path.join(root, rel); target.startsWith(root) && target !== root; target = path.dirname(target)) {
      const st = stat(target);
      // A link is never followed: chmod would change what it points at, perhaps outside the data folder.
      if (!st || st.isSymbolicLink()) break;
      check(target, st);
    }
  }
  check(root, lstatSync(root));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const entry = path.join(dir, name);
      const st = stat(entry);
      if (!st || st.isSymbolicLink()) continue;
      if (st.isDirectory()) {
        check(entry, st);
        // The blob store's folders are closed now; what they hold is read later, not at the start.
        if (dir === laterRoot) out.deferred.push(entry);
        else walk(entry);
      } else if (st.isFile()) check(entry, st);
    }
  };
  walk(root);
  return out;
}

function noteFixed(out: { count: number; examples: string[] }, root: string, target: string): void {
  out.count++;
  if (out.examples.length < 5) out.examples.push(path.relative(root, target) || '.');
}

/** The deferred folders' files (blobs), tightened to read-only for the owner, without holding up the start. */
export async function tightenLater(root: string, folders: readonly string[], into: { count: number; examples: string[] }): Promise<void> {
  const queue = [...folders];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (let i = 0; i < names.length; i += 256) {
      await Promise.all(
        names.slice(i, i + 256).map(async (name) => {
          const entry = path.join(dir, name);
          try {
            const st = await lstat(entry);
            if (st.isDirectory()) queue.push(entry);
            if (st.isSymbolicLink() || (st.mode & LOOSE) === 0) return;
            if (st.isDirectory()) await chmod(entry, 0o700);
            else if (st.isFile()) await chmod(entry, BLOB_MODE);
            else return;
            noteFixed(into, root, entry);
          } catch {
            // Gone meanwhile (a temporary file renamed): nothing to close.
          }
        }),
      );
    }
  }
}

/**
 * Prepares the data folder before the database opens: the folder itself (0700), the database file created 0600
 * (SQLite gives its -wal and -shm files the database's own mode), loose modes tightened (`layout.first` first, the
 * files under `layout.blobs` in the background), temporary blob files of killed writers removed.
 */
export function prepareDataFolder(dataDir: string, databaseFile: string, layout: { first?: readonly string[]; blobs?: string } = {}): DataFolderReport {
  privateDir(dataDir);
  if (!existsSync(databaseFile)) closeSync(openSync(databaseFile, 'a', 0o600));
  const tightened = tightenTree(dataDir, { first: layout.first, later: layout.blobs });
  // The demo office beside the data folder holds the demo keys' passwords: it is kept as closed.
  const demo = demoOfficeDir(dataDir);
  const demoTightened = tightenTree(demo);
  const report: DataFolderReport = {
    tightened: [...tightened.examples, ...demoTightened.examples.map((e) => path.join(path.basename(demo), e))].slice(0, 5),
    tightenedCount: tightened.count + demoTightened.count,
    tempFilesRemoved: removeTempBlobFiles(dataDir),
    done: Promise.resolve(),
  };
  if (tightened.deferred.length > 0) {
    const later = { count: 0, examples: [] as string[] };
    report.done = tightenLater(dataDir, tightened.deferred, later).then(() => {
      report.tightenedCount += later.count;
      report.tightened = [...report.tightened, ...later.examples].slice(0, 5);
    });
  }
  return report;
}
