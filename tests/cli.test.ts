import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { officeDate } from '../shared/local-date';
import { tempDir } from './helpers';

/** The office's first administrator's key (issued by the first test). */
const ADMIN = () => path.join(tmp.dir, 'RSA256_admin.p12');
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
    // The office's first administrator, named at their issue, begins its staff register and grants the specialist.
    const genesis = jardem('pki', 'issue', '--dir', pki, '--role', 'admin', '--iin', '820202300009', '--surname', 'Төлегенов', '--given', 'Болат', '--office', 'AUE', '--password', 'pw', '--out', ADMIN());
    expect(JSON.parse(genesis.stdout)).toMatchObject({ register: 'genesis' });
    const key = path.join(tmp.dir, 'RSA256_spec.p12');
    const issued = jardem('pki', 'issue', '--dir', pki, '--role', 'specialist', '--iin', '900512400018', '--surname', 'Сейітқали', '--given', 'Әйгерім',
      '--patronymic', 'Нұрланқызы', '--office', 'AUE', '--password', 'pw', '--out', key, '--register-by', ADMIN(), '--register-password', 'pw');
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
    jardem('pki', 'issue', '--dir', pki, '--role', 'head', '--iin', '780304300003', '--surname', 'Жұмабеков', '--given', 'Ерлан', '--office', 'AUE', '--password', 'pw', '--out', key, '--register-by', ADMIN(), '--register-password', 'pw');
    const r = jardem('call', 'cases.registerApplicant', '--data-dir', path.join(tmp.dir, 'data'), '--key', key, '--password', 'pw', '--input', '{}', '--lang', 'ru');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('У вашей роли нет права на это действие');
  });

  it('jardem staff: the administrator grants a role and ends it; the person signs in only while it holds', () => {
    const pki = path.join(tmp.dir, 'pki');
    const data = path.join(tmp.dir, 'data');
    const key = path.join(tmp.dir, 'RSA256_new.p12');
    jardem('pki', 'issue', '--dir', pki, '--role', 'specialist', '--iin', '900512400028', '--surname', 'Қайратова', '--given', 'Жанар', '--office', 'AUE', '--password', 'pw', '--out', key);
    const search = () => jardem('call', 'reference.precincts', '--data-dir', data, '--key', key, '--password', 'pw', '--lang', 'ru');
    const before = search();
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/нет в реестре сотрудников/);
    const admin = ['--data-dir', data, '--key', ADMIN(), '--password', 'pw'];
    const added = jardem('staff', 'add', ...admin, '--iin', '900512400028', '--role', 'specialist', '--name', 'Қайратова Жанар', '--from', '2020-01-01');
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ office: 'AUE', iin: '900512400028', role: 'specialist', to: null });
    expect(search().status).toBe(0);
    const listed = JSON.parse(jardem('staff', 'list', ...admin).stdout) as { iin: string; role: string }[];
    expect(listed.map((e) => `${e.iin}:${e.role}`)).toEqual(expect.arrayContaining(['820202300009:admin', '900512400018:specialist', '900512400028:specialist']));
    expect(jardem('staff', 'end', ...admin, '--iin', '900512400028', '--role', 'specialist', '--to', officeDate(new Date())).status).toBe(0);
    expect(search().stderr).toMatch(/нет в реестре сотрудников/);
    // Only an administrator enters the register.
    const byHead = jardem('staff', 'add', '--data-dir', data, '--key', key, '--password', 'pw', '--iin', '900512400028', '--role', 'head', '--name', 'Қайратова Жанар', '--from', '2020-01-01');
    expect(byHead.status).toBe(1);
  });

  it('methods lists the contract with the roles allowed', () => {
    const r = jardem('methods');
    expect(r.stdout).toMatch(/cases\.registerApplicant\s+specialist,center/);
    expect(r.stdout).toMatch(/session\.signIn\s+public/);
  });
});
