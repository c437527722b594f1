/**
 * The workstation hardened: each point that the services close, with the attack or accident that
 * worked before (real SQLite files, real PKCS#12 files and signatures). The host's limits are in
 * host-limits.test.ts, the damaged files in tamper.test.ts, the fuzz and the crash test in their own files.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext, IDLE_MINUTES, type ServicesContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { lockMs } from '../electron/services/session';
import { openCaseOfApplicant } from '../db/repositories/cases';
import { openDatabase } from '../db/open';
import { AppError } from '../shared/errors';
import { errorMessage, formatMessage } from '../shared/i18n/messages';
import { officeDate } from '../shared/local-date';
import { demoOfficeDir } from '../node/paths';
import type { AuditList, OfficeStatus, RegisterResult } from '../shared/contract/types';
import { HEAD, makePki, makeWorkstation, nthIin, SPECIALIST, tempDir } from './helpers';
import { documentPage } from './intake-helpers';

const tmp = tempDir('hardening');
afterAll(() => tmp.remove());

type Answer<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; params?: Record<string, string | number>; fieldErrors?: Record<string, string> } };
const ADMIN = { iin: '820202300009', surname: 'Төлегенов', givenName: 'Болат', patronymic: 'Маратұлы' };
const applicant = (iin: string, extra: Record<string, unknown> = {}) => ({ iin, surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk', ...extra });

/** One simulated PKI for every workstation here (a CA's keys take a second or two to make). */
let sharedPki: ReturnType<typeof makePki> | null = null;

