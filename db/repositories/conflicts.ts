/**
 * Conflicts of sync on this workstation: the office's conflicts as the server keeps them (a person sees
 * them on the Conflicts screen and resolves them by a signed act), and the clock flags the server gave acts.
 */
import type { Db } from '../connection';

export interface ConflictRow {
  id: string;
  case_id: string;
  kind: 'same_version' | 'same_family';
  other_case_id: string | null;
  holding_event_id: string;
  /** JSON: the losing acts on the wire (with their signatures, verified before they were kept). */
  losing: string;
  status: 'open' | 'resolved';
  resolved_by: string | null;
  resolution: string | null;
  server_seq: number | null;
  detected_at: string;
}

const cache = new WeakMap<Db, ReturnType<typeof statements>>();
function statements(db: Db) {
  return {
    // The server's word wins (who resolved it, when two did at once), except that a conflict once resolved never
    // opens again (a late, stale answer).
    save: db.prepare(
      `INSERT INTO sync_conflicts (id, case_id, kind, other_case_id, holding_event_id, losing, status, resolved_by, resolution, server_seq, detected_at)
       VALUES (@id, @case_id, @kind, @other_case_id, @holding_event_id, @losing, @status, @resolved_by, @resolution, @server_seq, @detected_at)
       ON CONFLICT (id) DO UPDATE SET
         holding_event_id = CASE WHEN excluded.holding_event_id <> '' THEN excluded.holding_event_id ELSE sync_conflicts.holding_event_id END,
         other_case_id = coalesce(excluded.other_case_id, sync_conflicts.other_case_id),
         losing = CASE WHEN excluded.server_seq IS NOT NULL THEN excluded.losing ELSE sync_conflicts.losing END,
         status = CASE WHEN sync_conflicts.status = 'resolved' THEN 'resolved' ELSE excluded.status END,
         resolved_by = CASE WHEN excluded.status = 'resolved' THEN excluded.resolved_by ELSE sync_conflicts.resolved_by END,
         resolution = CASE WHEN excluded.status = 'resolved' THEN excluded.resolution ELSE sync_conflicts.resolution END,
         server_seq = coalesce(excluded.server_seq, sync_conflicts.server_seq)`,
    ),
    resolve: db.prepare("UPDATE sync_conflicts SET status = 'resolved', resolved_by = ?, resolution = ? WHERE id = ? AND status = 'open'"),
    byId: db.prepare('SELECT * FROM sync_conflicts WHERE id = ?'),
    list: db.prepare("SELECT * FROM sync_conflicts ORDER BY status = 'resolved', detected_at DESC LIMIT ?"),
    open: db.prepare("SELECT count(*) FROM sync_conflicts WHERE status = 'open'").pluck(),
    flag: db.prepare('INSERT INTO event_flags (event_id, case_id, flags) VALUES (?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET flags = excluded.flags'),
    flagsOfCase: db.prepare('SELECT event_id AS eventId, flags FROM event_flags WHERE case_id = ?'),
    flagged: db.prepare(
      `SELECT f.event_id AS eventId, f.case_id AS caseId, c.case_number AS caseNumber, e.type, e.at, f.flags
       FROM event_flags f LEFT JOIN case_events e ON e.id = f.event_id LEFT JOIN cases c ON c.id = f.case_id ORDER BY e.at DESC LIMIT 500`,
    ),
    flaggedCount: db.prepare('SELECT count(*) FROM event_flags').pluck(),
    settled: db
      .prepare(
        `SELECT count(*) FROM sync_conflicts c, json_each(c.losing) j JOIN event_sync s ON s.event_id = json_extract(j.value, '$.id')
         WHERE c.status = 'resolved' AND s.state = 'refused'`,
      )
      .pluck(),
    caseEvents: db.prepare('SELECT e.id, e.seq, e.hash, e.prev_hash, s.state FROM case_events e JOIN event_sync s ON s.event_id = e.id WHERE e.case_id = ? AND e.seq >= ? ORDER BY e.seq'),
  };
}
function st(db: Db) {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = statements(db)));
  return s;
}

export function saveConflict(db: Db, c: Omit<ConflictRow, 'server_seq'> & { server_seq?: number | null }): void {
  st(db).save.run({ ...c, server_seq: c.server_seq ?? null });
}

/** Resolved here by `eventId` (the server confirms it at the next pull). */
export function markConflictResolved(db: Db, id: string, eventId: string, resolution: string): void {
  st(db).resolve.run(eventId, resolution, id);
}

export function conflictById(db: Db, id: string): ConflictRow | null {
  return (st(db).byId.get(id) as ConflictRow | undefined) ?? null;
}

/** Open ones first, then the resolved (newest first). */
export function listConflicts(db: Db, limit = 500): ConflictRow[] {
  return st(db).list.all(limit) as ConflictRow[];
}

export function openConflictCount(db: Db): number {
  return st(db).open.get() as number;
}

export function saveFlags(db: Db, eventId: string, caseId: string, flags: readonly string[]): void {
  st(db).flag.run(eventId, caseId, JSON.stringify(flags));
}

export function flagsOfCase(db: Db, caseId: string): Map<string, string[]> {
  return new Map((st(db).flagsOfCase.all(caseId) as { eventId: string; flags: string }[]).map((r) => [r.eventId, JSON.parse(r.flags) as string[]]));
}

export interface FlaggedRow {
  eventId: string;
  caseId: string;
  caseNumber: string | null;
  type: string | null;
  at: string | null;
  flags: string;
}
export function flaggedEvents(db: Db): FlaggedRow[] {
  return st(db).flagged.all() as FlaggedRow[];
}

export function flaggedCount(db: Db): number {
  return st(db).flaggedCount.get() as number;
}

/** Every event of a case from `seq` on, in or out of its line, with its sync state (a conflict's chain). */
export function caseEventsFrom(db: Db, caseId: string, seq: number): { id: string; seq: number; hash: string; prev_hash: string | null; state: string }[] {
  return st(db).caseEvents.all(caseId, seq) as { id: string; seq: number; hash: string; prev_hash: string | null; state: string }[];
}

/** Refused acts that lost a conflict a person has resolved since: no longer a problem to show. */
export function settledRefusals(db: Db): number {
  return st(db).settled.get() as number;
}
