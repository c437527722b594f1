import { mkdtempSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { demoOffices, initPki, readOffices } from '../node/pki/ca';
import { openKeyFile } from '../node/pki/keyfile';
import type { Signer } from '../node/pki/cms';
import { appendStaffAct } from '../node/pki/staff-file';
import type { Role } from '../shared/roles';
import { issueStaffKey, type IssueOptions } from '../node/pki/staff-keys';
import { createContext, type ServicesContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { setUpWorkstation } from '../electron/services/workstation';
import { withCheckDigit } from '../shared/domain/iin';

export function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `jardem-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const SPECIALIST = { iin: '900512400018', surname: 'Сейітқали', givenName: 'Әйгерім', patronymic: 'Нұрланқызы' };
export const HEAD = { iin: '780304300003', surname: 'Жұмабеков', givenName: 'Ерлан', patronymic: 'Серікұлы' };

/** The first day of the test registers' entries: before any date a test's clock or legacy case names. */
export const REGISTER_FROM = '2000-01-01';

/**
 * A real simulated PKI on disk, with a helper that issues real PKCS#12 files from it. Each office's first
 * administrator is named (a test IIN of their own); `issue` also has that administrator grant the person the role in
 * the office's staff register (the PKI folder's staff acts file, read by workstations set up from it and by the
 * server), unless `register: false`.
 */
export function makePki(dir: string) {
  // The demo offices and a second district (Бостандық) whose staff must not sign in at Әуезов.
  const offices = [...demoOffices().filter((o) => o.code !== 'BOS'), { code: 'BOS', kind: 'district' as const, nameKk: 'Бостандық ауданының бөлімі', nameRu: 'Отдел Бостандыкского района', bin: '130440005678' }];
  initPki(dir, offices.map((o, i) => ({ ...o, adminIin: nthIin('700101', 3, i) })));
  const admins = new Map<string, Signer>();
  const adminOf = (officeCode: string): Signer => {
    let admin = admins.get(officeCode);
    if (!admin) {
      const iin = readOffices(dir).find((o) => o.code === officeCode)!.adminIin!;
      const opened = openKeyFile(issueStaffKey({ dir, role: 'admin', officeCode, password: 'pw', iin, surname: 'Әкімші', givenName: officeCode }), 'pw');
      admin = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
      admins.set(officeCode, admin);
      appendStaffAct(dir, admin, { office: officeCode, iin, role: 'admin', name: `Әкімші ${officeCode}`, from: REGISTER_FROM, to: null });
    }
    return admin;
  };
  return {
    dir,
    issue: (opts: Partial<IssueOptions> & { register?: boolean; registerTo?: string } = {}) => {
      const { register = true, registerTo, ...rest } = opts;
      const o: IssueOptions = { dir, role: 'specialist', officeCode: 'AUE', password: 'pw', ...SPECIALIST, ...rest };
      const bytes = issueStaffKey(o);
      if (register) grant(o.officeCode, o.iin, o.role, `${o.surname} ${o.givenName}`, REGISTER_FROM, registerTo ?? null);
      return bytes.toString('base64');
    },
    /** The office's administrator grants (or, with `to`, ends) a role in its register. */
    grant: (officeCode: string, iin: string, role: Role, name: string, from = REGISTER_FROM, to: string | null = null) => grant(officeCode, iin, role, name, from, to),
    adminOf,
  };
  function grant(officeCode: string, iin: string, role: Role, name: string, from: string, to: string | null) {
    appendStaffAct(dir, adminOf(officeCode), { office: officeCode, iin, role, name, from, to });
  }
}

/** A workstation with its own SQLite file, trusting `pkiDir`, and the services' dispatcher over it. */
export function makeWorkstation(dataDir: string, pkiDir: string, now?: () => Date): { ctx: ServicesContext; dispatch: ReturnType<typeof createDispatcher> } {
  const ctx = createContext({ dataDir, appVersion: 'test', now });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  return { ctx, dispatch: createDispatcher(ctx) };
}

/**
 * The n-th valid IIN of a person born on `yymmdd` with century-and-sex digit `c` (3: a man of the 1900s): a family
 * has one open application at a time, so tests that open many cases give each applicant their own.
 */
export function nthIin(yymmdd: string, c: number, n: number): string {
  let found = -1;
  for (let serial = 0; serial < 10_000; serial++) {
    const iin = withCheckDigit(`${yymmdd}${c}${String(serial).padStart(4, '0')}`);
    if (iin && ++found === n) return iin;
  }
  throw new Error('no such IIN');
}

/** The same root with its key's algorithm OID replaced by GOST 34.310-2004's (1.2.398.3.10.1.1.1.1, same length). */
export function gostRoot(pem: string): string {
  const der = Buffer.from(new X509Certificate(pem).raw);
  Buffer.from('06092a830e030a01010101', 'hex').copy(der, der.indexOf(Buffer.from('06092a864886f70d010101', 'hex')));
  return new X509Certificate(der).toString();
}