/** A workstation on its own clock, with helpers to call as someone. */
function station(name: string, limits?: Partial<ServicesContext['limits']>) {
  // The certificates are issued now, real time: the clock starts there.
  let now = Date.now();
  const pki = (sharedPki ??= makePki(path.join(tmp.dir, 'pki')));
  const ws = makeWorkstation(path.join(tmp.dir, name, 'data'), pki.dir, () => new Date(now));
  Object.assign(ws.ctx.limits, limits);
  const call = <T>(method: string, input: unknown, session?: string) => ws.dispatch({ method, input, session }) as Promise<Answer<T>>;
  const ok = async <T>(method: string, input: unknown, session?: string) => {
    const r = await call<T>(method, input, session);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const signIn = async (p12Base64: string, password = 'pw') => (await ok<{ token: string }>('session.signIn', { p12Base64, password })).token;
  return { pki, ws, call, ok, signIn, tick: (ms: number) => (now += ms), now: () => now };
}

/** Every file and folder under `dir` (links not followed), with its mode. */
function modes(dir: string): { rel: string; mode: number; folder: boolean }[] {
  const out: { rel: string; mode: number; folder: boolean }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      out.push({ rel: path.relative(dir, p), mode: st.mode & 0o777, folder: st.isDirectory() });
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

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

describe('point 11: only the administrator moves the clock, and only in the demo office', () => {
  it('refuses every other role, and the administrator of a workstation set up for real work', async () => {
    const s = station('clock');
    const roles = {
      specialist: await s.signIn(s.pki.issue()),
      head: await s.signIn(s.pki.issue({ role: 'head', ...HEAD })),
      center: await s.signIn(s.pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга' })),
    };
    const admin = await s.signIn(s.pki.issue({ role: 'admin', ...ADMIN }));
    const previous = process.env.JARDEM_TIME_TRAVEL;
    delete process.env.JARDEM_TIME_TRAVEL;
    try {
      for (const token of Object.values(roles)) expect(await s.call('demo.timeTravel', { days: 5 }, token)).toEqual({ ok: false, error: { code: 'forbidden' } });
      expect(await s.call('demo.timeTravel', { days: 5 }, admin)).toEqual({ ok: false, error: { code: 'demo.time_travel_off' } });
      expect(s.ws.ctx.now().getTime()).toBe(s.now());
      // A test host's switch stands for the demo office.
      process.env.JARDEM_TIME_TRAVEL = '1';
      for (const token of Object.values(roles)) expect(await s.call('demo.timeTravel', { days: 5 }, token)).toEqual({ ok: false, error: { code: 'forbidden' } });
      expect(await s.ok('demo.timeTravel', { days: 5 }, admin)).toMatchObject({ days: 5 });
      expect(s.ws.ctx.now().getTime() - s.now()).toBe(5 * 86_400_000);
    } finally {
      if (previous === undefined) delete process.env.JARDEM_TIME_TRAVEL;
      else process.env.JARDEM_TIME_TRAVEL = previous;
    }
    s.ws.ctx.db.close();
  });

  it('lets the demo office’s administrator move it', async () => {
    const ctx = createContext({ dataDir: path.join(tmp.dir, 'modes', 'data'), appVersion: 'test' });
    const dispatch = createDispatcher(ctx);
    const key = ((await dispatch({ method: 'demo.keyFile', input: { role: 'admin' } })) as { ok: true; value: { p12Base64: string; password: string } }).value;
    const token = ((await dispatch({ method: 'session.signIn', input: { p12Base64: key.p12Base64, password: key.password } })) as { ok: true; value: { token: string } }).value.token;
    expect(await dispatch({ method: 'demo.timeTravel', input: { days: 3 }, session: token })).toMatchObject({ ok: true, value: { days: 3 } });
    ctx.db.close();
  });
});

describe('point 4: sign-in lockout per key file, persisted, growing to 15 minutes', () => {
  it('locks a key after 5 wrong passwords, across a fresh sign-in and a restart, doubling up to 15 minutes', async () => {
    const s = station('lockout');
    const key = s.pki.issue();
    const wrong = () => s.call('session.signIn', { p12Base64: key, password: 'not-it' });
    for (let i = 0; i < 4; i++) expect(await wrong()).toEqual({ ok: false, error: { code: 'signin.wrong_password' } });
    expect(await wrong()).toEqual({ ok: false, error: { code: 'signin.locked', params: { seconds: 60 } } });
    // The right password waits too, and the probe's 200 tries go nowhere: none reaches the password.
    expect(await s.call('session.signIn', { p12Base64: key, password: 'pw' })).toMatchObject({ ok: false, error: { code: 'signin.locked' } });
    const started = performance.now();
    const codes = new Set<string>();
    for (let i = 0; i < 200; i++) codes.add(((await wrong()) as { error: { code: string } }).error.code);
    expect([...codes]).toEqual(['signin.locked']);
    expect(performance.now() - started).toBeLessThan(2000);
    // A restart keeps it: the count is in the database.
    const restarted = createContext({ dataDir: s.ws.ctx.dataDir, appVersion: 'test', now: () => new Date(s.now()) });
    expect(await createDispatcher(restarted)({ method: 'session.signIn', input: { p12Base64: key, password: 'pw' } })).toMatchObject({ ok: false, error: { code: 'signin.locked' } });
    restarted.db.close();
    // Each wrong password after a lock doubles the wait, up to 15 minutes.
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      s.tick(15 * 60_000 + 1000);
      const r = await wrong();
      waits.push(r.ok ? 0 : Number(r.error.params?.seconds));
    }
    expect(waits).toEqual([120, 240, 480, 900, 900, 900]);
    expect([5, 6, 7, 8, 9, 10, 50].map(lockMs)).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    // The time left, in the person's language.
    expect(errorMessage('ru', { code: 'signin.locked', params: { seconds: 900 } })).toBe('Слишком много неверных паролей к этому ключу: вход по нему заблокирован. Повторите через 900 с');
    expect(errorMessage('kk', { code: 'signin.locked', params: { seconds: 900 } })).toBe('Бұл кілттің құпиясөзі тым көп рет қате енгізілді: ол арқылы кіру бұғатталды. 900 секундтан кейін қайталаңыз');
    // Another key file is not locked by this one's; the right password, once the wait is over, starts again from none.
    expect((await s.call('session.signIn', { p12Base64: s.pki.issue(), password: 'pw' })).ok).toBe(true);
    s.tick(15 * 60_000 + 1000);
    expect((await s.call('session.signIn', { p12Base64: key, password: 'pw' })).ok).toBe(true);
    expect(await wrong()).toEqual({ ok: false, error: { code: 'signin.wrong_password' } });
    s.ws.ctx.db.close();
  });

  it('shares the count with a signing moment: a fresh sign-in does not go round the unlock’s lockout', async () => {
    const s = station('unlock-lockout');
    const key = s.pki.issue();
    const token = await s.signIn(key);
    for (let i = 0; i < 4; i++) await s.call('session.unlock', { password: 'x' }, token);
    expect(await s.call('session.unlock', { password: 'x' }, token)).toEqual({ ok: false, error: { code: 'ecp.key_locked', params: { seconds: 60 } } });
    expect(await s.call('session.signIn', { p12Base64: key, password: 'pw' })).toMatchObject({ ok: false, error: { code: 'signin.locked' } });
    s.ws.ctx.db.close();
  });

  it('names the same key file whatever its outer encoding, and no other', async () => {
    const { keyFileId } = await import('../node/pki/keyfile');
    const s = station('key-id');
    const a = Buffer.from(s.pki.issue(), 'base64');
    const b = Buffer.from(s.pki.issue(), 'base64');
    expect(keyFileId(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyFileId(a)).toBe(keyFileId(Buffer.from(a)));
    expect(keyFileId(a)).not.toBe(keyFileId(b));
    // Another MAC (salt) over the same contents: the MAC fails for every password, and the count is the same file's.
    const forge = (await import('node-forge')).default;
    type Asn1 = ReturnType<typeof forge.asn1.fromDer>;
    const der = forge.asn1.fromDer(forge.util.createBuffer(a.toString('binary')), true);
    const macData = (der.value as Asn1[])[2]!;
    const salt = (macData.value as Asn1[])[1]!;
    salt.value = 'saltsalt';
    expect(keyFileId(Buffer.from(forge.asn1.toDer(der).getBytes(), 'binary'))).toBe(keyFileId(a));
    s.ws.ctx.db.close();
  });
});

describe('point 5: idle timeout and a cap on sessions', () => {
  it('locks the screen after the idle minutes (30 by default): the key goes, calls wait for the password, the same session goes on', async () => {
    expect(IDLE_MINUTES).toBe(30);
    const s = station('idle');
    expect((await s.ok<OfficeStatus>('office.status', {})).idleMinutes).toBe(30);
    const token = await s.signIn(s.pki.issue());
    const session = s.ws.ctx.sessions.get(token)!;
    s.tick(29 * 60_000);
    expect((await s.call('cases.search', { query: '' }, token)).ok).toBe(true);
    s.tick(30 * 60_000);
    expect(await s.call('cases.search', { query: '' }, token)).toEqual({ ok: false, error: { code: 'session.locked', params: { holder: 'Сейітқали Әйгерім Нұрланқызы', iin: SPECIALIST.iin } } });
    expect(session.unlocked).toBeNull();
    expect(await s.call('session.current', {}, token)).toMatchObject({ ok: false, error: { code: 'session.locked' } });
    expect(await s.call('session.resume', { password: 'wrong' }, token)).toEqual({ ok: false, error: { code: 'signin.wrong_password' } });
    expect(await s.ok('session.resume', { password: 'pw' }, token)).toMatchObject({ token, identity: { iin: SPECIALIST.iin } });
    expect(session.unlocked).not.toBeNull();
    expect((await s.call('cases.search', { query: '' }, token)).ok).toBe(true);
    // The person locks it at once; the background sweep locks an idle one without a call.
    expect(await s.ok('session.lock', {}, token)).toEqual({ locked: true });
    expect(await s.call('cases.search', { query: '' }, token)).toMatchObject({ ok: false, error: { code: 'session.locked' } });
    await s.ok('session.resume', { password: 'pw' }, token);
    s.tick(31 * 60_000);
    const { sweepExpiredKeys } = await import('../electron/services/session');
    sweepExpiredKeys(s.ws.ctx);
    expect(session.lockedAt).not.toBeNull();
    expect(session.unlocked).toBeNull();
    expect(errorMessage('kk', { code: 'session.locked', params: { holder: 'Сейітқали Әйгерім' } })).toContain('Экран бұғатталған (Сейітқали Әйгерім)');
    expect(errorMessage('ru', { code: 'session.locked', params: { holder: 'Сейітқали Әйгерім' } })).toContain('Экран заблокирован (Сейітқали Әйгерім)');
    s.ws.ctx.db.close();
  });

  it('takes the idle minutes from the workstation’s setting', async () => {
    const s = station('idle-5', { idleMinutes: 5 });
    const token = await s.signIn(s.pki.issue());
    s.tick(5 * 60_000);
    expect(await s.call('cases.search', { query: '' }, token)).toMatchObject({ ok: false, error: { code: 'session.locked' } });
    s.ws.ctx.db.close();
  });

  it('keeps at most the cap of live sessions: a new sign-in ends the one idle longest', async () => {
    const s = station('cap', { maxSessions: 3 });
    const key = s.pki.issue();
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) {
      tokens.push(await s.signIn(key));
      s.tick(1000);
    }
    expect(s.ws.ctx.sessions.size).toBe(3);
    expect([...s.ws.ctx.sessions.keys()]).toEqual(tokens.slice(-3));
    expect(await s.call('cases.search', { query: '' }, tokens[0])).toEqual({ ok: false, error: { code: 'unauthenticated' } });
    // One still in use is kept over one left idle.
    await s.ok('cases.search', { query: '' }, tokens[9]);
    tokens.push(await s.signIn(key));
    expect(s.ws.ctx.sessions.has(tokens[9]!)).toBe(true);
    expect(s.ws.ctx.sessions.has(tokens[10]!)).toBe(false);
    s.ws.ctx.db.close();
  });
});

describe('point 7: a corrupt PDF is refused by name', () => {
  it('answers "%PDF-1.4 garbage" with a typed error naming the file, storing nothing', async () => {
    const s = station('pdf');
    const token = await s.signIn(s.pki.issue());
    const c = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012'), token);
    const before = s.ws.ctx.db.prepare('SELECT (SELECT count(*) FROM case_events) AS e, (SELECT count(*) FROM blobs) AS b').get();
    for (const bytes of ['%PDF-1.4 garbage', '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF']) {
      const r = await s.call('pages.import', { caseId: c.case.id, documentKind: 'application_form', fileName: 'скан.pdf', base64: Buffer.from(bytes).toString('base64') }, token);
      expect(r).toEqual({ ok: false, error: { code: 'page.file_damaged', params: { file: 'скан.pdf' } } });
    }
    expect(s.ws.ctx.db.prepare('SELECT (SELECT count(*) FROM case_events) AS e, (SELECT count(*) FROM blobs) AS b').get()).toEqual(before);
    expect(existsSync(path.join(s.ws.ctx.dataDir, 'blobs'))).toBe(false);
    expect(errorMessage('ru', { code: 'page.file_damaged', params: { file: 'скан.pdf' } })).toContain('Файл «скан.pdf» повреждён');
    expect(errorMessage('kk', { code: 'page.file_damaged', params: { file: 'скан.pdf' } })).toContain('«скан.pdf» файлы зақымдалған');
    s.ws.ctx.db.close();
  });
});

describe('point 9: junk text in names and addresses', () => {
  it('refuses NUL and lone surrogates in any field, and bidi controls in names and IINs, naming the field and storing nothing', async () => {
    const s = station('junk');
    const token = await s.signIn(s.pki.issue());
    const events = () => s.ws.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get();
    const before = events();
    const refused = async (extra: Record<string, unknown>) => {
      const r = await s.call('cases.registerApplicant', applicant('850615300012', extra), token);
      return r.ok ? null : r.error.fieldErrors;
    };
    expect(await refused({ surname: 'Әбіл\u0000қайыров' })).toEqual({ surname: 'field.invalid_characters' });
    expect(await refused({ address: 'Алматы \ud800' })).toEqual({ address: 'field.invalid_characters' });
    expect(await refused({ address: 'Алматы \udc00 көше' })).toEqual({ address: 'field.invalid_characters' });
    expect(await refused({ givenName: 'Нұр\u202Eсұлтан' })).toEqual({ givenName: 'field.bidi_control' });
    expect(await refused({ patronymic: '\u2067Қайратұлы' })).toEqual({ patronymic: 'field.bidi_control' });
    expect(await refused({ iin: '\u202E850615300012' })).toEqual({ iin: 'field.bidi_control' });
    expect(events()).toBe(before);
    // A whole pair (an emoji) is text, not junk; a bidi control in an address is not refused.
    expect(await refused({ iin: nthIin('850615', 3, 7), address: 'Алматы 🏠 \u202Eкөше' })).toBeNull();
    for (const lang of ['kk', 'ru'] as const) {
      expect(formatMessage(lang, 'field.invalid_characters')).not.toBe('field.invalid_characters');
      expect(formatMessage(lang, 'field.bidi_control')).toContain('U+202E');
    }
    s.ws.ctx.db.close();
  });

  it('strips zero-width characters: the stored name is the name as it reads, and search finds it', async () => {
    const s = station('zero-width');
    const token = await s.signIn(s.pki.issue());
    const c = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012', { surname: 'Әбіл\u200Bқайыров\uFEFF', givenName: '\u200DНұрсұлтан', address: 'Алматы,\u2060 Абай 1' }), token);
    expect(c.case).toMatchObject({ surname: 'Әбілқайыров', givenName: 'Нұрсұлтан' });
    const row = s.ws.ctx.db.prepare('SELECT surname, given_name, address, full_name_fold FROM cases').get();
    expect(row).toEqual({ surname: 'Әбілқайыров', given_name: 'Нұрсұлтан', address: 'Алматы, Абай 1', full_name_fold: 'әбілқайыров нұрсұлтан' });
    expect((await s.ok<{ items: unknown[] }>('cases.search', { query: 'әбілқайыров н' }, token)).items).toHaveLength(1);
    s.ws.ctx.db.close();
  });
});

describe('point 10: one open application per family', () => {
  it('refuses the applicant’s second open case and a child counted in another open case, naming that case', async () => {
    const s = station('family');
    const token = await s.signIn(s.pki.issue());
    const first = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012'), token);
    const events = () => s.ws.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get();
    let before = events();
    const again = await s.call('cases.registerApplicant', applicant('850615300012', { surname: 'Басқа' }), token);
    expect(again).toEqual({ ok: false, error: { code: 'case.open_case_exists', params: { caseNumber: first.case.caseNumber, caseId: first.case.id }, fieldErrors: { iin: 'family.open_case' } } });
    expect(events()).toBe(before);
    expect(errorMessage('ru', (again as { error: { code: string; params: Record<string, string> } }).error)).toContain(`открытое дело ${first.case.caseNumber}`);
    expect(errorMessage('kk', (again as { error: { code: string; params: Record<string, string> } }).error)).toContain(`${first.case.caseNumber} ашық ісі бар`);
    // Another office's open case does not count here (the projection may hold other offices' cases).
    expect(openCaseOfApplicant(s.ws.ctx.db, '850615300012', 'BOS')).toBeNull();

    const child = nthIin('150722', 5, 0);
    const family = (caseId: string, applicantIin: string) => ({
      caseId,
      identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
      registrationAddress: 'Алматы',
      bankAccount: { iban: 'KZ12345678901234567890'.slice(0, 20), bank: 'Halyk Bank' },
      representative: null,
      members: [
        { id: 'm1', relation: 'applicant', iin: applicantIin, surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', patronymic: '', birthDate: applicantIin === '850615300012' ? '1985-06-15' : '1990-05-12' },
        { id: 'c1', relation: 'child', iin: child, surname: 'Әбілқайыров', givenName: 'Бала', patronymic: '', birthDate: '2015-07-22', birthRecord: { number: '1', date: '2015-07-30', registryOffice: 'АХАЖ', inKazakhstan: true } },
      ],
      income: [],
      applicantDataMatchBirthCertificates: true,
    });
    await s.ok('application.record', family(first.case.id, '850615300012'), token);
    // The other parent applies for the same child.
    const second = await s.ok<RegisterResult>('cases.registerApplicant', applicant('900512400018', { birthDate: '1990-05-12' }), token);
    before = events();
    const r = await s.call('application.record', family(second.case.id, '900512400018'), token);
    expect(r).toEqual({ ok: false, error: { code: 'case.child_in_open_case', params: { caseNumber: first.case.caseNumber, caseId: first.case.id, iin: child }, fieldErrors: { 'members.1.iin': 'family.child_in_open_case' } } });
    expect(events()).toBe(before);
    expect(errorMessage('kk', (r as { error: { code: string; params: Record<string, string> } }).error)).toContain(`${first.case.caseNumber} ашық ісінде`);
    // The case's own application may be recorded again with the same child.
    expect((await s.call('application.record', family(first.case.id, '850615300012'), token)).ok).toBe(true);
    s.ws.ctx.db.close();
  });

  it('does not count a closed or a refused case', () => {
    const dir = path.join(tmp.dir, 'legacy');
    cpSync(path.resolve('tests/fixtures/legacy-2026-11-25'), dir, { recursive: true });
    const db = openDatabase(path.join(dir, 'jardem.sqlite'));
    const rows = db.prepare('SELECT applicant_iin, stage, office_code FROM cases').all() as { applicant_iin: string; stage: string; office_code: string }[];
    const done = rows.filter((r) => r.stage === 'closed' || r.stage === 'refused_to_accept');
    expect(done.map((r) => r.stage).sort()).toEqual(['closed', 'refused_to_accept']);
    for (const r of done) expect(openCaseOfApplicant(db, r.applicant_iin, r.office_code)).toBeNull();
    const open = rows.find((r) => r.stage !== 'closed' && r.stage !== 'refused_to_accept')!;
    expect(openCaseOfApplicant(db, open.applicant_iin, open.office_code)).not.toBeNull();
    // Every child of the migrated cases is in case_members, from their recorded applications.
    expect(db.prepare("SELECT count(*) FROM case_members WHERE relation = 'child'").pluck().get()).toBeGreaterThan(0);
    db.close();
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

describe('point 15: the audit trail', () => {
  it('records sign-ins, failed sign-ins and case opens with who, when and where, no payload; the head reads it', async () => {
    const s = station('audit');
    const specialistKey = s.pki.issue();
    expect((await s.call('session.signIn', { p12Base64: specialistKey, password: 'wrong' })).ok).toBe(false);
    expect((await s.call('session.signIn', { p12Base64: makePki(path.join(tmp.dir, 'audit-other-pki')).issue(), password: 'pw' })).ok).toBe(false);
    const specialist = await s.signIn(specialistKey);
    const c = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012'), specialist);
    await s.ok('cases.get', { caseId: c.case.id }, specialist);
    await s.ok('cases.get', { caseId: c.case.id }, specialist);
    await s.ok('pages.list', { caseId: c.case.id }, specialist);
    const head = await s.signIn(s.pki.issue({ role: 'head', ...HEAD }));
    expect(await s.call('audit.list', {}, specialist)).toEqual({ ok: false, error: { code: 'forbidden' } });
    const today = officeDate(new Date(s.now()));
    const list = await s.ok<AuditList>('audit.list', { from: today, to: today }, head);
    expect(list.rows.map((r) => r.kind).reverse()).toEqual(['signin_failed', 'signin_failed', 'signin', 'case_opened', 'signin']);
    const [headIn, opened, specialistIn, otherCa, wrong] = list.rows;
    expect(wrong).toMatchObject({ kind: 'signin_failed', reason: 'signin.wrong_password', actorIin: null, workstation: 'AUE/W1', at: new Date(s.now()).toISOString() });
    expect(wrong!.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(otherCa).toMatchObject({ kind: 'signin_failed', reason: 'signin.unknown_ca' });
    expect(otherCa!.certSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(specialistIn).toMatchObject({ kind: 'signin', actorIin: SPECIALIST.iin, actorName: 'Сейітқали Әйгерім Нұрланқызы', actorRole: 'specialist' });
    expect(specialistIn!.hostName).toBeTruthy();
    expect(opened).toMatchObject({ kind: 'case_opened', actorIin: SPECIALIST.iin, caseId: c.case.id, caseNumber: c.case.caseNumber });
    expect(headIn).toMatchObject({ kind: 'signin', actorRole: 'head' });
    // No applicant's data: neither the IIN nor the name of the family.
    expect(JSON.stringify(list)).not.toMatch(/850615300012|Әбілқайыров|Нұрсұлтан|Алматы/);
    expect((await s.ok<AuditList>('audit.list', { kind: 'case_opened', caseNumber: c.case.caseNumber }, head)).total).toBe(1);
    expect((await s.ok<AuditList>('audit.list', { actorIin: HEAD.iin }, head)).total).toBe(1);
    expect((await s.ok<AuditList>('audit.list', { from: officeDate(new Date(s.now() + 86_400_000)) }, head)).total).toBe(0);
    // Once a while has passed, the same case opened again is another line.
    s.tick(16 * 60_000);
    await s.ok('cases.get', { caseId: c.case.id }, specialist);
    expect((await s.ok<AuditList>('audit.list', { kind: 'case_opened' }, head)).total).toBe(2);
    s.ws.ctx.db.close();
  });

  it('is append-only: UPDATE and DELETE are refused, and a database without its triggers is not opened', () => {
    const dataDir = path.join(tmp.dir, 'audit', 'data');
    const file = path.join(dataDir, 'jardem.sqlite');
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE audit_trail SET actor_iin = 'x'").run()).toThrow(/audit_trail is append-only/);
    expect(() => raw.prepare('DELETE FROM audit_trail').run()).toThrow(/audit_trail is append-only/);
    raw.exec('DROP TRIGGER audit_trail_append_only_delete');
    raw.close();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(String((error as AppError).params?.objects)).toContain('trigger audit_trail_append_only_delete: missing');
  });
});
