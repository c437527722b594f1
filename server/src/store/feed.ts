/**
 * Reading an office's feed for a pull: its events and its conflicts after a cursor. Both share the office's numbers,
 * so both are read after the cursor and merged by number, and a page never skips one (the cursor is the last number
 * the page holds). A Center's devices read the Center's own feed (center_events).
 *
 * Both are read in ONE snapshot (a read-only REPEATABLE READ transaction): read one after the other, a transaction
 * committing between the two reads showed its conflict row (a higher number) without its event (a lower one), and
 * the cursor after the page passed over that event for good.
 */
import type { PulledConflict, PulledEvent } from '../../../shared/contract/sync-protocol';
import type { Queryable, Store, TransactionStart } from '../store';

export type FeedTable = 'events' | 'center_events';
export type FeedRow = { seq: number; event?: Record<string, unknown>; conflict?: Record<string, unknown> };

/**
 * One snapshot, read-only. A page is the next `limit` numbers of the office's key, read in the key's order and no
 * further. Planned from statistics that lag behind a table filling up (a fresh server, a restore, a busy month before
 * autovacuum's next ANALYZE), PostgreSQL took a bitmap of EVERY row after the cursor and sorted it: each page of a
 * new workstation's first pull cost as much as the rest of the feed (710 ms against 27 ms at 10,000 events).
 */
const FEED_READ: TransactionStart = { isolation: 'REPEATABLE READ, READ ONLY', settings: 'SET LOCAL enable_bitmapscan = off' };

/** Up to `limit` rows after `cursor`, in the office's order, from one snapshot of the feed. */
export function readFeed(store: Store, table: FeedTable, office: string, cursor: number, limit: number): Promise<FeedRow[]> {
  return store.transaction((tx) => readFeedIn(tx, table, office, cursor, limit), FEED_READ);
}

/**
 * The events of a page. The signature as the wire's base64, encoded by the database (its encode wraps lines: the line
 * breaks go): a third fewer bytes than bytea's hex text, and nothing decoded and encoded again here. Encoded for the
 * page's rows alone, after the LIMIT: whatever the plan, no other row's signature is read out of its TOAST table.
 */
function eventsPageSql(table: FeedTable): string {
  return `SELECT server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash,
            translate(encode(signature, 'base64'), chr(10), '') AS signature, legacy, flags
     FROM (SELECT * FROM ${table === 'center_events' ? 'center_events' : 'events'} WHERE office_code = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3) page
     ORDER BY server_seq`;
}

/** How PostgreSQL reads a page of events in the feed's transaction (EXPLAIN's JSON), for the test that keeps it down the key. */
export function feedPagePlan(store: Store, table: FeedTable, office: string, cursor: number, limit: number): Promise<unknown> {
  return store.transaction(async (tx) => {
    const rows = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${eventsPageSql(table)}`, [office, cursor, limit]);
    const plan = rows[0]!['QUERY PLAN'];
    return typeof plan === 'string' ? JSON.parse(plan) : plan;
  }, FEED_READ);
}

async function readFeedIn(q: Queryable, table: FeedTable, office: string, cursor: number, limit: number): Promise<FeedRow[]> {
  const events = await q.query<Record<string, unknown>>(eventsPageSql(table), [office, cursor, limit]);
  const conflicts = await q.query<Record<string, unknown>>(
    `SELECT server_seq, id, case_id, kind, other_case_id, holding_event_id, losing, status, resolved_by, resolution, detected_at
     FROM conflicts WHERE office_code = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3`,
    [office, cursor, limit],
  );
  const merged: FeedRow[] = [...events.map((r) => ({ seq: Number(r.server_seq), event: r })), ...conflicts.map((r) => ({ seq: Number(r.server_seq), conflict: r }))];
  return merged.sort((a, b) => a.seq - b.seq);
}

/** The feed's last number (what a first sync has to reach). */
export async function feedHead(q: Queryable, table: FeedTable, office: string): Promise<string | undefined> {
  const row = await q.query<{ head: string }>(`SELECT COALESCE(MAX(server_seq), 0)::text AS head FROM ${table === 'center_events' ? 'center_events' : 'events'} WHERE office_code = $1`, [office]);
  return row[0]?.head;
}

/** A page's event row as the wire carries it. */
export function pulledEventOfRow(r: Record<string, unknown>): PulledEvent {
  return {
    serverSeq: Number(r.server_seq),
    id: String(r.id),
    caseId: String(r.case_id),
    seq: Number(r.seq),
    caseVersion: Number(r.case_version),
    type: String(r.type),
    payload: String(r.payload),
    actor: { iin: String(r.actor_iin), role: String(r.actor_role), certSha256: String(r.actor_cert_sha256) },
    at: String(r.at),
    prevHash: (r.prev_hash as string | null) ?? null,
    hash: String(r.hash),
    signature: String(r.signature),
    ...(r.legacy ? { legacy: JSON.parse(String(r.legacy)) as PulledEvent['legacy'] } : {}),
    ...(r.flags && r.flags !== '[]' ? { flags: JSON.parse(String(r.flags)) as PulledEvent['flags'] } : {}),
  };
}

/** A page's conflict row (its number `seq`) as the wire carries it. */
export function pulledConflictOfRow(seq: number, c: Record<string, unknown>): PulledConflict {
  return {
    serverSeq: seq,
    id: String(c.id),
    kind: String(c.kind) as PulledConflict['kind'],
    caseId: String(c.case_id),
    otherCaseId: (c.other_case_id as string | null) ?? null,
    holdingEventId: String(c.holding_event_id),
    losing: JSON.parse(String(c.losing)) as PulledConflict['losing'],
    status: String(c.status) as PulledConflict['status'],
    resolvedBy: (c.resolved_by as string | null) ?? null,
    resolution: (c.resolution as string | null) ?? null,
    detectedAt: new Date(c.detected_at as string).toISOString(),
  };
}
