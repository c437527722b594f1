/** The city's reference data in the server's store: the signed acts in one order for the whole city. */
import type { ReferenceAct } from '../../../shared/contract/reference-protocol';
import type { Queryable, Store } from '../store';
import { REFERENCE_CHANNEL } from './channels';

/** One advisory lock key for taking reference numbers (any constant; every instance takes the same). */
const REFERENCE_ORDER_LOCK = 770_100_012;

/** Appends an act in the reference order unless its id is there; returns its number and whether it was new. */
export async function appendReferenceAct(store: Store, act: ReferenceAct, from: string): Promise<{ refSeq: number; fresh: boolean }> {
  return store.transaction(async (tx: Queryable) => {
    // Held until commit: numbers become visible in order, so a cursor never skips one.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [REFERENCE_ORDER_LOCK]);
    const known = await tx.query<{ ref_seq: number }>('SELECT ref_seq FROM reference_acts WHERE id = $1', [act.id]);
    if (known[0]) return { refSeq: Number(known[0].ref_seq), fresh: false };
    const next = await tx.query<{ n: number }>('SELECT (coalesce(max(ref_seq), 0) + 1)::bigint AS n FROM reference_acts');
    const refSeq = Number(next[0]!.n);
    await tx.query('INSERT INTO reference_acts (ref_seq, id, kind, act, received_from) VALUES ($1, $2, $3, $4, $5)', [refSeq, act.id, act.kind, JSON.stringify(act), from]);
    // Every office's waiting workstations are woken at commit (../notify.ts): the act holds in each district.
    await tx.query("SELECT pg_notify($1, '')", [REFERENCE_CHANNEL]);
    return { refSeq, fresh: true };
  });
}

/** The acts after `cursor`, in order, at most `limit`. */
export async function referenceActsAfter(q: Queryable, cursor: number, limit: number): Promise<{ ref_seq: number; act: string }[]> {
  return q.query<{ ref_seq: number; act: string }>('SELECT ref_seq, act FROM reference_acts WHERE ref_seq > $1 ORDER BY ref_seq LIMIT $2', [cursor, limit]);
}

/** Whether the reference order has an act after `cursor`. */
export async function referenceActAfter(q: Queryable, cursor: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM reference_acts WHERE ref_seq > $1 LIMIT 1', [cursor])).length > 0;
}

/** The city department's office, if the offices list has one. */
export async function cityOffice(q: Queryable): Promise<{ code: string; bin: string } | null> {
  return (await q.query<{ code: string; bin: string }>("SELECT code, bin FROM offices WHERE kind = 'city' ORDER BY code LIMIT 1"))[0] ?? null;
}
