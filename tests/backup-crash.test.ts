/**
 * kill -9 during `jardem backup create` and `jardem backup restore` (real processes, SIGKILL at seeded random
 * moments): the live data folder is never changed, a backup that takes its name always verifies, and a restore
 * leaves its target absent or whole, never half-written.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBlob, storeBlobFile } from '../electron/services/blob-store';
import { verifyBackup } from '../electron/services/backup/verify';
import { listBackups } from '../electron/services/backup/rotation';
import { makePki, makeWorkstation, tempDir } from './helpers';

const tmp = tempDir('backup-crash');
const PASS = 'a long office passphrase';
const passFile = path.join(tmp.dir, 'pass');
const dataDir = path.join(tmp.dir, 'live');
const out = path.join(tmp.dir, 'drive');

/** The live folder's state that a backup must never change: SQLite's check and every blob row and event. */
function liveState(): { integrity: string; blobs: number; events: number } {
  const db = new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
  try {
    return {
      integrity: (db.pragma('integrity_check', { simple: true }) as string),
      blobs: (db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n,
      events: (db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

/** Runs `jardem backup …` and SIGKILLs it after `ms` (or lets it finish when ms is null). Resolves with its exit. */
function run(args: string[], ms: number | null): Promise<{ code: number | null; killed: boolean; stdout: string }> {
  const child = spawn(process.execPath, [path.resolve('bin/jardem.cjs'), 'backup', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  let killed = false;
  const timer = ms === null ? null : setTimeout(() => {
    killed = child.exitCode === null;
    child.kill('SIGKILL');
  }, ms);
  return new Promise((resolve) => child.once('exit', (code) => {
    if (timer) clearTimeout(timer);
    resolve({ code, killed, stdout });
  }));
}

/** A seeded sequence of delays (a failure is replayed by its seed). */
function delays(seed: number, n: number, max: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 50 + (x % max);
  });
}

beforeAll(() => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  const { ctx } = makeWorkstation(dataDir, pki.dir);
  // Enough files that a backup takes a while on a busy machine: 200 blobs of 256 KiB.
  for (let i = 0; i < 200; i++) {
    const bytes = randomBytes(256 * 1024);
    const { sha } = storeBlobFile(dataDir, bytes);
    recordBlob(ctx.db, sha, 'application/octet-stream', bytes.length, new Date().toISOString());
  }
  ctx.db.close();
  writeFileSync(passFile, `${PASS}\n`, { mode: 0o600 });
}, 120_000);
afterAll(() => tmp.remove());

const SEED = Number(process.env.JARDEM_CRASH_SEED ?? 23);

describe('kill -9 during a backup', () => {
  it('leaves the live data as it was and never a named backup that does not verify', async () => {
    const before = liveState();
    expect(before.integrity).toBe('ok');
    let killedRuns = 0;
    for (const ms of delays(SEED, 5, 2500)) {
      const r = await run(['create', '--out', out, '--passphrase-file', passFile, '--data-dir', dataDir], ms);
      if (r.killed) killedRuns++;
      expect(liveState(), `killed after ${ms} ms`).toEqual(before);
      for (const file of listBackups(out)) expect((await verifyBackup(file, PASS)).manifest.database.blobs).toBe(200);
    }
    console.log(`[backup-crash] seed ${SEED}: ${killedRuns} of 5 backups killed mid-way`);
    const done = await run(['create', '--out', out, '--passphrase-file', passFile, '--data-dir', dataDir], null);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, blobs: 200 });
  }, 300_000);
});

describe('kill -9 during a restore', () => {
  it('leaves the new folder absent or whole; the next restore completes', async () => {
    const target = path.join(tmp.dir, 'restored');
    let killedRuns = 0;
    for (const ms of delays(SEED + 1, 5, 2000)) {
      const r = await run(['restore', '--from', out, '--data-dir', target, '--passphrase-file', passFile], ms);
      if (r.killed) killedRuns++;
      if (existsSync(target)) {
        // Whole, or not there: the rename is the last step.
        const db = new Database(path.join(target, 'jardem.sqlite'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect((db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(200);
        db.close();
        expect(readdirSync(path.join(target, 'blobs')).length).toBeGreaterThan(0);
        break;
      }
    }
    console.log(`[backup-crash] seed ${SEED + 1}: ${killedRuns} restores killed mid-way`);
    if (!existsSync(target)) expect((await run(['restore', '--from', out, '--data-dir', target, '--passphrase-file', passFile], null)).code).toBe(0);
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.restoring-'))).toEqual([]);
    expect(existsSync(path.join(target, 'jardem.sqlite'))).toBe(true);
  }, 300_000);
});
