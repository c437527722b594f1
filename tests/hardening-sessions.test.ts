/**
 * Sign-in and sessions hardened: only the administrator moves the clock, a key file locked after wrong passwords,
 * the idle timeout and the cap on live sessions (real PKCS#12 files and signatures, each workstation on its own clock).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext, IDLE_MINUTES } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { lockMs } from '../electron/services/session';
import { errorMessage } from '../shared/i18n/messages';
import type { OfficeStatus } from '../shared/contract/types';
import { HEAD, SPECIALIST } from './helpers';
import { hardeningStations, ADMIN } from './hardening-helpers';

const { tmp, station } = hardeningStations('hardening-sessions');

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
    const ctx = createContext({ dataDir: path.join(tmp.dir, 'demo', 'data'), appVersion: 'test' });
    const dispatch = createDispatcher(ctx);
    expect((await dispatch({ method: 'demo.createOffice', input: {} })).ok).toBe(true);
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
