/**
 * The server's writes of a case's run of events, as set-based statements: a run of N events costs the same handful of
 * round trips as one event (the numbers taken as one block, the events inserted by UNNEST), so the office's order row
 * is held for a few statements, not N times a dozen. Every function takes the transaction's handle (PGlite has one
 * connection; a transaction's statements must go through it).
 */
import type { EventFlag, WireEvent } from '../../../shared/contract/sync-protocol';
import { parseNumber, sequenceScope } from '../../../shared/numbers';
import type { Queryable } from '../store';
import { officeChannel } from './channels';

export interface StoredEvent {
  id: string;
  serverSeq: number;
  flags: string;
}

/** The cases' projected states, locked for this transaction in one order (absent: a case the server does not have yet). */
export async function lockCaseStates(tx: Queryable, office: string, caseIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.query<{ case_id: string; state: string }>('SELECT case_id, state FROM cases WHERE office_code = $1 AND case_id = ANY($2::text[]) ORDER BY case_id FOR UPDATE', [office, caseIds]);
  return new Map(rows.map((r) => [r.case_id, r.state]));
}

/** Which of these event ids the office already has. */
export async function storedEvents(q: Queryable, office: string, ids: readonly string[]): Promise<StoredEvent[]> {
  const rows = await q.query<{ id: string; server_seq: number; flags: string }>('SELECT id, server_seq, flags FROM events WHERE office_code = $1 AND id = ANY($2::text[])', [office, ids]);
  return rows.map((r) => ({ id: r.id, serverSeq: Number(r.server_seq), flags: r.flags }));
}

/** Which of these blobs the office has. */
export async function blobsPresent(q: Queryable, office: string, shas: readonly string[]): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const rows = await q.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE office_code = $1 AND sha256 = ANY($2::text[])', [office, shas]);
  return new Set(rows.map((r) => r.sha256));
}

/** The device time of each case's event at a given seq (the clock flag "before the previous act"), by case. */
export async function eventsAt(q: Queryable, office: string, places: readonly { caseId: string; seq: number }[]): Promise<Map<string, string>> {
  if (places.length === 0) return new Map();
  const rows = await q.query<{ case_id: string; at: string }>(
    'SELECT e.case_id, e.at FROM unnest($2::text[], $3::int[]) AS p(case_id, seq) JOIN events e ON e.office_code = $1 AND e.case_id = p.case_id AND e.seq = p.seq',
    [office, places.map((p) => p.caseId), places.map((p) => p.seq)],
  );
  return new Map(rows.map((r) => [r.case_id, r.at]));
}

/** What a batch reads before it folds its runs: see `batchBasis`. */
export interface BatchBasis {
  /** The cases' projected states, locked for the transaction (absent: a case the server does not have yet). */
  states: Map<string, string>;
  /** The event ids the office already has. */
  replayed: Set<string>;
  /** The blobs the office has. */
  blobs: Set<string>;
  /** The device time of each case's event just before its run (the clock flag "before the previous act"). */
  before: Map<string, string>;
}

/**
 * A batch's reads in one round trip: the cases' states locked in one order, which of its events the office has
 * already, which of the blobs they name it has, and the time of each run's previous act.
 */
export async function batchBasis(tx: Queryable, office: string, caseIds: readonly string[], eventIds: readonly string[], shas: readonly string[], places: readonly { caseId: string; seq: number }[]): Promise<BatchBasis> {
  const rows = await tx.query<{ k: string; a: string; b: string | null }>(
    `WITH s AS MATERIALIZED (SELECT case_id, state FROM cases WHERE office_code = $1 AND case_id = ANY($2::text[]) ORDER BY case_id FOR UPDATE)
     SELECT 's' AS k, case_id AS a, state AS b FROM s
     UNION ALL SELECT 'e', id, NULL FROM events WHERE office_code = $1 AND id = ANY($3::text[])
     UNION ALL SELECT 'b', sha256, NULL FROM blobs WHERE office_code = $1 AND sha256 = ANY($4::text[])
     UNION ALL SELECT 'a', e.case_id, e.at FROM unnest($5::text[], $6::int[]) AS p(case_id, seq) JOIN events e ON e.office_code = $1 AND e.case_id = p.case_id AND e.seq = p.seq`,
    [office, caseIds, eventIds, shas, places.map((p) => p.caseId), places.map((p) => p.seq)],
  );
  const basis: BatchBasis = { states: new Map(), replayed: new Set(), blobs: new Set(), before: new Map() };
  for (const r of rows) {
    if (r.k === 's') basis.states.set(r.a, r.b!);
    else if (r.k === 'e') basis.replayed.add(r.a);
    else if (r.k === 'b') basis.blobs.add(r.a);
    else basis.before.set(r.a, r.b!);
  }
  return basis;
}

