/**
 * The staff register on the workstation (shared/contract/staff-protocol.ts): which role a person holds, decided by
 * signed acts of the office's administrator, never by the certificate. This workstation holds the registers of its
 * office, of the Centers that serve it and of the city department (their people sign in here). An act is taken from
 * this workstation's administrator, from the server's feed or from a staff acts file, always through the same check
 * (node/staff-acts.ts) and in one transaction with the register's rows.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { officeDate, officeDateOf } from '../../shared/local-date';
import { isRole, type Role } from '../../shared/roles';
import { rolesHeld, type StaffAct, type StaffEntry, type StaffOfficeKind, type StaffRefusal } from '../../shared/contract/staff-protocol';
import { latestStaffActAt, markStaffAct, officeRegister, personEntries, personEntriesOnce, recordStaffAct, staffActKnown, writeStaffEntry, type RegisterEntries, type StaffRegisterRow } from '../../db/repositories/staff';
import { readSetting, readWorkstation, writeSetting, writeWorkstation } from '../../db/repositories/settings';
import { PKI_FILES } from '../../node/pki/ca';
import { checkStaffAct, signStaffAct, staffActsOfText } from '../../node/staff-acts';
import type { ServicesContext } from './context';
import type { ActSigner } from '../../node/events';
import type { Identity } from '../../shared/contract/types';

/** An office whose register this workstation holds: its BIN and its named first administrator. */
export interface StaffOfficeInfo {
  code: string;
  bin: string;
  adminIin: string | null;
}

const FILE_KEY = 'staffActsFile';

export function staffOffices(ctx: Pick<ServicesContext, 'db'>): StaffOfficeInfo[] {
  return readWorkstation(ctx.db)?.staffOffices ?? [];
}

function officeInfo(ctx: Pick<ServicesContext, 'db'>, code: string): StaffOfficeInfo | null {
  return staffOffices(ctx).find((o) => o.code === code) ?? null;
}

/** The kind of an office whose register this workstation holds, from its set-up: its own, its Centers, the city. */
function officeKind(ctx: Pick<ServicesContext, 'db'>, code: string): StaffOfficeKind {
  const config = readWorkstation(ctx.db);
  if (config?.city?.code === code) return 'city';
  if (config?.centers?.some((c) => c.code === code)) return 'center';
  if (config?.officeCode === code && config.serves) return 'center';
  return 'district';
}

export type TakeOutcome = { status: 'applied' | 'known' } | { status: 'refused'; reason: StaffRefusal };

/**
 * Takes one act: checked against its office's register as it stands, recorded with what became of it, and written
 * to the register when it holds. `state` is what an accepted act becomes (pending: still to be pushed). Call inside
 * a transaction when several are taken together.
 */
export function takeStaffAct(ctx: ServicesContext, raw: unknown, origin: 'here' | 'server' | 'file', state: 'pending' | 'applied', seq?: number): TakeOutcome {
  const act = raw as StaffAct;
  const id = typeof act?.id === 'string' ? act.id : '';
  const known = id ? staffActKnown(ctx.db, id) : null;
  // An act refused before is checked again: the act it stands on (a genesis, a named administrator) may have come since.
  if (known && known.state !== 'refused') return { status: 'known' };
  const code = typeof act?.entry?.office === 'string' ? act.entry.office : '';
  const office = officeInfo(ctx, code);
  // An act of an office whose register this workstation does not hold (a staff acts file holds every office's).
  if (!office) return { status: 'refused', reason: 'other_office' };
  const latestAt = latestStaffActAt(ctx.db, code, origin === 'server' ? seq : undefined);
  const checked = checkStaffAct(raw, ctx.trust(), { bin: office.bin, kind: officeKind(ctx, code), namedAdminIin: office.adminIin, register: officeRegister(ctx.db, code), latestAt });
  const recordedAt = new Date().toISOString();
  if (!checked.ok) {
    if (known) return { status: 'known' };
    if (id) recordStaffAct(ctx.db, { id, office_code: code.slice(0, 16) || '-', act: JSON.stringify(raw).slice(0, 100_000), state: 'refused', seq: seq ?? null, reason: checked.reason, origin, recorded_at: recordedAt });
    return { status: 'refused', reason: checked.reason };
  }
  if (known) markStaffAct(ctx.db, id, state, { seq });
  else recordStaffAct(ctx.db, { id, office_code: code, act: JSON.stringify(act), state, seq: seq ?? null, origin, recorded_at: recordedAt });
  writeStaffEntry(ctx.db, act.entry, { id: act.id, at: act.at });
  return { status: 'applied' };
}

