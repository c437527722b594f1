/** Event hashes and signed events: the Node half of shared/events (SHA-256 and the actor's CMS signature). */
import { eventCanonical, eventCanonicalAsStored, type CaseEvent, type EventActor } from '../shared/events/event';
import { canonicalJson } from '../shared/text';
import type { Role } from '../shared/roles';
import { UnsupportedAlgorithmError } from './pki/algorithms';
import { CmsFormatError, verifyDetached, type SignOptions } from './pki/cms';
import { chainValidAt, isRevoked, validAt, type TrustStore } from './pki/trust';
import { sha256Hex } from './digest';

/** Signs content with the actor's key: a detached CMS (CAdES-BES); `options.pades` for the CMS inside a PDF. */
export type ActSigner = (content: Buffer, options?: SignOptions) => Buffer;

export { sha256Hex };

/** The event's hash: SHA-256 of its canonical form. */
export function eventHash(e: Omit<CaseEvent, 'hash'>): string {
  return sha256Hex(eventCanonical(e));
}

/**
 * An event's canonical bytes as its hash names them, and whether its hash matches: first with the payload's stored
 * text as it is (one hash, the payload not parsed and written again), and only when that does not match, with the
 * payload written as canonical JSON again; the bytes whose hash matches are the bytes its actor signed.
 */
export function canonicalAsHashed(e: CaseEvent): { canonical: Buffer; hashOk: boolean } {
  const asStored = Buffer.from(eventCanonicalAsStored(e), 'utf8');
  if (sha256Hex(asStored) === e.hash) return { canonical: asStored, hashOk: true };
  const canonical = Buffer.from(eventCanonical(e), 'utf8');
  return { canonical, hashOk: sha256Hex(canonical) === e.hash };
}

export interface EventDraft {
  id: string;
  type: string;
  payload: unknown;
  at: string;
}

/**
 * Builds, hashes and signs events on top of a case's head (its version and head hash), each chained to the one
 * before it: what the commit path and the central server receive.
 */
export function signEvents(caseId: string, head: { version: number; headHash: string | null }, drafts: readonly EventDraft[], actor: EventActor, sign: ActSigner): (CaseEvent & { signature: Buffer })[] {
  let version = head.version;
  let prev = head.headHash;
  return drafts.map((d) => {
    const unsigned: Omit<CaseEvent, 'hash'> = { id: d.id, caseId, seq: version + 1, caseVersion: version, type: d.type, payload: canonicalJson(d.payload), actor, at: d.at, prevHash: prev };
    const canonical = Buffer.from(eventCanonical(unsigned), 'utf8');
    const event = { ...unsigned, hash: sha256Hex(canonical), signature: sign(canonical) };
    version = event.seq;
    prev = event.hash;
    return event;
  });
}

export interface EventSigner {
  iin: string;
  roles: Role[];
  /** The organisation's BIN (the certificate's OU). */
  bin: string;
  certSha256: string;
}

export type EventRefusal = 'hash_mismatch' | 'signature_invalid' | 'signer_untrusted' | 'signer_revoked' | 'signer_mismatch' | 'unsupported_algorithm';

/**
 * Checks a signed event as the server checks a push and a workstation a pull: its hash over its canonical form, its
 * actor's CMS signature (chain to a trusted root, revocation, signing key usage at the signing time), and that the
 * certificate is the actor's (certificate hash, IIN). The actor's role is checked against the office's staff register
 * by the caller; the catalogue's own checks come after, by projection.
 * The certificate's chain is judged once per trust store version (./pki/trust.ts); per event remain the hashes and
 * one RSA verification.
 */
export function checkSignedEvent(event: CaseEvent, signature: Buffer, trust: TrustStore): { ok: true; signer: EventSigner } | { ok: false; reason: EventRefusal; algorithm?: string } {
  const { canonical, hashOk } = canonicalAsHashed(event);
  if (!hashOk) return { ok: false, reason: 'hash_mismatch' };
  let parsed;
  try {
    parsed = verifyDetached(canonical, signature);
  } catch (error) {
    if (error instanceof UnsupportedAlgorithmError) return { ok: false, reason: 'unsupported_algorithm', algorithm: error.algorithm };
    if (error instanceof CmsFormatError) return { ok: false, reason: 'signature_invalid' };
    throw error;
  }
  const cert = parsed.signer;
  if (!cert || !parsed.contentIntact || !parsed.signatureValid) return { ok: false, reason: 'signature_invalid' };
  const at = parsed.signingTime ?? new Date();
  if (!chainValidAt(cert, parsed.carried, trust, at) || !validAt(cert, at)) return { ok: false, reason: 'signer_untrusted' };
  if (isRevoked(cert, trust)) return { ok: false, reason: 'signer_revoked' };
  const signer = { iin: cert.iin, roles: [...cert.roles], bin: cert.bin, certSha256: cert.sha256 };
  // The actor's role is the office's staff register's to decide (shared/contract/staff-protocol.ts), not the certificate's.
  if (signer.certSha256 !== event.actor.certSha256 || signer.iin !== event.actor.iin) return { ok: false, reason: 'signer_mismatch' };
  return { ok: true, signer };
}
