/**
 * A case event as it travels and is stored: who made it, when (the device's clock: metadata), on which version
 * of the case, chained to the previous event by hash and signed by its actor over its canonical form.
 */
import { CanonicalText, canonicalJson } from '../text';

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
  return canonicalWith(e, JSON.parse(e.payload) as unknown);
}

/**
 * The canonical form with the payload's stored text taken as it is. Every act's payload is written as canonical JSON
 * when it is signed, so this is eventCanonical without parsing and writing the payload again; whether it is, the
 * event's hash over it says (node/events.ts canonicalAsHashed).
 */
export function eventCanonicalAsStored(e: Omit<CaseEvent, 'hash'>): string {
  const { actor } = e;
  const text = (v: unknown) => typeof v === 'string';
  const count = (v: unknown) => Number.isSafeInteger(v);
  // Written as canonicalJson writes this shape (keys in its order); any other shape, through canonicalJson itself.
  if (!text(e.id) || !text(e.caseId) || !count(e.seq) || !count(e.caseVersion) || !text(e.type) || !text(e.at) || !(e.prevHash === null || text(e.prevHash)) || !text(actor.iin) || !text(actor.role) || !text(actor.certSha256)) {
    return canonicalWith(e, new CanonicalText(e.payload));
  }
  const q = JSON.stringify;
  return `{"actor":{"certSha256":${q(actor.certSha256)},"iin":${q(actor.iin)},"role":${q(actor.role)}},"at":${q(e.at)},"caseId":${q(e.caseId)},"caseVersion":${e.caseVersion},"id":${q(e.id)},"payload":${e.payload},"prevHash":${q(e.prevHash)},"seq":${e.seq},"type":${q(e.type)}}`;
}

function canonicalWith(e: Omit<CaseEvent, 'hash'>, payload: unknown): string {
  return canonicalJson({
    id: e.id,
    caseId: e.caseId,
    seq: e.seq,
    caseVersion: e.caseVersion,
    type: e.type,
    payload,
    actor: { iin: e.actor.iin, role: e.actor.role, certSha256: e.actor.certSha256 },
    at: e.at,
    prevHash: e.prevHash,
  });
}
