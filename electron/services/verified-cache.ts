/**
 * What Verify case has checked of each case, kept for the next check "since N": the whole verification up to
 * sequence N, the case's projected state at N, and the version of the trust store it was judged in. A check since
 * N reuses it only while the trust store is the same (a new CRL, root or intermediate may turn a good signature
 * bad) and the log up to N is the one it was checked on; otherwise everything is checked again.
 */
import type { CaseVerification } from '../../shared/contract/types';
import type { CaseProjection } from '../../shared/events/projection';
import { trustStoreVersion, type TrustStore } from '../../node/pki/trust';
import type { ServicesContext } from './context';

export interface Kept {
  /** The last sequence checked. */
  seq: number;
  /** That event's hash: the log up to `seq` is the one checked while it is still there. */
  headHash: string;
  trustVersion: string;
  verification: CaseVerification;
  /** The case as projected from the log up to `seq`; null when it could not be. */
  state: CaseProjection | null;
}

const kept = new WeakMap<ServicesContext, Map<string, Kept>>();

function of(ctx: ServicesContext): Map<string, Kept> {
  let m = kept.get(ctx);
  if (!m) kept.set(ctx, (m = new Map()));
  return m;
}

/**
 * What may be reused for a check since `sinceSeq` (> 0: the caller asks only for what is new): the kept check if it
 * was made in this trust store and the log still has the event it ended on; the check then starts after what was
 * kept, whatever the caller last saw. Null: check everything.
 */
export function reusable(ctx: ServicesContext, caseId: string, sinceSeq: number, trust: TrustStore, hashAt: (seq: number) => string | null): Kept | null {
  if (sinceSeq <= 0) return null;
  const k = of(ctx).get(caseId);
  if (!k || k.trustVersion !== trustStoreVersion(trust) || hashAt(k.seq) !== k.headHash) return null;
  return k;
}

export function keep(ctx: ServicesContext, caseId: string, k: Omit<Kept, 'trustVersion'>, trust: TrustStore): void {
  of(ctx).set(caseId, { ...k, trustVersion: trustStoreVersion(trust) });
}

/** A record's problems (`event:7:…`, `page:7:…`) of the events up to `seq`: kept with the check that found them. */
export function problemsUpTo(problems: readonly string[], seq: number): string[] {
  return problems.filter((p) => {
    const [kind, n] = p.split(':');
    return ['event', 'page', 'document', 'answer', 'request'].includes(kind!) && Number(n) <= seq;
  });
}