/** The id of the case's event at `seq`, or null. */
export async function eventIdAt(q: Queryable, office: string, caseId: string, seq: number): Promise<string | null> {
  const row = await q.query<{ id: string }>('SELECT id FROM events WHERE office_code = $1 AND case_id = $2 AND seq = $3', [office, caseId, seq]);
  return row[0]?.id ?? null;
}

const OPEN_CASES_OF_APPLICANTS = 'SELECT applicant_iin, case_id FROM cases WHERE office_code = $1 AND applicant_iin = ANY($2::text[]) AND stage <> ALL($3::text[]) ORDER BY updated_seq';

/** How PostgreSQL finds the open cases of applicants (EXPLAIN's JSON), for the test that keeps it on the index. */
export async function openCasesPlan(q: Queryable, office: string, iins: readonly string[], closedStages: readonly string[]): Promise<unknown> {
  const rows = await q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${OPEN_CASES_OF_APPLICANTS}`, [office, iins, closedStages]);
  return rows[0]!['QUERY PLAN'];
}

/** The open cases of these applicants in the office (the same family opened twice while apart), by IIN, the longest unchanged first. */
export async function openCasesOfApplicants(q: Queryable, office: string, iins: readonly string[], closedStages: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await q.query<{ applicant_iin: string; case_id: string }>(OPEN_CASES_OF_APPLICANTS, [office, iins, closedStages]);
  const open = new Map<string, string[]>();
  for (const r of rows) open.set(r.applicant_iin, [...(open.get(r.applicant_iin) ?? []), r.case_id]);
  return open;
}

/**
 * `count` numbers of the office's order in one statement; returns the first. The office's row stays locked until
 * the transaction commits, so numbers become visible in order and a pull cursor never skips one. The same statement
 * notifies the office's channel: PostgreSQL delivers it at the commit (never for a rolled-back one), to every server
 * instance listening, with no round trip of its own.
 */
export async function takeNumbers(tx: Queryable, office: string, count: number): Promise<number> {
  const row = await tx.query<{ last: number }>(
    'INSERT INTO office_seq (office_code, last) VALUES ($1, $2) ON CONFLICT (office_code) DO UPDATE SET last = office_seq.last + excluded.last RETURNING last, pg_notify($3, \'\')::text AS notified',
    [office, count, officeChannel(office)],
  );
  return Number(row[0]!.last) - count + 1;
}

export interface BatchRow {
  event: WireEvent;
  /** The pushing device, "office/workstation". */
  device: string;
  flags: EventFlag[];
}

/** A case's row after the batch: its last event is the batch's row number `lastRow` (from 1). */
export interface CaseWrite {
  caseId: string;
  c: CaseRow;
  state: unknown;
  lastRow: number;
}

/**
 * The batch's numbers, its events and its cases' rows in ONE statement (data-modifying CTEs): the office's order row
 * is locked by this statement and released by the COMMIT right after it, so concurrent batches of one office wait on
 * each other for two round trips. The same statement notifies the office's channel (delivered at the commit, to every
 * instance listening), keeps the highest of the case, journal and decision `numbers` the events carry per
 * workstation's sequence, and forgets the refusals of events it applies (refused once, out of order or a blob not
 * there yet, applied now). Returns the batch's first number; the events take the numbers in the rows' order. Each
 * case appears once in `cases`.
 */
export async function appendBatch(tx: Queryable, office: string, rows: readonly BatchRow[], cases: readonly CaseWrite[], numbers: readonly (string | null | undefined)[]): Promise<number> {
  const col = <T>(f: (r: BatchRow) => T) => rows.map(f);
  const cs = <T>(f: (r: CaseWrite) => T) => cases.map(f);
  const highs = numberHighsOf(numbers);
  const signatures = blockOf(rows.map((r) => Buffer.from(r.event.signature, 'base64')));
  const payloads = blockOf(rows.map((r) => Buffer.from(r.event.payload)));
  const states = blockOf(cases.map((c) => Buffer.from(JSON.stringify(c.state))));
  const row = await tx.query<{ last: number }>(
    `WITH hi AS (
       INSERT INTO number_highs (office_code, scope, last) SELECT $1, u.scope, u.last FROM unnest($30::text[], $31::int[]) AS u(scope, last)
       ON CONFLICT (office_code, scope) DO UPDATE SET last = GREATEST(number_highs.last, excluded.last)
     ), rf AS (
       DELETE FROM refusals WHERE office_code = $1 AND event_id = ANY($4::text[])
     ), seq AS (
       INSERT INTO office_seq (office_code, last) VALUES ($1, $2) ON CONFLICT (office_code) DO UPDATE SET last = office_seq.last + excluded.last
       RETURNING last, pg_notify($3, '')::text AS notified
     ), ev AS (
       INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, legacy, device, flags)
       SELECT $1, (SELECT last FROM seq) - $2 + u.ord, u.id, u.case_id, u.seq, u.case_version, u.type, convert_from(substring($34::bytea from u.payload_at for u.payload_len), 'UTF8'), u.actor_iin, u.actor_role, u.actor_cert_sha256, u.at, u.prev_hash, u.hash, substring($32::bytea from u.sig_at for u.sig_len), u.legacy, u.device, u.flags
       FROM unnest($4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::int[], $17::text[], $18::text[], $19::text[], $33::int[], $35::int[])
         WITH ORDINALITY AS u(id, case_id, seq, case_version, type, payload_at, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, sig_at, legacy, device, flags, sig_len, payload_len, ord)
     ), cs AS (
       INSERT INTO cases (office_code, case_id, case_number, channel, stage, version, head_hash, applicant_iin, state, updated_seq, center_code)
       SELECT $1, v.case_id, v.case_number, v.channel, v.stage, v.version, v.head_hash, v.applicant_iin, convert_from(substring($36::bytea from v.state_at for v.state_len), 'UTF8'), (SELECT last FROM seq) - $2 + v.last_row, v.center_code
       FROM unnest($20::text[], $21::text[], $22::text[], $23::text[], $24::int[], $25::text[], $26::text[], $27::int[], $28::int[], $29::text[], $37::int[])
         AS v(case_id, case_number, channel, stage, version, head_hash, applicant_iin, state_at, last_row, center_code, state_len)
       ON CONFLICT (office_code, case_id) DO UPDATE SET stage = excluded.stage, version = excluded.version, head_hash = excluded.head_hash, state = excluded.state, updated_seq = excluded.updated_seq
     )
     SELECT last FROM seq`,
    [
      office,
      rows.length,
      officeChannel(office),
      col((r) => r.event.id),
      col((r) => r.event.caseId),
      col((r) => r.event.seq),
      col((r) => r.event.caseVersion),
      col((r) => r.event.type),
      payloads.at,
      col((r) => r.event.actor.iin),
      col((r) => r.event.actor.role),
      col((r) => r.event.actor.certSha256),
      col((r) => r.event.at),
      col((r) => r.event.prevHash),
      col((r) => r.event.hash),
      signatures.at,
      col((r) => (r.event.legacy ? JSON.stringify(r.event.legacy) : null)),
      col((r) => r.device),
      col((r) => JSON.stringify(r.flags)),
      cs((c) => c.caseId),
      cs((c) => c.c.caseNumber),
      cs((c) => c.c.channel),
      cs((c) => c.c.stage),
      cs((c) => c.c.version),
      cs((c) => c.c.headHash),
      cs((c) => c.c.applicantIin),
      states.at,
      cs((c) => c.lastRow),
      cs((c) => c.c.centerCode ?? null),
      [...highs.keys()],
      [...highs.values()],
      signatures.bytes,
      signatures.len,
      payloads.bytes,
      payloads.len,
      states.bytes,
      states.len,
    ],
  );
  return Number(row[0]!.last) - rows.length + 1;
}

/**
 * Values sent as ONE binary parameter with each one's place in it (PostgreSQL's substring takes each out): the
 * signatures decoded from base64 here, the payloads and states as their UTF-8. Megabytes of text are not quoted
 * into an array literal, scanned again for their length, parsed back by the database or decoded there.
 */
function blockOf(parts: readonly Buffer[]): { bytes: Buffer; at: number[]; len: number[] } {
  const at: number[] = [];
  const len: number[] = [];
  let offset = 1;
  for (const p of parts) {
    at.push(offset);
    len.push(p.length);
    offset += p.length;
  }
  return { bytes: Buffer.concat(parts), at, len };
}

export interface CaseRow {
  caseNumber: string;
  channel: string;
  stage: string;
  version: number;
  headHash: string;
  applicantIin: string;
  centerCode?: string | null;
}

/** The highest of `numbers` in each workstation's sequence (a re-enrolled workstation continues above them). */
function numberHighsOf(numbers: readonly (string | null | undefined)[]): Map<string, number> {
  const highs = new Map<string, number>();
  for (const n of numbers) {
    const p = n ? parseNumber(n) : null;
    if (!p) continue;
    const scope = sequenceScope(p.kind, p.office, p.workstation, p.year);
    highs.set(scope, Math.max(highs.get(scope) ?? 0, p.seq));
  }
  return highs;
}

/** A refused event, kept with its reason (the latest reason wins when it is pushed again). */
export async function recordRefusal(q: Queryable, office: string, e: WireEvent, reason: string, params: Record<string, unknown>, device: string): Promise<void> {
  await q.query(
    `INSERT INTO refusals (office_code, event_id, case_id, reason, params, event, device) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (office_code, event_id) DO UPDATE SET reason = excluded.reason, params = excluded.params, received_at = now()`,
    [office, e.id, e.caseId, reason, JSON.stringify(params), JSON.stringify(e), device],
  );
}

/** The partitions among `offices` that hold the case, and the Center that took it there (if one did). */
export async function caseHolders(q: Queryable, offices: readonly string[], caseId: string): Promise<{ office: string; centerCode: string | null }[]> {
  const rows = await q.query<{ office_code: string; center_code: string | null }>('SELECT office_code, center_code FROM cases WHERE office_code = ANY($1::text[]) AND case_id = $2', [offices, caseId]);
  return rows.map((r) => ({ office: r.office_code, centerCode: r.center_code }));
}

/** Copies the district's event at `serverSeq` into the Center's feed under the Center's number `seq`. */
export async function copyEventToCenterFeed(tx: Queryable, centerCode: string, seq: number, district: string, serverSeq: number): Promise<void> {
  await tx.query(
    `INSERT INTO center_events (office_code, server_seq, district_code, district_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, legacy, flags)
     SELECT $1, $2, office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, legacy, flags
     FROM events WHERE office_code = $3 AND server_seq = $4`,
    [centerCode, seq, district, serverSeq],
  );
}

/** Each workstation sequence's highest number the office has seen (a re-enrolled workstation continues above them). */
export async function numberHighs(q: Queryable, office: string): Promise<{ scope: string; last: number }[]> {
  const rows = await q.query<{ scope: string; last: number }>('SELECT scope, last FROM number_highs WHERE office_code = $1', [office]);
  return rows.map((r) => ({ scope: r.scope, last: Number(r.last) }));
}
