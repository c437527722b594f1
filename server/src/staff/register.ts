/**
 * The offices' staff registers on the server: an act is taken only through the one check (node/staff-acts.ts)
 * against its office's register under the office's lock. Acts come pushed by workstations, or from the staff acts
 * file of the PKI folder the server trusts (read again when it changes, as the CRL is): checked the same either way.
 */
import type { StaffAct, StaffOfficeKind, StaffRefusal } from '../../../shared/contract/staff-protocol';
import { checkStaffAct, staffActsOfText } from '../../../node/staff-acts';
import type { Store } from '../store';
import { appendStaffAct, officeRow, type AppendOutcome } from '../store/staff';
import type { ServerTrust } from '../trust';

/** Checks and appends one act; `from` names who brought it (a device, or the PKI folder). */
export async function takeStaffAct(store: Store, trust: ServerTrust, act: StaffAct, from: string): Promise<AppendOutcome<StaffRefusal>> {
  const office = await officeRow(store, act.entry.office);
  if (!office) return { status: 'refused', reason: 'other_office' };
  // The first administrator the city department named for the office (its list of offices).
  const namedAdminIin = trust.offices().find((o) => o.code === office.code)?.adminIin ?? null;
  const receivedAt = new Date();
  return appendStaffAct(store, act, from, (register, latestAt) => checkStaffAct(act, trust.store(), { bin: office.bin, kind: office.kind as StaffOfficeKind, namedAdminIin, register, latestAt, receivedAt }));
}

const fileStamps = new WeakMap<Store, string>();

/** Takes the PKI folder's staff acts file's acts when it changed since this instance last read it. */
export async function takeStaffFile(store: Store, trust: ServerTrust): Promise<void> {
  const text = trust.staffActsText?.() ?? '';
  if (!text || fileStamps.get(store) === `${text.length}/${text.slice(-200)}`) return;
  for (const raw of staffActsOfText(text)) {
    const act = raw as StaffAct;
    if (typeof act?.entry?.office !== 'string') continue;
    const r = await takeStaffAct(store, trust, act, 'pki');
    if (r.status === 'refused') console.error(`[server] a staff act of the PKI folder is refused (${r.reason}): ${String(act.id)}`);
  }
  fileStamps.set(store, `${text.length}/${text.slice(-200)}`);
}
