/** The offices' staff registers in the server's store (migration 8): the signed acts in each office's order, and the entries. */
import type { StaffAct, StaffEntry } from '../../../shared/contract/staff-protocol';
import type { Queryable, Store } from '../store';
import { OFFICE_TTL_MS } from './devices';

/** One advisory lock per office for taking its staff acts' numbers (any constant with the office's hash). */
const STAFF_ORDER_LOCK = 770_100_030;

type EntryRow = Pick<StaffEntry, 'iin' | 'role' | 'from' | 'to'>;

/** An office's register as it stands. */
export async function officeStaff(q: Queryable, office: string): Promise<EntryRow[]> {
  const rows = await q.query<{ iin: string; role: StaffEntry['role']; from_date: string; to_date: string | null }>('SELECT iin, role, from_date, to_date FROM staff_register WHERE office_code = $1', [office]);
  return rows.map((r) => ({ iin: r.iin, role: r.role, from: r.from_date, to: r.to_date }));
}

export type AppendOutcome<R> = { status: 'applied' | 'duplicate'; seq: number } | { status: 'refused'; reason: R };

/**
 * Appends an act to its office's order unless it is there, after `check` approves it against the register as it
 * stands (and the time of its latest act) under the office's lock (two administrators' acts never pass each other), and writes its entry.
 */
export async function appendStaffAct<R>(store: Store, act: StaffAct, from: string, check: (register: EntryRow[], latestAt: string | null) => { ok: true } | { ok: false; reason: R }): Promise<AppendOutcome<R>> {
  const office = act.entry.office;
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STAFF_ORDER_LOCK, office]);
    const known = await tx.query<{ seq: number }>('SELECT seq FROM staff_acts WHERE office_code = $1 AND id = $2', [office, act.id]);
    if (known[0]) return { status: 'duplicate', seq: Number(known[0].seq) };
    // The latest act's time: every act's entry row keeps the time of the act that last wrote it.
    const latest = await tx.query<{ at: string | null }>('SELECT max(act_at) AS at FROM staff_register WHERE office_code = $1', [office]);
    const checked = check(await officeStaff(tx, office), latest[0]?.at ?? null);
    if (!checked.ok) return { status: 'refused', reason: checked.reason };
    const next = await tx.query<{ n: number }>('SELECT (coalesce(max(seq), 0) + 1)::bigint AS n FROM staff_acts WHERE office_code = $1', [office]);
    const seq = Number(next[0]!.n);
    await tx.query('INSERT INTO staff_acts (office_code, seq, id, act, received_from) VALUES ($1, $2, $3, $4, $5)', [office, seq, act.id, JSON.stringify(act), from]);
    const e = act.entry;
    await tx.query(
      `INSERT INTO staff_register (office_code, iin, role, from_date, to_date, name, act_id, act_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (office_code, iin, role, from_date) DO UPDATE SET to_date = excluded.to_date, name = excluded.name, act_id = excluded.act_id, act_at = excluded.act_at
       WHERE excluded.act_at >= staff_register.act_at`,
      [office, e.iin, e.role, e.from, e.to, e.name, act.id, act.at],
    );
    return { status: 'applied', seq };
  });
}

/** An office's acts after `cursor`, in its order. */
export async function staffActsAfter(q: Queryable, office: string, cursor: number, limit: number): Promise<{ seq: number; act: string }[]> {
  const rows = await q.query<{ seq: number; act: string }>('SELECT seq, act FROM staff_acts WHERE office_code = $1 AND seq > $2 ORDER BY seq LIMIT $3', [office, cursor, limit]);
  return rows.map((r) => ({ seq: Number(r.seq), act: r.act }));
}

/**
 * What a push from `office`'s device needs before its events are checked, in ONE round trip: the office's register
 * as it stands (each signer's role on the act's day) and the office's kind and the districts it serves (a Center's
 * device places its events event by event). Null office: the office is not in the reference data.
 */
export async function pushContext(q: Queryable, office: string): Promise<{ register: EntryRow[]; office: { kind: string; serves: string[] } | null }> {
  const row = (
    await q.query<{ register: string; kind: string | null; serves: string | null }>(
      `SELECT (SELECT coalesce(json_agg(json_build_array(iin, role, from_date, to_date)), '[]'::json)::text FROM staff_register WHERE office_code = $1) AS register,
              o.kind, o.serves
       FROM (SELECT 1) AS one LEFT JOIN offices o ON o.code = $1`,
      [office],
    )
  )[0];
  const entries = JSON.parse(row?.register ?? '[]') as [string, StaffEntry['role'], string, string | null][];
  return {
    register: entries.map(([iin, role, from, to]) => ({ iin, role, from, to })),
    office: row?.kind ? { kind: row.kind, serves: JSON.parse(row.serves ?? '[]') as string[] } : null,
  };
}

type PushContext = Awaited<ReturnType<typeof pushContext>>;
const contexts = new WeakMap<Queryable, Map<string, { staffHead: number; at: number; context: Promise<PushContext> }>>();

/**
 * `pushContext` kept per process while the office's latest staff act is the one the request's authentication read
 * (the register changes only with a staff act), and the office's reference row for a minute, as its BIN is. The
 * pushes that come together while it is read wait for the same reading.
 */
export function currentPushContext(q: Queryable, office: string, staffHead: number, now = Date.now()): Promise<PushContext> {
  const byOffice = contexts.get(q) ?? contexts.set(q, new Map()).get(q)!;
  const kept = byOffice.get(office);
  if (kept && kept.staffHead === staffHead && now - kept.at < OFFICE_TTL_MS) return kept.context;
  const context = pushContext(q, office);
  byOffice.set(office, { staffHead, at: now, context });
  // A failed reading is not kept: the next push reads again.
  context.catch(() => byOffice.get(office)?.context === context && byOffice.delete(office));
  return context;
}

/** An office's BIN and kind, and the districts a Center serves (reference data). */
export async function officeRow(q: Queryable, code: string): Promise<{ code: string; kind: string; bin: string; serves: string[] } | null> {
  const row = (await q.query<{ code: string; kind: string; bin: string; serves: string }>('SELECT code, kind, bin, serves FROM offices WHERE code = $1', [code]))[0];
  return row ? { code: row.code, kind: row.kind, bin: row.bin, serves: JSON.parse(row.serves) as string[] } : null;
}
