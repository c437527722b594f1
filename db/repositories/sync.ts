/**
 * The workstation's side of sync. The log is the outbox: event_sync says of each event whether the server holds it
 * (acked, with the server's order), whether it waits (pending, with its own retry state) or was refused (with the
 * server's reason). Acknowledgements are kept as anchors; events that lost a conflict leave their case's line; pulled
 * events that cannot be applied are held. The pull cursor is a setting written in the transaction of each page.
 */
import type { Db } from '../connection';
import type { EventRow, SignedEvent } from './events';

export interface PendingEvent extends EventRow {
  attempts: number;
}

const cache = new WeakMap<Db, ReturnType<typeof statements>>();
function statements(db: Db) {
  return {
    pending: db.prepare(
      `SELECT e.*, s.attempts FROM event_sync s JOIN case_events e ON e.id = s.event_id
       WHERE s.state = 'pending' AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)
         AND s.case_id NOT IN (SELECT case_id FROM sample_cases) ORDER BY e.case_id, e.seq LIMIT ?`,
    ),
    ack: db.prepare("UPDATE event_sync SET state = 'acked', server_seq = ?, acked_at = ?, last_error = NULL WHERE event_id = ?"),
    anchor: db.prepare('INSERT OR IGNORE INTO event_anchors (event_id, case_id, seq, hash, server_seq, acked_at) VALUES (?, ?, ?, ?, ?, ?)'),
    refuse: db.prepare("UPDATE event_sync SET state = 'refused', attempts = attempts + 1, last_error = ? WHERE event_id = ?"),
    retry: db.prepare('UPDATE event_sync SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE event_id = ?'),
    outOfLine: db.prepare('INSERT OR IGNORE INTO event_refusals (event_id, case_id, reason, params, refused_at) VALUES (?, ?, ?, ?, ?)'),
    held: db.prepare('INSERT OR IGNORE INTO sync_held (event_id, case_id, server_seq, event, reason, params, held_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    caseHeld: db.prepare('SELECT 1 FROM sync_held WHERE case_id = ? LIMIT 1'),
    lineAt: db.prepare(
      `SELECT e.id, e.seq, s.state FROM case_events e JOIN event_sync s ON s.event_id = e.id
       WHERE e.case_id = ? AND e.seq >= ? AND e.id NOT IN (SELECT event_id FROM event_refusals WHERE case_id = ?) ORDER BY e.seq`,
    ),
    counts: db.prepare(
      `SELECT
         (SELECT count(*) FROM event_sync WHERE state = 'pending' AND case_id NOT IN (SELECT case_id FROM sample_cases)) AS pending,
         (SELECT count(*) FROM event_sync WHERE state = 'refused') AS refused,
         (SELECT count(*) FROM sync_held) AS held,
         (SELECT count(*) FROM event_refusals) AS conflicts`,
    ),
    anchorsOf: db.prepare('SELECT event_id, seq, hash, server_seq FROM event_anchors WHERE case_id = ? ORDER BY seq'),
    problems: db.prepare(
      `SELECT s.event_id AS eventId, s.case_id AS caseId, c.case_number AS caseNumber, e.type, e.seq, e.at, e.actor_iin AS actorIin, s.last_error AS error,
              (SELECT reason FROM event_refusals r WHERE r.event_id = s.event_id) AS outOfLine
       FROM event_sync s JOIN case_events e ON e.id = s.event_id LEFT JOIN cases c ON c.id = s.case_id
       WHERE s.state = 'refused' ORDER BY e.at DESC LIMIT 500`,
    ),
    heldList: db.prepare(
      `SELECT h.event_id AS eventId, h.case_id AS caseId, c.case_number AS caseNumber, h.reason, h.params, h.held_at AS at, h.event
       FROM sync_held h LEFT JOIN cases c ON c.id = h.case_id ORDER BY h.server_seq LIMIT 500`,
    ),
  };
}
function st(db: Db) {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = statements(db)));
  return s;
}

/** Events that wait for the server and are due, by case and place in it. */
export function pendingEvents(db: Db, now: string, limit = 500): PendingEvent[] {
  return st(db).pending.all(now, limit) as PendingEvent[];
}

