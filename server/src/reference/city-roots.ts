/**
 * The roots the city department's administrator added for the whole city (reference acts of kind trust_root, each
 * checked when it was pushed): taken into this instance's trust store before it checks a signature, so that a key
 * of НУЦ РК's root, once added, is accepted by every instance, and by the workstations after their next sync.
 */
import { parseReferencePayload } from '../../../shared/contract/reference-protocol';
import type { Store } from '../store';
import type { ServerTrust } from '../trust';

const seen = new WeakMap<ServerTrust, number>();

/** The number of the last city root this trust store has taken (0: none yet). */
export const cityRootsSeen = (trust: ServerTrust): number => seen.get(trust) ?? 0;

export async function takeCityRoots(store: Store, trust: ServerTrust): Promise<void> {
  if (!trust.addCityRoot) return;
  const after = seen.get(trust) ?? 0;
  const rows = await store.query<{ ref_seq: number; act: string }>("SELECT ref_seq, act FROM reference_acts WHERE kind = 'trust_root' AND ref_seq > $1 ORDER BY ref_seq", [after]);
  for (const row of rows) {
    const payload = parseReferencePayload('trust_root', (JSON.parse(row.act) as { payload: string }).payload);
    if (payload) trust.addCityRoot(payload.pem, payload.intermediates);
    seen.set(trust, Number(row.ref_seq));
  }
}
