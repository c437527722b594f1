/** Reference acts from the center (migration 14) and the reference tables they write. */
import type { Db } from '../connection';

export type ReferenceActState = 'pending' | 'applied' | 'refused';

export interface ReferenceActRow {
  id: string;
  kind: string;
  act: string;
  state: ReferenceActState;
  ref_seq: number | null;
  reason: string | null;
  origin: 'here' | 'server';
  recorded_at: string;
}

export function referenceActKnown(db: Db, id: string): ReferenceActRow | null {
  return (db.prepare('SELECT * FROM reference_acts WHERE id = ?').get(id) as ReferenceActRow | undefined) ?? null;
}

/** Records an act once (a later copy of the same id changes nothing but an acknowledgement). */
export function recordReferenceAct(db: Db, row: Omit<ReferenceActRow, 'ref_seq' | 'reason'> & { ref_seq?: number | null; reason?: string | null }): void {
  db.prepare('INSERT OR IGNORE INTO reference_acts (id, kind, act, state, ref_seq, reason, origin, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    row.id,
    row.kind,
    row.act,
    row.state,
    row.ref_seq ?? null,
    row.reason ?? null,
    row.origin,
    row.recorded_at,
  );
}

export function pendingReferenceActs(db: Db, limit: number): ReferenceActRow[] {
  return db.prepare("SELECT * FROM reference_acts WHERE state = 'pending' ORDER BY recorded_at, id LIMIT ?").all(limit) as ReferenceActRow[];
}

export function markReferenceAct(db: Db, id: string, state: ReferenceActState, change: { refSeq?: number; reason?: string }): void {
  db.prepare('UPDATE reference_acts SET state = ?, ref_seq = coalesce(?, ref_seq), reason = coalesce(?, reason) WHERE id = ?').run(state, change.refSeq ?? null, change.reason ?? null, id);
}

export function refusedReferenceActs(db: Db): ReferenceActRow[] {
  return db.prepare("SELECT * FROM reference_acts WHERE state = 'refused' ORDER BY recorded_at DESC LIMIT 200").all() as ReferenceActRow[];
}

/** The acts pulled and refused for one reason, in the city's order: checked again when what they stood on arrives. */
export function pulledActsRefusedFor(db: Db, reason: string): ReferenceActRow[] {
  return db.prepare("SELECT * FROM reference_acts WHERE state = 'refused' AND origin = 'server' AND reason = ? ORDER BY ref_seq LIMIT 200").all(reason) as ReferenceActRow[];
}

/** A refused act found good on a later check: applied, its reason gone. */
export function acceptRefusedReferenceAct(db: Db, id: string): void {
  db.prepare("UPDATE reference_acts SET state = 'applied', reason = NULL WHERE id = ? AND state = 'refused'").run(id);
}

export function referenceCounts(db: Db): { pending: number; refused: number } {
  const r = db.prepare("SELECT sum(state = 'pending') AS pending, sum(state = 'refused') AS refused FROM reference_acts").get() as { pending: number | null; refused: number | null };
  return { pending: r.pending ?? 0, refused: r.refused ?? 0 };
}

/** A precinct commission as the city department's act sets it (a later act for the same code replaces it). */
export function upsertPrecinct(db: Db, p: { code: string; office: string; nameKk: string; nameRu: string; members: unknown }): void {
  db.prepare(
    `INSERT INTO precincts (code, office_code, name_kk, name_ru, members) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET office_code = excluded.office_code, name_kk = excluded.name_kk, name_ru = excluded.name_ru, members = excluded.members`,
  ).run(p.code, p.office, p.nameKk, p.nameRu, JSON.stringify(p.members));
}
