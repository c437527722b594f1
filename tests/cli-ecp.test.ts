import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, tempDir } from './helpers';

const tmp = tempDir('cli-ecp');
let pki: ReturnType<typeof makePki>;
let other: ReturnType<typeof makePki>;
const jardem = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], { encoding: 'utf8' });
const key = (p: ReturnType<typeof makePki>, name: string, opts = {}) => {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, Buffer.from(p.issue({ patronymic: 'Нұрланқызы', ...opts }), 'base64'));
  return file;
};

beforeAll(() => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  other = makePki(path.join(tmp.dir, 'other'));
});
afterAll(() => tmp.remove());

describe('jardem pki issue --out-dir', () => {
  it('writes the two key files a person is issued, with their key usages', () => {
    const out = path.join(tmp.dir, 'issued');
    const r = jardem('pki', 'issue', '--dir', pki.dir, '--role', 'head', '--iin', '780304300003', '--surname', 'Жұмабеков', '--given', 'Ерлан', '--office', 'AUE', '--password', 'pw', '--out-dir', out);
    expect(r.status).toBe(0);
    const usage = (file: string) => {
      const pem = spawnSync('openssl', ['pkcs12', '-in', path.join(out, file), '-passin', 'pass:pw', '-nokeys', '-clcerts'], { encoding: 'utf8' }).stdout;
      return spawnSync('openssl', ['x509', '-noout', '-ext', 'keyUsage'], { input: pem, encoding: 'utf8' }).stdout;
    };
    expect(usage('RSA256_780304300003.p12')).toContain('Digital Signature, Non Repudiation');
    expect(usage('AUTH_RSA256_780304300003.p12')).toContain('Digital Signature, Key Encipherment');
  });
});

