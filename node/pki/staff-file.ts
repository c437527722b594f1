/**
 * The simulated PKI's side of the staff register: the city department names each office's first administrator in
 * offices.json (their IIN, when it enrols the office), and an administrator's signed staff acts for the people the
 * PKI issues keys to are kept in the folder's staff acts file, which workstations set up from the folder and the
 * server read and check like any synced act (node/staff-acts.ts).
 */
import { X509Certificate } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StaffEntry } from '../../shared/contract/staff-protocol';
import { signDetached, type Signer } from './cms';
import { certificateInfo } from './certificate-info';
import { PKI_FILES, readOffices } from './ca';
import { signStaffAct, STAFF_ACTS_FILE } from '../staff-acts';

/** Names the office's first administrator unless one is named already; returns the one named. */
export function nameOfficeAdmin(dir: string, officeCode: string, iin: string): string {
  const offices = readOffices(dir);
  const office = offices.find((o) => o.code === officeCode);
  if (!office) throw new Error(`unknown office code ${officeCode} (see ${PKI_FILES.offices})`);
  if (office.adminIin) return office.adminIin;
  office.adminIin = iin;
  writeFileSync(path.join(dir, PKI_FILES.offices), JSON.stringify(offices, null, 2), { mode: 0o600 });
  return iin;
}

/** Appends the administrator's signed act for `entry` to the folder's staff acts file. */
export function appendStaffAct(dir: string, admin: Signer, entry: StaffEntry, at = new Date()): void {
  const cert = certificateInfo(Buffer.from(new X509Certificate(admin.chainPem[0]!).raw));
  const act = signStaffAct({ entry, at: at.toISOString(), signer: { iin: cert.iin, certSha256: cert.sha256 }, sign: (content) => signDetached(content, admin, at) });
  appendFileSync(path.join(dir, STAFF_ACTS_FILE), `${JSON.stringify(act)}\n`, { mode: 0o600 });
}

/** The acts of the folder's staff acts file, as text (empty when there is none). */
export function staffActsText(dir: string): string {
  try {
    return readFileSync(path.join(dir, STAFF_ACTS_FILE), 'utf8');
  } catch {
    return '';
  }
}
