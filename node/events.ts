/** Event hashes and signed events: the Node half of shared/events (SHA-256 and the actor's CMS signature). */
import { createHash } from 'node:crypto';
import { eventCanonical, type CaseEvent, type EventActor } from '../shared/events/event';
import { canonicalJson } from '../shared/text';
import type { SignOptions } from './pki/cms';

/** Signs content with the actor's key: a detached CMS (CAdES-BES); `options.pades` for the CMS inside a PDF. */
export type ActSigner = (content: Buffer, options?: SignOptions) => Buffer;

/** SHA-256, hex. */
export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The event's hash: SHA-256 of its canonical form. */
export function eventHash(e: Omit<CaseEvent, 'hash'>): string {
  return sha256Hex(eventCanonical(e));
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