/** The server holds it: acknowledged, and anchored with its hash. */
export function markAcked(db: Db, e: Pick<EventRow, 'id' | 'case_id' | 'seq' | 'hash'>, serverSeq: number, at: string): void {
  st(db).ack.run(serverSeq, at, e.id);
  st(db).anchor.run(e.id, e.case_id, e.seq, e.hash, serverSeq, at);
}

/** Refused by the server: it stays in the log with the reason (a person sees it), and is not sent again. */
export function markRefused(db: Db, eventId: string, error: { code: string; params?: Record<string, unknown> }): void {
  st(db).refuse.run(JSON.stringify(error), eventId);
}

/** A passing failure of this one event: tried again after `nextAttemptAt`; the others go on. */
export function markRetry(db: Db, eventId: string, nextAttemptAt: string, error: string): void {
  st(db).retry.run(nextAttemptAt, error, eventId);
}

/** The event leaves its case's line: another workstation's act holds its place on the server. */
export function takeOutOfLine(db: Db, e: Pick<EventRow, 'id' | 'case_id'>, reason: string, params: Record<string, unknown>, at: string): void {
  st(db).outOfLine.run(e.id, e.case_id, reason, JSON.stringify(params), at);
}

/** The events of a case's line from `seq` on, with their sync state. */
/** The cases with an act of this workstation the server has not acknowledged: the only ones a pulled act can take a place from. */
export function casesWithUnacked(db: Db): Set<string> {
  return new Set(db.prepare("SELECT DISTINCT case_id FROM event_sync WHERE state <> 'acked'").pluck().all() as string[]);
}

export function lineFrom(db: Db, caseId: string, seq: number): { id: string; seq: number; state: string }[] {
  return st(db).lineAt.all(caseId, seq, caseId) as { id: string; seq: number; state: string }[];
}

export function holdPulled(db: Db, e: { id: string; caseId: string; serverSeq: number }, wire: string, reason: string, params: Record<string, unknown>, at: string): void {
  st(db).held.run(e.id, e.caseId, e.serverSeq, wire, reason, JSON.stringify(params), at);
}

export function caseHeld(db: Db, caseId: string): boolean {
  return st(db).caseHeld.get(caseId) !== undefined;
}

export function syncCounts(db: Db): { pending: number; refused: number; held: number; conflicts: number } {
  return st(db).counts.get() as { pending: number; refused: number; held: number; conflicts: number };
}

/** A case's events by sync state (the badge: waiting, on the server, refused). */
export function anchorsOf(db: Db, caseId: string): { event_id: string; seq: number; hash: string; server_seq: number }[] {
  return st(db).anchorsOf.all(caseId) as { event_id: string; seq: number; hash: string; server_seq: number }[];
}

export interface RefusedRow {
  eventId: string;
  caseId: string;
  caseNumber: string | null;
  type: string;
  seq: number;
  at: string;
  actorIin: string;
  error: string | null;
  outOfLine: string | null;
}
export function refusedEvents(db: Db): RefusedRow[] {
  return st(db).problems.all() as RefusedRow[];
}

export interface HeldRow {
  eventId: string;
  caseId: string;
  caseNumber: string | null;
  reason: string;
  params: string;
  at: string;
  event: string;
}
export function heldEvents(db: Db): HeldRow[] {
  return st(db).heldList.all() as HeldRow[];
}

/** Raises each number sequence to at least `last` (a re-enrolled workstation continues above what it issued). */
export function raiseSequences(db: Db, highs: readonly { scope: string; last: number }[]): void {
  const raise = db.prepare('INSERT INTO number_sequences (scope, last) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET last = max(last, excluded.last)');
  for (const h of highs) raise.run(h.scope, h.last);
}

/** The wire form of a stored event (with the legacy facts of its case, for events written before the catalogue). */
export function legacyFactsOfCase(db: Db, caseId: string): { createdAt?: string; dues: { deadline: string; startedOn: string; due: string }[] } | null {
  const rows = db.prepare('SELECT fact, deadline, started_on, value FROM legacy_facts WHERE case_id = ?').all(caseId) as { fact: string; deadline: string; started_on: string; value: string }[];
  if (rows.length === 0) return null;
  return {
    createdAt: rows.find((r) => r.fact === 'created_at')?.value,
    dues: rows.filter((r) => r.fact === 'due').map((r) => ({ deadline: r.deadline, startedOn: r.started_on, due: r.value })),
  };
}

export type { SignedEvent };
