/**
 * Staff acts (shared/contract/staff-protocol.ts), the Node half: signing one, and the one check that the central
 * server (at push), a workstation (at pull) and an import from a file run before the register takes it.
 */
import { randomUUID } from 'node:crypto';
import { ROLES_OF_OFFICE, staffActContent, staffActSchema, rolesHeld, type StaffAct, type StaffEntry, type StaffOfficeKind, type StaffRefusal } from '../shared/contract/staff-protocol';
import { officeDate, officeDateOf } from '../shared/local-date';
import { UnsupportedAlgorithmError } from './pki/algorithms';
import { CmsFormatError, verifyDetached } from './pki/cms';
import { chainValidAt, isRevoked, validAt, type TrustStore } from './pki/trust';
import { sha256Hex, type ActSigner } from './events';

/** A staff act signed by the administrator whose key `sign` holds. */
export function signStaffAct(opts: { entry: StaffEntry; at: string; signer: { iin: string; certSha256: string }; sign: ActSigner; id?: string }): StaffAct {
  const unsigned = { id: opts.id ?? randomUUID(), entry: opts.entry, at: opts.at, signer: opts.signer };
  const content = Buffer.from(staffActContent(unsigned), 'utf8');
  return { ...unsigned, hash: sha256Hex(content), signature: opts.sign(content).toString('base64') };
}

/**
 * What the check needs to know of the act's office: its BIN, its named first administrator, its register now, and
 * the time of the latest act before this one in the office's order. The central server, which gives the order, also
 * passes the moment it receives the act.
 */
export interface StaffOffice {
  bin: string | null;
  kind: StaffOfficeKind;
  namedAdminIin: string | null;
  register: readonly Pick<StaffEntry, 'iin' | 'role' | 'from' | 'to'>[];
  latestAt: string | null;
  receivedAt?: Date;
}

/** How far ahead of the server's clock an act may be dated (a workstation's clock that runs fast). */
export const STAFF_ACT_AHEAD_MS = 60 * 60_000;

export type StaffCheck = { ok: true } | { ok: false; reason: StaffRefusal };

/**
 * Whether a staff act may be taken: well formed, its hash its content's, signed with a trusted, unrevoked key of a
 * person of the act's office (the certificate's IIN and BIN), who holds admin in that office's register at the act's
 * time; or, while the register is empty, the genesis: the office's named first administrator granting themselves
 * the role admin.
 */
export function checkStaffAct(raw: unknown, trust: TrustStore, office: StaffOffice): StaffCheck {
  const parsed = staffActSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'payload_invalid' };
  const act = parsed.data;
  const content = Buffer.from(staffActContent(act), 'utf8');
  if (sha256Hex(content) !== act.hash) return { ok: false, reason: 'hash_mismatch' };
  let sig;
  try {
    sig = verifyDetached(content, Buffer.from(act.signature, 'base64'));
  } catch (error) {
    if (error instanceof CmsFormatError || error instanceof UnsupportedAlgorithmError) return { ok: false, reason: 'signature_invalid' };
    throw error;
  }
  const cert = sig.signer;
  if (!cert || !sig.contentIntact || !sig.signatureValid) return { ok: false, reason: 'signature_invalid' };
  const at = sig.signingTime ?? new Date(act.at);
  if (!chainValidAt(cert, sig.carried, trust, at) || !validAt(cert, at)) return { ok: false, reason: 'signer_untrusted' };
  if (isRevoked(cert, trust)) return { ok: false, reason: 'signer_revoked' };
  if (cert.sha256 !== act.signer.certSha256 || cert.iin !== act.signer.iin) return { ok: false, reason: 'signer_mismatch' };
  if (!office.bin || cert.bin !== office.bin) return { ok: false, reason: 'other_office' };
  if (!ROLES_OF_OFFICE[office.kind].includes(act.entry.role)) return { ok: false, reason: 'role_not_of_office' };
  // The time is the signer's to choose: the office's order keeps it honest. An act dated before the latest one, or
  // ahead of the server's clock, could otherwise reach back past the end of the signer's own role.
  if (office.latestAt !== null && act.at < office.latestAt) return { ok: false, reason: 'dated_before_latest' };
  if (office.receivedAt && Date.parse(act.at) > office.receivedAt.getTime() + STAFF_ACT_AHEAD_MS) return { ok: false, reason: 'dated_ahead' };
  // A role ended from a day already past would take back acts made under it in good faith.
  if (act.entry.to !== null && act.entry.to < officeDateOf(act.at)) return { ok: false, reason: 'end_before_act' };
  if (office.register.length === 0) {
    const genesis = act.entry.role === 'admin' && act.entry.iin === act.signer.iin && act.signer.iin === office.namedAdminIin;
    return genesis ? { ok: true } : { ok: false, reason: 'genesis_not_named' };
  }
  const adminOn = (day: string) => rolesHeld(office.register, act.signer.iin, day).includes('admin');
  if (!adminOn(officeDateOf(act.at))) return { ok: false, reason: 'not_office_admin' };
  // At the server, the signer still holds admin when the act arrives: an ended administrator cannot send acts late.
  if (office.receivedAt && !adminOn(officeDate(office.receivedAt))) return { ok: false, reason: 'not_office_admin' };
  return { ok: true };
}

/**
 * The staff acts file: signed staff acts, one JSON a line, as an office hands them over outside a sync (the simulated
 * PKI's folder keeps the acts of the people it issued keys for). Every line is checked as a synced act is.
 */
export const STAFF_ACTS_FILE = 'staff-acts.jsonl';

/** The acts of a staff acts file's text; a line that is not JSON is skipped (the check refuses what is not an act). */
export function staffActsOfText(text: string): unknown[] {
  const acts: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      acts.push(JSON.parse(line));
    } catch {
      // A torn last line of a file being written: the next read takes it whole.
    }
  }
  return acts;
}