/**
 * Reads the staff acts file the workstation was set up with (the PKI folder's), when it changed since the last
 * read: its new acts are taken and kept pending, so that the next sync carries them to the server too.
 */
export function importStaffFile(ctx: ServicesContext, file?: string): { applied: number; refused: number } {
  const configured = readSetting<{ path: string; stamp?: string }>(ctx.db, FILE_KEY);
  const target = file ?? configured?.path;
  const counts = { applied: 0, refused: 0 };
  if (!target || !existsSync(target)) return counts;
  const st = statSync(target);
  const stamp = `${st.size}/${st.mtimeMs}`;
  if (!file && configured?.stamp === stamp) return counts;
  const acts = staffActsOfText(readFileSync(target, 'utf8'));
  ctx.db.transaction(() => {
    if (!file) learnNamedAdmins(ctx, path.join(path.dirname(target), PKI_FILES.offices));
    // In the file's order: an office's genesis comes before the acts its administrator signed.
    for (const act of acts) {
      const r = takeStaffAct(ctx, act, 'file', 'pending');
      if (r.status === 'applied') counts.applied++;
      else if (r.status === 'refused') counts.refused++;
    }
    if (!file && configured) writeSetting(ctx.db, FILE_KEY, { ...configured, stamp });
  })();
  return counts;
}

/**
 * The city department's list of offices beside the staff acts file names an office's first administrator after this
 * workstation was set up (a new office's, the city's): an office with none named here takes the one named there.
 */
function learnNamedAdmins(ctx: Pick<ServicesContext, 'db'>, officesFile: string): void {
  const config = readWorkstation(ctx.db);
  if (!config?.staffOffices?.some((o) => o.adminIin === null) || !existsSync(officesFile)) return;
  let named: { code: string; adminIin?: string }[];
  try {
    named = JSON.parse(readFileSync(officesFile, 'utf8')) as { code: string; adminIin?: string }[];
  } catch {
    return;
  }
  const staffOffices = config.staffOffices.map((o) => (o.adminIin === null ? { ...o, adminIin: named.find((n) => n.code === o.code)?.adminIin ?? null } : o));
  writeWorkstation(ctx.db, { ...config, staffOffices });
}

/** The workstation reads this staff acts file at every sign-in and sync round (set up from the PKI folder). */
export function useStaffFile(ctx: Pick<ServicesContext, 'db'>, path: string): void {
  writeSetting(ctx.db, FILE_KEY, { path });
}

/** The roles the register gives a person of the office with this BIN on the day of `at`. */
export function registerRoles(ctx: Pick<ServicesContext, 'db'>, iin: string, officeBin: string, at: Date): Role[] {
  const office = staffOffices(ctx).find((o) => o.bin === officeBin);
  if (!office) return [];
  return rolesHeld(personEntries(ctx.db, iin, office.code), iin, officeDate(at));
}

/** The signer's roles as their office's register has them at a time (a signature's verdict on this workstation). */
export function registerRolesOf(ctx: Pick<ServicesContext, 'db'>): (signer: { iin: string; bin: string }, at: Date) => Role[] | null {
  // The rule the commit path applied (db/commit.ts actorHoldsRole): the person's entries in the registers held here.
  // A signer with no entry at all signed before this workstation had a register (the commit path and the pull let no
  // one else in): their act is judged as it was made, by the certificate's role mark.
  // One check of a case asks about the same few signers for each of its acts and pages: each read once.
  const known: RegisterEntries = new Map();
  return (signer, at) => {
    const entries = personEntriesOnce(ctx.db, signer.iin, known);
    return entries.length === 0 ? null : rolesHeld(entries, signer.iin, officeDateOf(at.toISOString()));
  };
}

