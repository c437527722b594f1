import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const tmp = tempDir('cli');
afterAll(() => tmp.remove());
const jardem = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], { encoding: 'utf8' });

describe('jardem CLI', () => {
  it('iin prints the validation result as JSON and exits 0 when valid, 1 when not', () => {
    const good = jardem('iin', '850615300012');
    expect(good.status).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ valid: true, errors: [], warnings: [], birthDate: '1985-06-15', sex: 'male' });
    const bad = jardem('iin', '850615300015');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, errors: ['iin.checksum'] });
    const warned = jardem('iin', '850615300012', '--sex', 'female');
    expect(JSON.parse(warned.stdout).warnings).toEqual(['iin.sex_mismatch']);
  });

  it('pki init and pki issue make a key file OpenSSL verifies to the root; setup and call register a case with it', () => {
    const pki = path.join(tmp.dir, 'pki');
    expect(jardem('pki', 'init', '--dir', pki).status).toBe(0);
    const key = path.join(tmp.dir, 'RSA256_spec.p12');
    const issued = jardem('pki', 'issue', '--dir', pki, '--role', 'specialist', '--iin', '900512400018', '--surname', 'Сейітқали', '--given', 'Әйгерім',
      '--patronymic', 'Нұрланқызы', '--office', 'AUE', '--password', 'pw', '--out', key);
    expect(issued.stderr).toBe('');
    expect(issued.status).toBe(0);
    const pem = execFileSync('openssl', ['pkcs12', '-in', key, '-passin', 'pass:pw', '-nokeys', '-clcerts'], { encoding: 'utf8' });
    const verified = execFileSync('openssl', ['verify', '-CAfile', path.join(pki, 'root.crt.pem'), '-untrusted', path.join(pki, 'issuing.crt.pem')], { input: pem, encoding: 'utf8' });
    expect(verified.trim()).toBe('stdin: OK');

    const data = path.join(tmp.dir, 'data');
    expect(jardem('setup', '--data-dir', data, '--pki', pki, '--office', 'AUE', '--workstation', 'W7').status).toBe(0);
    const input = JSON.stringify({ iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' });
    const registered = jardem('call', 'cases.registerApplicant', '--data-dir', data, '--key', key, '--password', 'pw', '--input', input);
    expect(registered.status).toBe(0);
    expect(JSON.parse(registered.stdout).case.caseNumber).toMatch(/^AUE-W7-\d{4}-000001$/);

    const wrong = jardem('call', 'cases.search', '--data-dir', data, '--key', key, '--password', 'nope', '--lang', 'kk');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim()).toBe('Кілттің құпиясөзі қате');
  });

  it('a head key issued by the CLI cannot register: the services check the role', () => {
    const pki = path.join(tmp.dir, 'pki');
    const key = path.join(tmp.dir, 'RSA256_head.p12');
    jardem('pki', 'issue', '--dir', pki, '--role', 'head', '--iin', '780304300003', '--surname', 'Жұмабеков', '--given', 'Ерлан', '--office', 'AUE', '--password', 'pw', '--out', key);
    const r = jardem('call', 'cases.registerApplicant', '--data-dir', path.join(tmp.dir, 'data'), '--key', key, '--password', 'pw', '--input', '{}', '--lang', 'ru');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('У вашей роли нет права на это действие');
  });

  it('methods lists the contract with the roles allowed', () => {
    const r = jardem('methods');
    expect(r.stdout).toMatch(/cases\.registerApplicant\s+specialist,center/);
    expect(r.stdout).toMatch(/session\.signIn\s+public/);
  });
});
