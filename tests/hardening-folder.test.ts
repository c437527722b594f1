/**
 * The data folder hardened: the owner's only, and left-over temporary blob files removed at start (real SQLite
 * files, the demo office's real key files).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { formatMessage } from '../shared/i18n/messages';
import { demoOfficeDir } from '../node/paths';
import type { OfficeStatus, RegisterResult } from '../shared/contract/types';
import { documentPage } from './intake-helpers';
import { hardeningStations, applicant, modes } from './hardening-helpers';

const { tmp } = hardeningStations('hardening-folder');

describe('point 2: the data folder is the owner’s only', () => {
  const dataDir = path.join(tmp.dir, 'modes', 'data');
  // The demo office (its keys and their passwords) lives beside the data folder.
  const demoDir = demoOfficeDir(dataDir);

  it('is created 0700 with files 0600 (blobs 0400) under a umask of 000, demo office and passwords included', async () => {
    const old = process.umask(0);
    try {
      const ctx = createContext({ dataDir, appVersion: 'test' });
      const dispatch = createDispatcher(ctx);
      expect((await dispatch({ method: 'demo.createOffice', input: {} })).ok).toBe(true);
      const key = (await dispatch({ method: 'demo.keyFile', input: { role: 'specialist' } })) as { ok: true; value: { p12Base64: string; password: string } };
      const token = ((await dispatch({ method: 'session.signIn', input: { p12Base64: key.value.p12Base64, password: key.value.password } })) as { ok: true; value: { token: string } }).value.token;
      const c = (await dispatch({ method: 'cases.registerApplicant', input: applicant('850615300012'), session: token })) as { ok: true; value: RegisterResult };
      expect((await dispatch({ method: 'pages.import', input: { caseId: c.value.case.id, documentKind: 'application_form', fileName: 'a.png', base64: await documentPage() }, session: token })).ok).toBe(true);
      // SQLite gives its write-ahead log the database's own mode.
      expect(statSync(path.join(dataDir, 'jardem.sqlite-wal')).mode & 0o777).toBe(0o600);
      ctx.db.close();
    } finally {
      process.umask(old);
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(demoDir).mode & 0o777).toBe(0o700);
    const all = modes(dataDir);
    expect(all.filter((e) => e.mode & 0o077)).toEqual([]);
    expect(modes(demoDir).filter((e) => e.mode & 0o077)).toEqual([]);
    const mode = (rel: string) => all.find((e) => e.rel === rel)?.mode;
    expect(mode('jardem.sqlite')).toBe(0o600);
    expect(modes(demoDir).find((e) => e.rel === 'keys.json')?.mode).toBe(0o600);
    const blob = all.find((e) => e.rel.startsWith('blobs') && !e.folder)!;
    expect(blob.mode).toBe(0o400);
    expect(all.filter((e) => e.folder).every((e) => e.mode === 0o700)).toBe(true);
  }, 60_000);

  it('tightens a folder left loose, at start, and tells the person in kk and ru', async () => {
    // As an older Jardem (or a careless copy) left it: world-readable database, passwords and blobs.
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'jardem.sqlite'), 0o644);
    chmodSync(demoDir, 0o755);
    chmodSync(path.join(demoDir, 'keys.json'), 0o644);
    chmodSync(path.join(dataDir, 'blobs'), 0o755);
    const blobDir = path.join(dataDir, 'blobs', readdirSync(path.join(dataDir, 'blobs'))[0]!);
    chmodSync(blobDir, 0o755);
    const blob = path.join(blobDir, readdirSync(blobDir)[0]!);
    chmodSync(blob, 0o444);
    const ctx = createContext({ dataDir, appVersion: 'test' });
    // The blob store's files are looked at after the start, in the background (the folder is closed by then).
    await ctx.dataFolder.done;
    expect(modes(dataDir).filter((e) => e.mode & 0o077)).toEqual([]);
    expect(modes(demoDir).filter((e) => e.mode & 0o077)).toEqual([]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(blob).mode & 0o777).toBe(0o400);
    expect(ctx.dataFolder.tightenedCount).toBeGreaterThanOrEqual(7);
    const status = (await createDispatcher(ctx)({ method: 'office.status', input: {} })) as { ok: true; value: OfficeStatus };
    const notice = status.value.notices[0]!;
    expect(notice).toMatchObject({ key: 'notice.data_folder_tightened', params: { count: ctx.dataFolder.tightenedCount, dir: dataDir } });
    expect(formatMessage('ru', notice.key, notice.params)).toMatch(/была доступна другим пользователям компьютера\. Jardem закрыл доступ к \d+ файлам/);
    expect(formatMessage('ru', notice.key, notice.params)).toContain(dataDir);
    expect(formatMessage('kk', notice.key, notice.params)).toMatch(/басқа пайдаланушыларына ашық болған/);
    ctx.db.close();
    // Tight already: nothing to tell the next time.
    const again = createContext({ dataDir, appVersion: 'test' });
    expect(again.dataFolder.tightenedCount).toBe(0);
    again.db.close();
  });
});

describe('point 12: left-over temporary blob files', () => {
  it('removes at start the *.tmp files of writers that are gone, and leaves a running writer’s', () => {
    const dataDir = path.join(tmp.dir, 'tmp-files');
    const dir = path.join(dataDir, 'blobs', 'ab');
    mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const name = (pid: number) => `ab${'0'.repeat(62)}.${pid}.0123456789ab.tmp`;
    writeFileSync(path.join(dir, name(dead)), 'half');
    writeFileSync(path.join(dir, name(process.ppid)), 'being written by the command line');
    const stale = path.join(dir, name(process.ppid).replace('0123456789ab', 'ba9876543210'));
    writeFileSync(stale, 'an hour old');
    utimesSync(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    const ctx = createContext({ dataDir, appVersion: 'test' });
    expect(ctx.dataFolder.tempFilesRemoved).toBe(2);
    expect(readdirSync(dir)).toEqual([name(process.ppid)]);
    ctx.db.close();
  });
});
