/** The staff register (migration 19): signed staff acts and the entries they stand for. */
import type { StaffEntry } from '../../shared/contract/staff-protocol';
import type { Db } from '../connection';
import { statement } from '../statements';

export type StaffActState = 'pending' | 'applied' | 'refused';

export interface StaffActRow {
  id: string;
  office_code: string;
  act: string;
  state: StaffActState;
  seq: number | null;
  reason: string | null;
  origin: 'here' | 'server' | 'file';
  recorded_at: string;
}

export interface StaffRegisterRow extends StaffEntry {
  actId: string;
  actAt: string;
}

export function staffActKnown(db: Db, id: string): StaffActRow | null {
  return (db.prepare('SELECT * FROM staff_acts WHERE id = ?').get(id) as StaffActRow | undefined) ?? null;
}

/** Records an act once (a later copy of the same id changes nothing). */
export function recordStaffAct(db: Db, row: Omit<StaffActRow, 'seq' | 'reason'> & { seq?: number | null; reason?: string | null }): void {
  db.prepare('INSERT OR IGNORE INTO staff_acts (id, office_code, act, state, seq, reason, origin, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    row.id,
    row.office_code,
    row.act,
    row.state,
    row.seq ?? null,
    row.reason ?? null,
    row.origin,
    row.recorded_at,
  );
}

export function pendingStaffActs(db: Db, limit: number): StaffActRow[] {
  return db.prepare("SELECT * FROM staff_acts WHERE state = 'pending' ORDER BY rowid LIMIT ?").all(limit) as StaffActRow[];
}

export function markStaffAct(db: Db, id: string, state: StaffActState, change: { seq?: number; reason?: string }): void {
  db.prepare('UPDATE staff_acts SET state = ?, seq = coalesce(?, seq), reason = coalesce(?, reason) WHERE id = ?').run(state, change.seq ?? null, change.reason ?? null, id);
}

/** The entry as the act says; an older act for the same entry than the one standing changes nothing. */
export function writeStaffEntry(db: Db, e: StaffEntry, act: { id: string; at: string }): void {
  db.prepare(
    `INSERT INTO staff_register (office_code, iin, role, from_date, to_date, name, act_id, act_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (office_code, iin, role, from_date) DO UPDATE SET to_date = excluded.to_date, name = excluded.name, act_id = excluded.act_id, act_at = excluded.act_at
     WHERE excluded.act_at >= staff_register.act_at`,
  ).run(e.office, e.iin, e.role, e.from, e.to, e.name, act.id, act.at);
}

type RawRow = { office_code: string; iin: string; role: StaffEntry['role']; from_date: string; to_date: string | null; name: string; act_id: string; act_at: string };
const toRow = (r: RawRow): StaffRegisterRow => ({ office: r.office_code, iin: r.iin, role: r.role, from: r.from_date, to: r.to_date, name: r.name, actId: r.act_id, actAt: r.act_at });

/** One office's register, by person and role. */
export function officeRegister(db: Db, office: string): StaffRegisterRow[] {
  return (db.prepare('SELECT * FROM staff_register WHERE office_code = ? ORDER BY name, iin, role, from_date').all(office) as RawRow[]).map(toRow);
}

/** The register entries of the people read so far in one check or one transaction, by IIN. */
export type RegisterEntries = Map<string, StaffRegisterRow[]>;

/** A person's entries in every register this workstation holds, read once for all the acts of one check (`known`). */
export function personEntriesOnce(db: Db, iin: string, known: RegisterEntries): StaffRegisterRow[] {
  let entries = known.get(iin);
  if (!entries) known.set(iin, (entries = personEntries(db, iin)));
  return entries;
}

/** A person's entries in every register this workstation holds (or in `office`'s only). */
export function personEntries(db: Db, iin: string, office?: string): StaffRegisterRow[] {
  const rows = office
    ? (statement(db, 'SELECT * FROM staff_register WHERE iin = ? AND office_code = ?').all(iin, office) as RawRow[])
    : (statement(db, 'SELECT * FROM staff_register WHERE iin = ?').all(iin) as RawRow[]);
  return rows.map(toRow);
}

/**
 * The time of an office's latest act before one in its order: before the server's number `seq` among the acts the
 * server has numbered, or (an act made or read here, not numbered yet) among every act taken here.
 */
export function latestStaffActAt(db: Db, office: string, seq?: number): string | null {
  const row = (seq === undefined
    ? db.prepare("SELECT max(json_extract(act, '$.at')) AS at FROM staff_acts WHERE office_code = ? AND state IN ('applied', 'pending')").get(office)
    : db.prepare("SELECT max(json_extract(act, '$.at')) AS at FROM staff_acts WHERE office_code = ? AND state = 'applied' AND seq < ?").get(office, seq)) as { at: string | null };
  return row.at;
}

/**
 * An office's register written again from its acts that stand (the server's in its order, then this workstation's
 * still to be pushed): after the server refused one made or read here, what it said must not stay.
 */
export function rewriteOfficeRegister(db: Db, office: string): void {
  db.prepare('DELETE FROM staff_register WHERE office_code = ?').run(office);
  const acts = db.prepare("SELECT act FROM staff_acts WHERE office_code = ? AND state IN ('applied', 'pending') ORDER BY seq IS NULL, seq, rowid").all(office) as { act: string }[];
  for (const { act } of acts) {
    const a = JSON.parse(act) as { id: string; at: string; entry: StaffEntry };
    writeStaffEntry(db, a.entry, { id: a.id, at: a.at });
  }
}

export function refusedStaffActs(db: Db): StaffActRow[] {
  return db.prepare("SELECT * FROM staff_acts WHERE state = 'refused' ORDER BY recorded_at DESC LIMIT 200").all() as StaffActRow[];
}
