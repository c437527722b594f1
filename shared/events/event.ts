/**
 * A case event as it travels and is stored: who made it, when (the device's clock: metadata), on which version
 * of the case, chained to the previous event by hash and signed by its actor over its canonical form.
 */
import { canonicalJson } from '../text';

export interface EventActor {
  iin: string;
  role: string;
  /** SHA-256 of the signing certificate (DER), hex. */
  certSha256: string;
}

/** The event with its payload as canonical JSON text (the stored and signed form). */
export interface CaseEvent {
  id: string;
  caseId: string;
  /** 1, 2, 3… within the case. */
  seq: number;
  /** The case version the act was made on: seq − 1. */
  caseVersion: number;
  type: string;
  payload: string;
  actor: EventActor;
  /** ISO time on the device that made it. The server's order, not this, decides. */
  at: string;
  prevHash: string | null;
  hash: string;
}

/** The canonical form that is hashed and signed: canonical JSON of everything but the hash and the signature. */
export function eventCanonical(e: Omit<CaseEvent, 'hash'>): string {
  return canonicalJson({
    id: e.id,
    caseId: e.caseId,
    seq: e.seq,
    caseVersion: e.caseVersion,
    type: e.type,
    payload: JSON.parse(e.payload) as unknown,
    actor: { iin: e.actor.iin, role: e.actor.role, certSha256: e.actor.certSha256 },
    at: e.at,
    prevHash: e.prevHash,
  });
}
