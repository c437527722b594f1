/**
 * The conflicts' rows (a same version taken twice, a family opened twice): recorded once by the first losing act's
 * id, joined by the acts made on top of it, resolved once by a signed act. Each write takes a number of the office's
 * order (conflicts share it with the events, so one cursor carries both) through the caller's transaction.
 */
import type { WireConflict, WireEvent } from '../../../shared/contract/sync-protocol';
import type { Queryable } from '../store';
import { takeNumbers } from './events-write';

/** A conflict as it is first recorded: open, resolved by no one yet. */
export type ConflictRow = Pick<WireConflict, 'id' | 'kind' | 'caseId' | 'otherCaseId' | 'holdingEventId' | 'losing'>;

/** Records a conflict once (a replayed push finds it and changes nothing). */
export async function recordConflict(tx: Queryable, office: string, device: string, c: ConflictRow): Promise<void> {
  const have = await tx.query('SELECT 1 FROM conflicts WHERE office_code = $1 AND id = $2', [office, c.id]);
  if (have.length > 0) return;
  const seq = await takeNumbers(tx, office, 1);
  await tx.query(
    `INSERT INTO conflicts (office_code, id, case_id, kind, other_case_id, holding_event_id, losing, server_seq, device) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [office, c.id, c.caseId, c.kind, c.otherCaseId, c.holdingEventId, JSON.stringify(c.losing), seq, device],
  );
}

/** Adds an act to a conflict's losing ones (once), with a new number: a workstation that pulled it gets it again, whole. */
export async function joinConflict(tx: Queryable, office: string, conflictId: string, e: WireEvent): Promise<void> {
  const row = await tx.query<{ losing: string }>('SELECT losing FROM conflicts WHERE office_code = $1 AND id = $2 FOR UPDATE', [office, conflictId]);
  if (!row[0]) return;
  const losing = JSON.parse(row[0].losing) as WireEvent[];
  if (losing.some((x) => x.id === e.id)) return;
  const seq = await takeNumbers(tx, office, 1);
  await tx.query('UPDATE conflicts SET losing = $3, server_seq = $4 WHERE office_code = $1 AND id = $2', [office, conflictId, JSON.stringify([...losing, e]), seq]);
}

/** A conflict's status and the act that resolved it, or null for one the office does not have. */
export async function conflictStatus(q: Queryable, office: string, conflictId: string): Promise<{ status: string; resolvedBy: string | null } | null> {
  const row = await q.query<{ status: string; resolved_by: string | null }>('SELECT status, resolved_by FROM conflicts WHERE office_code = $1 AND id = $2', [office, conflictId]);
  return row[0] ? { status: row[0].status, resolvedBy: row[0].resolved_by } : null;
}

/** Marks an open conflict resolved by the act `by` (a second resolution changes nothing: the first stands). */
export async function resolveConflict(tx: Queryable, office: string, conflictId: string, by: string, resolution: string): Promise<void> {
  const seq = await takeNumbers(tx, office, 1);
  await tx.query("UPDATE conflicts SET status = 'resolved', resolved_by = $3, resolution = $4, server_seq = $5 WHERE office_code = $1 AND id = $2 AND status = 'open'", [office, conflictId, by, resolution, seq]);
}

/** The same-family conflict an opening act started, if it did. */
export async function familyConflictOf(q: Queryable, office: string, eventId: string): Promise<string | null> {
  const row = await q.query<{ id: string }>("SELECT id FROM conflicts WHERE office_code = $1 AND id = $2 AND kind = 'same_family'", [office, eventId]);
  return row[0]?.id ?? null;
}
