/**
 * Backup and restore (electron/services/backup): the encrypted, verified backup of a data folder of N cases with
 * 4 pages each (10,000 cases and 40,000 pages by default; BENCH_BACKUP_CASES scales it, BENCH_BACKUP_PAGE_KB sets a
 * page's size, 16 KiB by default: the files are random bytes, as incompressible as JPEG scans) against `tar -cf`
 * and `cp -r` of the same folder, and a tar flushed to the disk as the backup is, timed in the same run on a warm
 * cache; and a restore with its verification of a 1,000-case folder against `tar -xf` of it (the target is 60 s at
 * most).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createContext } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import { blobPath } from '../electron/services/blob-store';
import { recordBlob } from '../db/repositories/blobs';
import { createBackup } from '../electron/services/backup/create';
import { restoreBackup } from '../electron/services/backup/restore';
import { verifyBackup } from '../electron/services/backup/verify';
import { report } from './stats';

const log = (s: string) => process.stderr.write(`${s}\n`);
const PASS = 'bench backup passphrase';

/** A data folder of `cases` case rows with 4 page files each (fresh: the bench measures the files it made). */
export function dataFolder(root: string, pkiDir: string, cases: number, pageKb: number): { dataDir: string; bytes: number } {
  const dataDir = path.join(root, `data-${cases}`);
  rmSync(dataDir, { recursive: true, force: true });
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  const insert = ctx.db.prepare(
    `INSERT INTO cases (id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold, birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version)
     VALUES (?, ?, 'district', 'intake', '850615300012', 'Қасымов', 'Арман', 'Серікұлы', 'қасымов арман серікұлы', '1985-06-15', 'Алматы', '+77015551234', 'kk', 'AUE', '900512400018', ?, 1)`,
  );
  let bytes = 0;
  const at = new Date().toISOString();
  const batch = ctx.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      insert.run(`00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, `AUE-W1-2026-${String(i + 1).padStart(6, '0')}`, at);
      for (let p = 0; p < 4; p++) {
        const page = randomBytes(pageKb * 1024);
        const sha = createHash('sha256').update(page).digest('hex');
        const file = blobPath(dataDir, sha);
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(file, page, { mode: 0o400 });
        recordBlob(ctx.db, sha, 'image/jpeg', page.length, at);
        bytes += page.length;
      }
    }
  });
  for (let i = 0; i < cases; i += 1000) batch(i, Math.min(cases, i + 1000));
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  ctx.db.close();
  return { dataDir, bytes };
}

/** Rounds of the 10,000-case backup and its baselines (a noisy machine: the medians are reported). */
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Dirty pages written back now, not inside the next timed step. */
function flushDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

function timed(cmd: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  return (performance.now() - t) / 1000;
}

export async function benchBackup(pkiDir: string): Promise<void> {
  const cases = Number(process.env.BENCH_BACKUP_CASES ?? 10_000);
  const pageKb = Number(process.env.BENCH_BACKUP_PAGE_KB ?? 16);
  const root = path.resolve('.bench-data', 'backup');
  mkdirSync(root, { recursive: true });
  log(`[bench] backup: ${cases} cases, ${cases * 4} pages of ${pageKb} KiB`);
  const { dataDir, bytes } = dataFolder(root, pkiDir, cases, pageKb);
  const out = path.join(root, 'out');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  // The cache is warmed by a first tar (not counted). Then, in rounds, each is timed on the same warm files, the
  // disk flushed before each (the copies before it must not be written back during it); the medians are reported.
  timed('tar', ['-cf', path.join(out, 'warm.tar'), '-C', dataDir, '.']);
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  // The app has been running a while when its backup is made: its start-up check of the blob files' modes is over.
  await ctx.dataFolder.done;
  const runs = { tar: [] as number[], cp: [] as number[], tarSync: [] as number[], backup: [] as number[] };
  let made: Awaited<ReturnType<typeof createBackup>> | undefined;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Each writes a new file, as the first round does: no earlier copy is replaced or removed inside a timing.
      for (const earlier of ['copy', 'copy.tar', 'drive']) rmSync(path.join(out, earlier), { recursive: true, force: true });
      flushDisk();
      runs.tar.push(timed('tar', ['-cf', path.join(out, 'copy.tar'), '-C', dataDir, '.']));
      flushDisk();
      runs.cp.push(timed('cp', ['-r', dataDir, path.join(out, 'copy')]));
      flushDisk();
      // The backup reaches the disk before it is read back (fsync); a tar that does too.
      const durable = path.join(out, 'durable.tar');
      runs.tarSync.push(timed('sh', ['-c', 'tar -cf "$1" -C "$2" . && sync "$1"', 'tar-sync', durable, dataDir]));
      rmSync(durable, { force: true });
      flushDisk();
      const t = performance.now();
      made = await createBackup({ dataDir, db: ctx.db, outDir: path.join(out, 'drive'), passphrase: PASS, appVersion: 'bench' });
      runs.backup.push((performance.now() - t) / 1000);
    }
  } finally {
    ctx.db.close();
  }
  const [seconds, tar, cp, tarSync] = [median(runs.backup), median(runs.tar), median(runs.cp), median(runs.tarSync)];
  const measured = { cases, pages: cases * 4, pageKb, megabytes: Math.round(bytes / 2 ** 20), backupBytes: made?.size, rounds: ROUNDS, backupRuns: runs.backup.map((x) => Math.round(x * 100) / 100) };
  report('backup.create_and_verify', seconds, 's', tar, { ...measured, baselineName: 'tar -cf', target: 'ratio ≤ 2' });
  report('backup.create_and_verify_vs_cp', seconds, 's', cp, { ...measured, baselineName: 'cp -r', target: 'ratio ≤ 2' });
  report('backup.create_and_verify_vs_durable_tar', seconds, 's', tarSync, { ...measured, baselineName: 'tar -cf, then sync of the archive' });
  rmSync(path.join(out, 'copy'), { recursive: true, force: true });
  rmSync(path.join(out, 'warm.tar'), { force: true });

  // Restore and verify of 1,000 cases (from a folder of its own when the first was larger).
  const small = cases === 1000 ? { dataDir, file: made!.file } : await (async () => {
    const d = dataFolder(root, pkiDir, 1000, pageKb);
    const c = createContext({ dataDir: d.dataDir, appVersion: 'bench' });
    try {
      return { dataDir: d.dataDir, file: (await createBackup({ dataDir: d.dataDir, db: c.db, outDir: path.join(out, 'drive-1000'), passphrase: PASS, appVersion: 'bench' })).file };
    } finally {
      c.db.close();
    }
  })();
  timed('tar', ['-cf', path.join(out, 'small.tar'), '-C', small.dataDir, '.']);
  const target = path.join(out, 'restored');
  const untar = path.join(out, 'untar');
  mkdirSync(untar);
  const tarX = timed('tar', ['-xf', path.join(out, 'small.tar'), '-C', untar]);
  const t = performance.now();
  await verifyBackup(small.file, PASS);
  await restoreBackup({ from: small.file, dataDir: target, passphrase: PASS });
  const restoreSeconds = (performance.now() - t) / 1000;
  report('backup.restore_and_verify_1000_cases', restoreSeconds, 's', tarX, { cases: 1000, pages: 4000, pageKb, baselineName: 'tar -xf', target: 'value ≤ 60 s' });
  rmSync(root, { recursive: true, force: true });
}
