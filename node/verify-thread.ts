/**
 * A thread of the verification pool (./verify-pool.ts): the events' contents against their schemas (the type and
 * payload an event claims), then their hashes and CMS signatures, checked
 * against the trust store the task names (rebuilt here once per version of it, so the chains' verdicts are kept
 * between tasks and a new CRL takes effect from the first task that carries it).
 */
import { checkSignedEvent } from './events';
import { trustStoreFromPem, type TrustStore } from './pki/keyfile';
import { eventOfWire, wireEventProblem, type RefusalReason, type WireEvent } from '../shared/contract/sync-protocol';

export interface SignatureTask {
  trust: { version: string; rootsPem: string; intermediatesPem: string; revoked: string[] };
  events: WireEvent[];
}

/** `contents`: the event is not what it claims (its type unknown, its payload not its schema's); `params` say where. */
export type SignatureVerdict = { ok: true; bin: string } | { ok: false; reason: RefusalReason; algorithm?: string; contents?: true; params?: Record<string, string> };

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

/** An event's contents checked against its schema, then its hash and signature: nothing is verified of an event that is not what it claims. */
export function eventVerdict(e: WireEvent, trust: TrustStore): SignatureVerdict {
  const problem = wireEventProblem(e);
  return problem ? { ok: false, reason: problem.reason, contents: true, params: problem.params } : signatureVerdict(e, trust);
}

export default function verifySignatures(task: SignatureTask): SignatureVerdict[] {
  const trust = trustOf(task);
  return task.events.map((e) => eventVerdict(e, trust));
}