describe('jardem sign and jardem verify', () => {
  it('signs a file into FILE.p7s that openssl and jardem verify, naming the signer', () => {
    const doc = path.join(tmp.dir, 'scan-1.png');
    writeFileSync(doc, Buffer.from('page one of the birth certificate'));
    const signed = jardem('sign', '--key', key(pki, 'RSA256_a.p12'), '--password', 'pw', doc);
    expect(signed.status).toBe(0);
    const openssl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', doc, '-in', `${doc}.p7s`, '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(openssl.stderr).toContain('Verification successful');
    const verified = jardem('verify', doc, '--ca', path.join(pki.dir, 'root.crt.pem'));
    expect(verified.status).toBe(0);
    const verdict = JSON.parse(verified.stdout);
    expect(verdict).toMatchObject({ valid: true, errors: [], signer: { iin: '900512400018', name: 'Сейітқали Әйгерім', role: 'specialist' } });
    expect(Date.parse(verdict.signingTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('says which check failed: a changed byte, another CA; exit 1', () => {
    const doc = path.join(tmp.dir, 'scan-2.png');
    writeFileSync(doc, Buffer.from('page two'));
    jardem('sign', '--key', key(pki, 'RSA256_b.p12'), '--password', 'pw', doc);
    writeFileSync(doc, Buffer.from('page twO'));
    const changed = jardem('verify', doc, `${doc}.p7s`, '--ca', path.join(pki.dir, 'root.crt.pem'));
    expect(changed.status).toBe(1);
    expect(JSON.parse(changed.stdout)).toMatchObject({ valid: false, errors: ['content_changed'] });
    writeFileSync(doc, Buffer.from('page two'));
    const foreign = jardem('verify', doc, '--ca', path.join(other.dir, 'root.crt.pem'));
    expect(foreign.status).toBe(1);
    expect(JSON.parse(foreign.stdout).errors).toEqual(['unknown_ca']);
  });

  it('exits 2 on unusable input, and refuses to sign with an authentication key or a wrong password', () => {
    const doc = path.join(tmp.dir, 'scan-3.png');
    writeFileSync(doc, 'x');
    writeFileSync(`${doc}.p7s`, 'not a signature');
    const r = jardem('verify', doc, '--ca', path.join(pki.dir, 'root.crt.pem'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a CMS signature');
    expect(jardem('verify', path.join(tmp.dir, 'missing.png'), '--ca', path.join(pki.dir, 'root.crt.pem')).status).toBe(2);
    const auth = jardem('sign', '--key', key(pki, 'AUTH_RSA256_c.p12', { usage: 'auth' }), '--password', 'pw', doc, '--lang', 'kk');
    expect(auth.status).toBe(1);
    expect(auth.stderr.trim()).toBe('Бұл тек аутентификацияға арналған кілт (AUTH_RSA256). Жұмыс үшін қол қою кілтін (RSA256_…) таңдаңыз');
    const wrong = jardem('sign', '--key', key(pki, 'RSA256_d.p12'), '--password', 'nope', doc);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim()).toBe('Неверный пароль ключа');
    expect(readFileSync(`${doc}.p7s`, 'utf8')).toBe('not a signature');
  });
});

describe('jardem pki device', () => {
  it('issues a workstation certificate for TLS client authentication that openssl verifies against the root', () => {
    const out = path.join(tmp.dir, 'device');
    const r = jardem('pki', 'device', '--dir', pki.dir, '--office', 'AUE', '--workstation', 'W7', '--out-dir', out);
    expect(r.status).toBe(0);
    const crt = path.join(out, 'device.crt.pem');
    const v = spawnSync('openssl', ['verify', '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-untrusted', crt, '-purpose', 'sslclient', crt], { encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(`${crt}: OK`);
    const text = spawnSync('openssl', ['x509', '-in', crt, '-noout', '-subject', '-ext', 'extendedKeyUsage', '-nameopt', 'utf8,sep_comma_plus'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('serialNumber=WSAUE-W7');
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toContain('1.3.6.1.4.1.32473.7701.100');
    // The key matches the certificate.
    const modulus = (args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' }).stdout.trim();
    expect(modulus(['rsa', '-in', path.join(out, 'device.key.pem'), '-noout', '-modulus'])).toBe(modulus(['x509', '-in', crt, '-noout', '-modulus']));
  });
});

describe('bad key files and signatures', () => {
  it('names a non-RSA key, and a truncated key file or signature, without writing anything', () => {
    const ecDir = path.join(tmp.dir, 'ec');
    spawnSync('mkdir', ['-p', ecDir]);
    const run = (args: string[]) => expect(spawnSync('openssl', args, { cwd: ecDir }).status).toBe(0);
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', 'ec.key', '-out', 'ec.crt', '-days', '30', '-nodes', '-subj', '/CN=ec']);
    run(['pkcs12', '-export', '-inkey', 'ec.key', '-in', 'ec.crt', '-out', 'ec.p12', '-passout', 'pass:pw']);
    const doc = path.join(tmp.dir, 'scan-ec.png');
    writeFileSync(doc, 'page');
    const ec = jardem('sign', '--key', path.join(ecDir, 'ec.p12'), '--password', 'pw', doc);
    expect(ec.status).toBe(1);
    expect(ec.stderr.trim()).toBe('Ключ в файле — EC, а не RSA. Выберите файл RSA256_… (ключ ЭЦП RSA)');

    const good = readFileSync(key(pki, 'RSA256_trunc.p12'));
    const truncated = path.join(tmp.dir, 'RSA256_truncated.p12');
    writeFileSync(truncated, good.subarray(0, Math.floor(good.length / 2)));
    const t = jardem('sign', '--key', truncated, '--password', 'pw', doc);
    expect(t.status).toBe(1);
    expect(t.stderr.trim()).toBe('Это не файл ключа PKCS#12 (.p12). Выберите файл ключа ЭЦП');
    expect(existsSync(`${doc}.p7s`)).toBe(false);

    expect(jardem('sign', '--key', key(pki, 'RSA256_ok.p12'), '--password', 'pw', doc).status).toBe(0);
    const p7s = readFileSync(`${doc}.p7s`);
    writeFileSync(`${doc}.p7s`, p7s.subarray(0, p7s.length - 40));
    const v = jardem('verify', doc, '--ca', path.join(pki.dir, 'root.crt.pem'));
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('is not a CMS signature');
  });
});
