/**
 * A workstation's disk dies: its backup, older than its last work, is restored on a new machine, which syncs with
 * the real server (Fastify over PGlite, or PostgreSQL) and ends with the same log as the lost one, no number reused,
 * no act sent twice, no fork; and every way a backup can be wrong is refused with its own message, the live data
 * untouched.
 */
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, RegisterResult } from '../shared/contract/types';
import { errorMessage } from '../shared/i18n/messages';
import { AppError } from '../shared/errors';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { syncRound, syncState } from '../electron/services/sync/agent';
import { createBackup } from '../electron/services/backup/create';
import { restoreBackup } from '../electron/services/backup/restore';
import { verifyBackup } from '../electron/services/backup/verify';
import { listBackups } from '../electron/services/backup/rotation';
import { blobPath } from '../electron/services/blob-store';
import { makePki, nthIin, tempDir } from './helpers';
import { documentPage } from './intake-helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('backup-restore');
const PASS = 'a long office passphrase';
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let backupFile: string;

type Dispatch = ReturnType<typeof createDispatcher>;
async function signedIn(dispatch: Dispatch, p12: string) {
  const r = (await dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string }; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return async <T>(method: string, input: unknown): Promise<T> => {
    const a = (await dispatch({ method, input, session: r.value.token })) as { ok: boolean; value?: T; error?: unknown };
    if (!a.ok) throw new Error(`${method}: ${JSON.stringify(a.error)}`);
    return a.value as T;
  };
}
type Call = Awaited<ReturnType<typeof signedIn>>;

