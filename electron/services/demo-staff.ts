/**
 * The demo office's staff registers: each office's first administrator is named in the demo PKI's offices list and
 * begins its register (the genesis), then grants the demo people of the office their roles from the day their keys
 * are valid. The Center has no demo administrator among the people one signs in as: its administrator's key is kept
 * in the demo PKI folder only, for these entries. The acts go to the PKI folder's staff acts file, which the
 * workstation reads (and pushes) like any synced act.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { officeDate } from '../../shared/local-date';
import type { Role } from '../../shared/roles';
import { openKeyFile } from '../../node/pki/keyfile';
import { issueStaffKey, keyFileName } from '../../node/pki/staff-keys';
import { appendStaffAct, nameOfficeAdmin } from '../../node/pki/staff-file';
import type { Signer } from '../../node/pki/cms';

export interface DemoStaffPerson {
  role: Role;
  iin: string;
  name: string;
  officeCode: string;
  key: Buffer;
  password: string;
}

/** The demo Center's administrator (kept in the PKI folder, not among the demo keys one signs in with). */
const CENTER_ADMIN = { iin: '810101300008', surname: 'Сәрсенбаев', givenName: 'Нұрлан', password: 'demo-center-admin' };

export function registerDemoStaff(pkiDir: string, people: readonly DemoStaffPerson[], validFrom?: Date): void {
  const from = officeDate(validFrom ?? new Date());
  const admins = new Map<string, Signer>();
  const begin = (officeCode: string, iin: string, name: string, key: Buffer, password: string) => {
    const opened = openKeyFile(key, password);
    const signer = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
    nameOfficeAdmin(pkiDir, officeCode, iin);
    appendStaffAct(pkiDir, signer, { office: officeCode, iin, role: 'admin', name, from, to: null });
    admins.set(officeCode, signer);
  };
  for (const p of people.filter((x) => x.role === 'admin')) begin(p.officeCode, p.iin, p.name, p.key, p.password);
  for (const p of people) {
    if (!admins.has(p.officeCode)) {
      const key = issueStaffKey({ dir: pkiDir, role: 'admin', officeCode: p.officeCode, ...CENTER_ADMIN, notBefore: validFrom });
      writeFileSync(path.join(pkiDir, keyFileName('sign', `admin_${p.officeCode}`)), key, { mode: 0o600 });
      begin(p.officeCode, CENTER_ADMIN.iin, `${CENTER_ADMIN.surname} ${CENTER_ADMIN.givenName}`, key, CENTER_ADMIN.password);
    }
    if (p.role !== 'admin') appendStaffAct(pkiDir, admins.get(p.officeCode)!, { office: p.officeCode, iin: p.iin, role: p.role, name: p.name, from, to: null });
  }
}
