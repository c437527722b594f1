/**
 * A thread of the verification pool (./verify-pool.ts): the events' hashes and CMS signatures, checked
 * against the trust store the task names (rebuilt here once per version of it, so the chains' verdicts are kept
 * between tasks and a new CRL takes effect from the first task that carries it).
 */
import { checkSignedEvent } from './events';
import { trustStoreFromPem, type TrustStore } from './pki/keyfile';
import { eventOfWire, type RefusalReason, type WireEvent } from '../shared/contract/sync-protocol';

export interface SignatureTask {
  trust: { version: string; rootsPem: string; intermediatesPem: string; revoked: string[] };
  events: WireEvent[];
}

export type SignatureVerdict = { ok: true; bin: string } | { ok: false; reason: RefusalReason; algorithm?: string };

let held: { version: string; trust: TrustStore } | null = null;

function trustOf(task: SignatureTask): TrustStore {
  if (held?.version !== task.trust.version) {
    const base = trustStoreFromPem(task.trust.rootsPem, task.trust.intermediatesPem);
    held = { version: task.trust.version, trust: { ...base, revoked: new Set(task.trust.revoked) } };
  }
  return held.trust;
}

/** An event's hash and CMS signature checked against `trust`: the signer's BIN, or why not. */
export function signatureVerdict(e: WireEvent, trust: TrustStore): SignatureVerdict {
  const signed = checkSignedEvent(eventOfWire(e), Buffer.from(e.signature, 'base64'), trust);
  return signed.ok ? { ok: true, bin: signed.signer.bin } : { ok: false, reason: signed.reason, ...(signed.algorithm ? { algorithm: signed.algorithm } : {}) };
}

export default function verifySignatures(task: SignatureTask): SignatureVerdict[] {
  const trust = trustOf(task);
  return task.events.map((e) => signatureVerdict(e, trust));
}
