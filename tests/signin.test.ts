import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAD, makePki, makeWorkstation, SPECIALIST, tempDir } from './helpers';

const tmp = tempDir('signin');
let pki: ReturnType<typeof makePki>;
let otherPki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  otherPki = makePki(path.join(tmp.dir, 'other-pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

const signIn = (p12Base64: string, password = 'pw') => ws.dispatch({ method: 'session.signIn', input: { p12Base64, password } });

describe('sign-in with a PKCS#12 key file', () => {
  it('verifies a good signing key and returns the person from the certificate', async () => {
    const r = await signIn(pki.issue({ patronymic: SPECIALIST.patronymic }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as { token: string; identity: Record<string, unknown> };
    expect(v.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(v.identity).toMatchObject({
      surname: 'Сейітқали',
      givenName: 'Әйгерім',
      patronymic: 'Нұрланқызы',
      iin: SPECIALIST.iin,
      role: 'specialist',
      office: 'Алматы қаласы Әуезов ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі',
    });
    expect(v.identity.officeBin).toMatch(/^\d{12}$/);
  });

  it('gives the head role to a head key', async () => {
    const r = await signIn(pki.issue({ role: 'head', ...HEAD }));
    expect(r.ok && (r.value as { identity: { role: string } }).identity.role).toBe('head');
  });

  it.each([
    ['a wrong password', () => signIn(pki.issue(), 'wrong'), 'signin.wrong_password', undefined],
    ['a key from another CA', () => signIn(otherPki.issue()), 'signin.unknown_ca', undefined],
    [
      'an expired certificate',
      () => signIn(pki.issue({ notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-31T00:00:00Z') })),
      'signin.expired',
      { date: '2025-01-31' },
    ],
    [
      'a certificate not yet valid',
      () => signIn(pki.issue({ notBefore: new Date('2099-01-01T00:00:00Z'), notAfter: new Date('2100-01-01T00:00:00Z') })),
      'signin.not_yet_valid',
      { date: '2099-01-01' },
    ],
    ['an authentication-only key', () => signIn(pki.issue({ usage: 'auth' })), 'signin.auth_only_key', undefined],
    ['a file that is not PKCS#12', () => signIn(Buffer.from('%PDF-1.7\nnot a key').toString('base64')), 'signin.not_pkcs12', undefined],
    ['an empty password field on a protected key', () => signIn(pki.issue(), ''), 'signin.wrong_password', undefined],
  ])('refuses %s with its own error code', async (_name, attempt, code, params) => {
    const sessionsBefore = ws.ctx.sessions.size;
    const filesBefore = readdirSync(ws.ctx.dataDir).sort();
    const r = await attempt();
    expect(r).toEqual({ ok: false, error: params ? { code, params } : { code } });
    // Nothing is stored: no session, no file.
    expect(ws.ctx.sessions.size).toBe(sessionsBefore);
    expect(readdirSync(ws.ctx.dataDir).sort()).toEqual(filesBefore);
  });

  it('refuses a key of another office under the same CA', async () => {
    expect(await signIn(pki.issue({ officeCode: 'BOS' }))).toEqual({ ok: false, error: { code: 'signin.other_office', params: { office: 'Бостандық ауданының бөлімі' } } });
  });

  it('accepts a key of the Center that serves this office', async () => {
    const r = await signIn(pki.issue({ role: 'center', officeCode: 'CON-AUE' }));
    expect(r.ok && (r.value as { identity: { role: string } }).identity.role).toBe('center');
  });

  it('ends a session after 12 hours, and refuses its token afterwards', async () => {
    let now = Date.now();
    const clocked = makeWorkstation(path.join(tmp.dir, 'clocked'), pki.dir, () => new Date(now));
    // Hours pass between the calls here: the idle lock is another test's.
    clocked.ctx.limits.idleMinutes = 0;
    const r = (await clocked.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    const current = () => clocked.dispatch({ method: 'session.current', input: {}, session: r.value.token });
    expect((await current()).ok).toBe(true);
    now += 11 * 3600_000;
    expect((await current()).ok).toBe(true);
    now += 2 * 3600_000;
    expect(await current()).toEqual({ ok: false, error: { code: 'unauthenticated' } });
    expect(clocked.ctx.sessions.size).toBe(0);
    clocked.ctx.db.close();
  });

  it('refuses to create the demo office on a workstation set up for real work', async () => {
    expect(await ws.dispatch({ method: 'demo.createOffice', input: {} })).toEqual({ ok: false, error: { code: 'demo.workstation_configured' } });
  });

  it('refuses a DER file that is a certificate, not a key container', async () => {
    const der = execFileSync('openssl', ['x509', '-in', path.join(pki.dir, 'root.crt.pem'), '-outform', 'DER']);
    expect((await signIn(der.toString('base64'))).ok).toBe(false);
    expect(await signIn(der.toString('base64'))).toEqual({ ok: false, error: { code: 'signin.not_pkcs12' } });
  });

  it('adds a second CA to the trust store without dropping the first', async () => {
    const { setUpWorkstation } = await import('../electron/services/workstation');
    setUpWorkstation(ws.ctx, { pkiDir: otherPki.dir, officeCode: 'AUE', workstationCode: 'W1' });
    expect((await signIn(otherPki.issue())).ok).toBe(true);
    expect((await signIn(pki.issue())).ok).toBe(true);
  });

  it('writes key files that OpenSSL opens, with AES-256 and the Kazakh subject fields', () => {
    const file = path.join(tmp.dir, 'RSA256_test.p12');
    writeFileSync(file, Buffer.from(pki.issue({ patronymic: SPECIALIST.patronymic }), 'base64'));
    // openssl prints the -info report on stderr.
    const info = spawnSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:pw', '-info', '-noout'], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    const pem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:pw', '-nokeys', '-clcerts'], { encoding: 'utf8' });
    const text = execFileSync('openssl', ['x509', '-noout', '-subject', '-ext', 'keyUsage,extendedKeyUsage', '-nameopt', 'utf8,sep_multiline'], { input: pem, encoding: 'utf8' });
    expect(text).toContain('CN=Сейітқали Әйгерім');
    expect(text).toContain('SN=Сейітқали');
    expect(text).toContain(`serialNumber=IIN${SPECIALIST.iin}`);
    expect(text).toContain('GN=Нұрланқызы');
    expect(text).toContain('C=KZ');
    expect(text).toMatch(/OU=BIN\d{12}/);
    expect(text).toContain('Digital Signature, Non Repudiation');
    expect(text).toContain('1.2.398.3.3.4.1.2.5');
    const verify = execFileSync('openssl', ['verify', '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-untrusted', path.join(pki.dir, 'issuing.crt.pem')], { input: pem, encoding: 'utf8' });
    expect(verify.trim()).toBe('stdin: OK');
  });
});
