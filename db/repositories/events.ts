/** The signed log (case_events, append-only) and its sync state (event_sync): reads, and the one append. */
import type { CaseEvent } from '../../shared/events/event';
import type { LegacyFacts } from '../../shared/events/projection';
import type { DeadlineId } from '../../shared/domain/deadlines';
import type { Db } from '../connection';
import { statement } from '../statements';

export interface EventRow {
  id: string;
  case_id: string;
  seq: number;
  case_version: number;
  type: string;
  payload: string;
  actor_iin: string;
  actor_role: string;
  actor_cert_sha256: string;
  at: string;
  prev_hash: string | null;
  hash: string;
  signature: Buffer | null;
}

/** A case event with its actor's detached CMS signature over the canonical form. */
export interface SignedEvent extends CaseEvent {
  signature: Buffer;
}

export function toCaseEvent(r: EventRow): CaseEvent {
  return {
    id: r.id,
    caseId: r.case_id,
    seq: r.seq,
    caseVersion: r.case_version,
    type: r.type,
    payload: r.payload,
    actor: { iin: r.actor_iin, role: r.actor_role, certSha256: r.actor_cert_sha256 },
    at: r.at,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function toSignedEvent(r: EventRow): SignedEvent {
  return { ...toCaseEvent(r), signature: r.signature ?? Buffer.alloc(0) };
}

const cache = new WeakMap<Db, ReturnType<typeof statements>>();
function statements(db: Db) {
  return {
    // A case's line: its events but those that left it (a conflict lost on the server, db/migrations/0009).
    log: db.prepare('SELECT * FROM case_events WHERE case_id = ? AND id NOT IN (SELECT event_id FROM event_refusals WHERE case_id = ?) ORDER BY seq'),
    ofTypes: (n: number) =>
      db.prepare(`SELECT * FROM case_events WHERE case_id = ? AND type IN (${Array(n).fill('?').join(',')}) AND id NOT IN (SELECT event_id FROM event_refusals WHERE case_id = ?) ORDER BY seq`),
    append: db.prepare(
      `INSERT INTO case_events (id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature)
       VALUES (@id, @case_id, @seq, @case_version, @type, @payload, @actor_iin, @actor_role, @actor_cert_sha256, @at, @prev_hash, @hash, @signature)`,
    ),
    sync: db.prepare('INSERT INTO event_sync (event_id, case_id, state, server_seq, acked_at) VALUES (?, ?, ?, ?, ?)'),
    anchor: db.prepare('INSERT OR IGNORE INTO event_anchors (event_id, case_id, seq, hash, server_seq, acked_at) VALUES (?, ?, ?, ?, ?, ?)'),
    createdAt: db.prepare("SELECT value FROM legacy_facts WHERE case_id = ? AND fact = 'created_at'").pluck(),
    due: db.prepare("SELECT value FROM legacy_facts WHERE case_id = ? AND fact = 'due' AND deadline = ? AND started_on = ?").pluck(),
  };
}
function st(db: Db) {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = statements(db)));
  return s;
}

export function caseLog(db: Db, caseId: string): EventRow[] {
  return st(db).log.all(caseId, caseId) as EventRow[];
}

/** The events of a case's line of the given types, oldest first. */
export function eventsOfType(db: Db, caseId: string, types: readonly string[]): EventRow[] {
  return st(db).ofTypes(types.length).all(caseId, ...types, caseId) as EventRow[];
}

export function appendEventRow(db: Db, e: SignedEvent, sync: { state: 'pending' | 'acked'; serverSeq?: number; ackedAt?: string }): void {
  st(db).append.run({
    id: e.id,
    case_id: e.caseId,
    seq: e.seq,
    case_version: e.caseVersion,
    type: e.type,
    payload: e.payload,
    actor_iin: e.actor.iin,
    actor_role: e.actor.role,
    actor_cert_sha256: e.actor.certSha256,
    at: e.at,
    prev_hash: e.prevHash,
    hash: e.hash,
    signature: e.signature,
  });
  st(db).sync.run(e.id, e.caseId, sync.state, sync.serverSeq ?? null, sync.ackedAt ?? null);
  // An event pulled from the server is acknowledged as it arrives: its anchor says the server holds it.
  if (sync.state === 'acked') st(db).anchor.run(e.id, e.caseId, e.seq, e.hash, sync.serverSeq ?? 0, sync.ackedAt ?? e.at);
}

/** The facts that events written before the catalogue did not carry, as migration 8 froze them. */
export function legacyFacts(db: Db): LegacyFacts {
  return {
    createdAt: (caseId) => (st(db).createdAt.get(caseId) as string | undefined) ?? undefined,
    due: (caseId, deadline: DeadlineId, startedOn) => (st(db).due.get(caseId, deadline, startedOn) as string | undefined) ?? undefined,
  };
}

/** Every fact of legacy_facts in memory, for a rebuild of many cases. */
export function legacyFactsInMemory(db: Db): LegacyFacts {
  const created = new Map<string, string>();
  const dues = new Map<string, string>();
  for (const r of db.prepare('SELECT case_id, fact, deadline, started_on, value FROM legacy_facts').all() as { case_id: string; fact: string; deadline: string; started_on: string; value: string }[]) {
    if (r.fact === 'created_at') created.set(r.case_id, r.value);
    else dues.set(`${r.case_id}|${r.deadline}|${r.started_on}`, r.value);
  }
  return { createdAt: (caseId) => created.get(caseId), due: (caseId, deadline, startedOn) => dues.get(`${caseId}|${deadline}|${startedOn}`) };
}

export function eventById(db: Db, id: string): EventRow | null {
  return (statement(db, 'SELECT * FROM case_events WHERE id = ?').get(id) as EventRow | undefined) ?? null;
}
