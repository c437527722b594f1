/**
 * The Center channel on the server (regulation item 11.2; server/README.md "The Center channel").
 * A Center (e.g. CON-AUE) is an office of its own, but a case it takes lives in the partition of the district it is
 * addressed to (office_code = the district), so that the district's queries stay on one shard; the case carries
 * the Center's code (cases.center_code). A Center's device may push only for the districts it serves (offices.serves),
 * only for cases it took, only acts of the Center's role, signed by its own staff (the BIN check in apply.ts). Every
 * event of a Center case is also copied, in the server's order, into the Center's own feed (center_events,
 * partitioned by the Center's code), which is what the Center's devices pull.
 */
import type { WireEvent } from '../../../shared/contract/sync-protocol';
import { readPayload } from '../../../shared/events/payloads';
import type { Queryable } from '../store';
import { caseHolders, copyEventToCenterFeed, takeNumbers } from '../store/events-write';
import { officeRow } from '../store/staff';

export interface CenterOffice {
  code: string;
  serves: string[];
}

/** The Center a device belongs to, or null for a district's (or the city's) device. */
export async function centerOfDevice(q: Queryable, officeCode: string): Promise<CenterOffice | null> {
  return centerOfOffice(officeCode, await officeRow(q, officeCode));
}

/** The Center an office is, from its reference row, or null. */
export function centerOfOffice(officeCode: string, row: { kind: string; serves: string[] } | null): CenterOffice | null {
  return row?.kind === 'center' ? { code: officeCode, serves: row.serves } : null;
}

export type Placement = { ok: true; office: string } | { ok: false; params: Record<string, string | number> };

/**
 * The partition a Center device's event goes to: the district named at intake (one the Center serves, the case
 * naming this Center), or the district that holds the case this Center took. Only the Center's role.
 */
export async function placeCenterEvent(q: Queryable, center: CenterOffice, e: WireEvent): Promise<Placement> {
  if (e.actor.role !== 'center') return { ok: false, params: { role: e.actor.role } };
  if (e.type === 'center.intake_registered') {
    // Read through its schema: the push checked it (wireEventProblem) before placing it.
    const p = readPayload('center.intake_registered', e.payload);
    const district = p.officeCode ?? '';
    if (!center.serves.includes(district) || p.centerCode !== center.code) return { ok: false, params: { office: district } };
    return { ok: true, office: district };
  }
  const mine = (await caseHolders(q, center.serves, e.caseId)).find((r) => r.centerCode === center.code);
  // A case this Center did not take is not its to change (nor to learn about): refused as another office's.
  if (!mine) return { ok: false, params: {} };
  return { ok: true, office: mine.office };
}

/** The next number of the office's order (events and conflicts share it, so one cursor carries both). */
export async function nextSeq(tx: Queryable, office: string): Promise<number> {
  return takeNumbers(tx, office, 1);
}

/** Copies an applied event of a Center case into the Center's feed, numbered in the Center's own order. */
export async function copyToCenterFeed(tx: Queryable, centerCode: string, district: string, serverSeq: number): Promise<void> {
  await copyEventToCenterFeed(tx, centerCode, await nextSeq(tx, centerCode), district, serverSeq);
}

/** The partitions whose blobs a device reads and writes: a Center's are those of the districts it serves. */
export function blobOffices(center: CenterOffice | null, officeCode: string): string[] {
  return center ? center.serves : [officeCode];
}