let applicant = 0;
async function newCase(call: Call): Promise<{ id: string; caseNumber: string }> {
  // Each case's page its own image: the count of blobs backed up must not depend on two scans being alike.
  const variant = applicant;
  const iin = nthIin('850615', 3, applicant++);
  const r = await call<RegisterResult>('cases.registerApplicant', { iin, surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' });
  await call('pages.import', { caseId: r.case.id, documentKind: 'identity', fileName: 'id.png', base64: await documentPage(variant % 10) });
  return r.case;
}

/** Every event of the log, as (case, seq, hash), in order: two workstations agree when these are equal. */
function logOf(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT case_id, seq, hash FROM case_events ORDER BY case_id, seq').all() as { case_id: string; seq: number; hash: string }[]).map((e) => `${e.case_id}/${e.seq}/${e.hash}`);
  } finally {
    db.close();
  }
}

const numberOf = (caseNumber: string) => Number(caseNumber.split('-').at(-1));

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
}, 120_000);
afterAll(async () => {
  w1?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('a workstation restored from an older backup on a new machine', () => {
  it('syncs to the same log as the lost one; numbers continue above all it issued; every case verifies', async () => {
    const specialist = await signedIn(w1.dispatch, pki.issue());
    const first = await newCase(specialist);
    expect((await w1.sync()).completed).toBe(true);
    // An act not sent yet when the backup is made: sent later by the lost machine, and again by the restored one.
    const unsent = await newCase(specialist);
    const made = await createBackup({ dataDir: w1.ctx.dataDir, db: w1.ctx.db, outDir: path.join(tmp.dir, 'drive'), passphrase: PASS, appVersion: 'test' });
    backupFile = made.file;
    expect(made).toMatchObject({ cases: 2, missingBlobs: [] });
    expect(made.blobs).toBeGreaterThanOrEqual(4);

    // More work after the backup, synced: the server is the only memory of it.
    expect((await w1.sync()).completed).toBe(true);
    const later = await newCase(specialist);
    await specialist('pages.import', { caseId: first.id, documentKind: 'identity', fileName: 'id2.png', base64: await documentPage() });
    expect(await w1.sync()).toMatchObject({ completed: true, waiting: 0, refused: 0 });
    const lostLog = logOf(w1.ctx.dataDir);

    // The new machine: the backup restored into a new folder, then the app on it.
    const newDir = path.join(tmp.dir, 'new-machine');
    const restored = await restoreBackup({ from: path.dirname(backupFile), dataDir: newDir, passphrase: PASS, officeCode: 'AUE' });
    expect(restored.manifest.database.cases).toBe(2);
    const ctx = createContext({ dataDir: newDir, appVersion: 'test' });
    try {
      expect(syncState(ctx).enrolled).toBeNull();
      // Before it has joined the server again it issues no number (it does not know those issued since the backup).
      const call = await signedIn(createDispatcher(ctx), pki.issue());
      const input = { iin: nthIin('850615', 3, 900), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
      await expect(call('cases.registerApplicant', input)).rejects.toThrow('backup.rejoin_first');
      const round = await syncRound(ctx);
      expect(round).toMatchObject({ completed: true, refused: 0, conflicts: 0, held: 0, waiting: 0 });
      // The logs agree, event by event: nothing duplicated, nothing forked.
      expect(logOf(newDir)).toEqual(lostLog);
      expect(syncState(ctx).enrolled).toMatchObject({ officeCode: 'AUE', workstationCode: 'W1' });

      // A new case on the restored machine takes a number above every one the lost machine issued.
      const next = await newCase(call);
      expect(numberOf(next.caseNumber)).toBe(numberOf(later.caseNumber) + 1);
      expect(numberOf(unsent.caseNumber)).toBeLessThan(numberOf(later.caseNumber));
      expect(await syncRound(ctx)).toMatchObject({ completed: true, refused: 0, conflicts: 0, waiting: 0 });
      for (const c of [first, unsent, later, next]) expect((await call<CaseVerification>('cases.verify', { caseId: c.id })).problems, c.caseNumber).toEqual([]);
    } finally {
      ctx.db.close();
    }
  }, 240_000);
});

describe('a backup that cannot be restored', () => {
  /** Tries a restore of `file` and returns the refusal; the target folder is never made, no staging is left. */
  async function refused(file: string, opts: { passphrase?: string; officeCode?: string } = {}): Promise<AppError> {
    const target = path.join(tmp.dir, `target-${Math.random().toString(36).slice(2)}`);
    const error = await restoreBackup({ from: file, dataDir: target, passphrase: opts.passphrase ?? PASS, officeCode: opts.officeCode }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.restoring-'))).toEqual([]);
    return error as AppError;
  }
  const variant = (name: string, change: (bytes: Buffer) => Buffer) => {
    const file = path.join(tmp.dir, 'bad', name);
    copyFileSync(backupFile, file);
    writeFileSync(file, change(readFileSync(file)));
    return file;
  };

  it('says which: wrong passphrase, another office, truncated, tampered, not a backup; in Kazakh and Russian', async () => {
    const liveLog = logOf(w1.ctx.dataDir);
    const bad = path.join(tmp.dir, 'bad');
    (await import('node:fs')).mkdirSync(bad);
    expect((await refused(backupFile, { passphrase: 'not the passphrase' })).code).toBe('backup.wrong_passphrase');
    const other = await refused(backupFile, { officeCode: 'BOS' });
    expect(other.toValue()).toEqual({ code: 'backup.other_office', params: { office: 'AUE', mine: 'BOS' } });
    expect(errorMessage('kk', other.toValue())).toContain('басқа бөлімнің (AUE)');
    expect(errorMessage('ru', other.toValue())).toContain('другого отдела (AUE)');

    const size = statSync(backupFile).size;
    const truncated = variant('truncated.jbk', (b) => b);
    truncateSync(truncated, size - 1000);
    expect((await refused(truncated)).code).toBe('backup.truncated');
    const flipped = variant('flipped.jbk', (b) => {
      b[Math.floor(size / 2)]! ^= 0x01;
      return b;
    });
    expect((await refused(flipped)).code).toBe('backup.tampered');
    // The header read as another office's, with the ciphertext left as it was: the chunks no longer authenticate.
    const relabelled = variant('relabelled.jbk', (b) => Buffer.from(b.toString('latin1').replace('"officeCode":"AUE"', '"officeCode":"BOS"'), 'latin1'));
    expect((await refused(relabelled)).code).toBe('backup.tampered');
    const appended = variant('appended.jbk', (b) => Buffer.concat([b, Buffer.from('more')]));
    expect((await refused(appended)).code).toBe('backup.tampered');
    expect((await refused(variant('text.jbk', () => Buffer.from('hello')))).code).toBe('backup.not_a_backup');
    for (const code of ['backup.truncated', 'backup.tampered', 'backup.wrong_passphrase'])
      for (const lang of ['kk', 'ru'] as const) expect(errorMessage(lang, { code })).not.toContain('errors.');

    // A restore over a live data folder is refused before anything is read.
    const over = await restoreBackup({ from: backupFile, dataDir: w1.ctx.dataDir, passphrase: PASS }).catch((e: unknown) => e);
    expect((over as AppError).code).toBe('backup.target_not_empty');
    expect(logOf(w1.ctx.dataDir)).toEqual(liveLog);
    // The good file still verifies: nothing above touched it.
    expect((await verifyBackup(backupFile, PASS)).manifest.database.cases).toBe(2);
  }, 120_000);

  it('keeps the newest N backups of the workstation in the folder', async () => {
    const dir = path.join(tmp.dir, 'rotation');
    for (let i = 0; i < 3; i++) await createBackup({ dataDir: w1.ctx.dataDir, db: w1.ctx.db, outDir: dir, passphrase: PASS, appVersion: 'test', keep: 2 });
    const kept = listBackups(dir);
    expect(kept).toHaveLength(2);
    for (const file of kept) expect((await verifyBackup(file, PASS)).header.workstationCode).toBe('W1');
    const short = await createBackup({ dataDir: w1.ctx.dataDir, db: w1.ctx.db, outDir: dir, passphrase: 'short', appVersion: 'test' }).catch((e: unknown) => e);
    expect((short as AppError).code).toBe('backup.passphrase_short');
    expect(listBackups(dir)).toEqual(kept);
  }, 120_000);

  it('leaves out a page file that is damaged, cut short or grown, names each, and still verifies', async () => {
    w1.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = path.join(tmp.dir, 'damaged-data');
    cpSync(w1.ctx.dataDir, copy, { recursive: true });
    const ctx = createContext({ dataDir: copy, appVersion: 'test' });
    try {
      const blobs = ctx.db.prepare('SELECT sha256 FROM blobs ORDER BY sha256').pluck().all() as string[];
      expect(blobs.length).toBeGreaterThan(3);
      const [damaged, short, grown] = blobs as [string, string, string];
      const file = (sha: string) => blobPath(copy, sha);
      for (const sha of [damaged, short, grown]) chmodSync(file(sha), 0o600);
      const bytes = readFileSync(file(damaged));
      bytes[bytes.length >> 1]! ^= 0xff;
      writeFileSync(file(damaged), bytes);
      truncateSync(file(short), statSync(file(short)).size - 1);
      writeFileSync(file(grown), Buffer.concat([readFileSync(file(grown)), Buffer.from([0])]));
      const made = await createBackup({ dataDir: copy, db: ctx.db, outDir: path.join(tmp.dir, 'damaged-drive'), passphrase: PASS, appVersion: 'test' });
      expect(made.missingBlobs).toEqual([damaged, short, grown].sort());
      const verified = await verifyBackup(made.file, PASS);
      expect(verified.manifest.missingBlobs).toEqual(made.missingBlobs);
      expect(verified.manifest.database.blobs).toBe(blobs.length - 3);
      const names = verified.manifest.files.map((f) => f.name);
      for (const sha of blobs) expect(names.some((n) => n.endsWith(sha)), sha).toBe(![damaged, short, grown].includes(sha));
    } finally {
      ctx.db.close();
    }
  }, 120_000);
});