/** Whether a person holds admin in the city department's register on a day: who may sign reference acts. */
export function cityAdminOn(ctx: Pick<ServicesContext, 'db'>, cityBin: string | null): (iin: string, day: string) => boolean {
  const city = cityBin ? staffOffices(ctx).find((o) => o.bin === cityBin) : undefined;
  return (iin, day) => city !== undefined && rolesHeld(personEntries(ctx.db, iin, city.code), iin, day).includes('admin');
}

/** The named first administrator of an office whose register is still empty (they may write its genesis). */
export function awaitsGenesisBy(ctx: Pick<ServicesContext, 'db'>, iin: string, officeBin: string): StaffOfficeInfo | null {
  const office = staffOffices(ctx).find((o) => o.bin === officeBin);
  if (!office || office.adminIin !== iin) return null;
  return officeRegister(ctx.db, office.code).length === 0 ? office : null;
}

export interface StaffInput {
  iin: string;
  role: string;
  name: string;
  from: string;
  to?: string | null;
}

/**
 * The administrator's act on their office's register: a role granted (with its first day, and an end day when
 * known) or ended (the same entry with its end day). Signed with `sign` (their key), checked as everyone will check
 * it, taken here and kept for the next push. The office's named first administrator may begin an empty register.
 */
export function signAndTake(ctx: ServicesContext, identity: Identity, input: StaffInput, sign: ActSigner): StaffAct {
  const office = staffOffices(ctx).find((o) => o.bin === identity.officeBin);
  if (!office) throw new AppError('staff.unknown_office');
  if (!isRole(input.role)) throw new AppError('validation', undefined, { role: 'field.invalid' });
  const genesis = officeRegister(ctx.db, office.code).length === 0 && office.adminIin === identity.iin;
  if (!genesis && !identity.roles.includes('admin')) throw new AppError('staff.not_office_admin');
  const entry: StaffEntry = { office: office.code, iin: input.iin, role: input.role, name: input.name, from: input.from, to: input.to ?? null };
  const act = signStaffAct({ entry, at: ctx.now().toISOString(), signer: { iin: identity.iin, certSha256: identity.certificateSha256 }, sign });
  const taken = ctx.db.transaction(() => takeStaffAct(ctx, act, 'here', 'pending'))();
  if (taken.status === 'refused') throw new AppError('staff.refused', { reason: `staff.refused.${taken.reason}` });
  return act;
}

/** The entry standing for a person's role on day `to` (its first day before it, not ended by then). */
export function openEntry(ctx: Pick<ServicesContext, 'db'>, officeBin: string, input: { iin: string; role: string; to: string }): StaffRegisterRow {
  const office = staffOffices(ctx).find((o) => o.bin === officeBin);
  if (!office) throw new AppError('staff.unknown_office');
  const open = officeRegister(ctx.db, office.code).filter((e) => e.iin === input.iin && e.role === input.role && e.from < input.to && (e.to === null || e.to > input.to));
  const entry = open.at(-1);
  if (!entry) throw new AppError('not_found');
  return entry;
}

/** An office's register as its administrator reads it (this workstation's office unless named). */
export function listStaff(ctx: Pick<ServicesContext, 'db'>, office?: string): StaffRegisterRow[] {
  const code = office ?? readWorkstation(ctx.db)?.officeCode;
  return code ? officeRegister(ctx.db, code) : [];
}

/** An entry as the staff methods answer it. */
export function staffView(e: StaffEntry): StaffEntry {
  return { office: e.office, iin: e.iin, role: e.role, name: e.name, from: e.from, to: e.to };
}
