/**
 * The sync protocol between a workstation and the central server (architecture.md, "Sync"), as zod schemas that
 * both sides parse with: blobs first (PUT by SHA-256), then events in order per case (push), and the office's
 * events after a cursor (pull). Every request carries the protocol version and is signed with the device key
 * (node/sync-auth.ts); the office and workstation come from the device certificate, never from a body.
 */
import { z } from 'zod';
import type { CaseEvent } from '../events/event';
import { checkPayload, deadlineIdSchema } from '../events/payloads';
import { calendarDay } from './calendar-day';

import { SYNC_PROTOCOL } from './protocol-version';

export { SYNC_PROTOCOL };

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const uuid = z.string().uuid();

/** An event on the wire: the stored event, its actor's detached CMS signature (base64), and facts of the past. */
export const wireEventSchema = z.object({
  id: uuid,
  caseId: uuid,
  seq: z.number().int().min(1),
  caseVersion: z.number().int().min(0),
  type: z.string().min(1).max(80),
  /** Its bound only: what the text must be (JSON, the catalogue's schema) is judged event by event (wireEventProblem). */
  payload: z.string().max(2_000_000),
  actor: z.object({ iin: z.string().regex(/^\d{12}$/), role: z.string().min(1).max(20), certSha256: sha256 }),
  at: z.string().min(10).max(40),
  prevHash: sha256.nullable(),
  hash: sha256,
  signature: z.string().min(1).max(100_000),
  /**
   * For an event written before the catalogue only: the facts its projection needs that it does not carry (the due
   * dates the old code counted, the case's creation time), as migration 8 froze them. Not signed. Here its bounds
   * only: what the facts must be (legacyFactsSchema) is judged event by event (wireEventProblem).
   */
  legacy: z
    .object({
      createdAt: z.string().max(40).optional(),
      dues: z.array(z.object({ deadline: z.string().max(60), startedOn: z.string().max(10), due: z.string().max(10) })).max(20).optional(),
    })
    .optional(),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

/**
 * The facts of the past as they must be: the deadlines the regulation names, due dates that are calendar days, a
 * creation time that is an instant. Not signed, so held to the same rules as what is: a workstation never sends
 * other facts (they are what its own migration froze), and the server never projects a case on invented ones.
 */
export const legacyFactsSchema = z
  .object({
    createdAt: z.iso.datetime({ offset: true }).optional(),
    dues: z.array(z.object({ deadline: deadlineIdSchema, startedOn: calendarDay, due: calendarDay }).strict()).max(20).optional(),
  })
  .strict();

/**
 * What is wrong with a wire event's contents, judged event by event (one that is wrong is refused alone, with the
 * reason and the field, and the others of its push go on): its type, its payload (shared/events/payloads.ts
 * checkPayload: JSON, then the catalogue's schema) and its facts of the past. The server calls it before anything
 * reads the event (its hash is computed over the parsed payload), and so does a workstation for each pulled event.
 */
export function wireEventProblem(e: Pick<WireEvent, 'type' | 'payload' | 'legacy'>): { reason: 'unknown_type' | 'payload_invalid'; params: Record<string, string> } | null {
  const payload = checkPayload(e.type, e.payload);
  if (!payload.ok) return payload.code === 'event.unknown_type' ? { reason: 'unknown_type', params: payload.params } : { reason: 'payload_invalid', params: payload.params };
  if (e.legacy === undefined) return null;
  const legacy = legacyFactsSchema.safeParse(e.legacy);
  if (legacy.success) return null;
  return { reason: 'payload_invalid', params: { type: e.type, path: ['legacy', ...(legacy.error.issues[0]?.path ?? [])].map(String).join('.') } };
}

/** The event a wire event carries (without its signature and facts of the past). */
export function eventOfWire(e: WireEvent): CaseEvent {
  return { id: e.id, caseId: e.caseId, seq: e.seq, caseVersion: e.caseVersion, type: e.type, payload: e.payload, actor: { iin: e.actor.iin, role: e.actor.role, certSha256: e.actor.certSha256 }, at: e.at, prevHash: e.prevHash, hash: e.hash };
}

/**
 * `replace`: this device explicitly replaces the one enrolled for its workstation code (set up again after a disk
 * loss): the server retires the old device, which is refused from its next request, and answers the highest numbers
 * the code issued. Without it, a second device for an active workstation code is refused (sync.device_taken).
 */
export const enrolRequestSchema = z.object({ protocol: z.literal(SYNC_PROTOCOL), certsPem: z.string().min(100).max(20_000), replace: z.boolean().optional() });
export interface EnrolResponse {
  protocol: number;
  officeCode: string;
  workstationCode: string;
  serverTime: string;
  /** The highest numbers the server holds for this workstation's codes: a re-enrolled workstation continues above them. */
  highestNumbers: { scope: string; last: number }[];
}

export const missingBlobsRequestSchema = z.object({ protocol: z.literal(SYNC_PROTOCOL), sha256: z.array(sha256).max(2000) });
/** Blobs asked for in one answer (server/src/sync/blob-batch.ts frames them); a few dozen scans at most. */
export const BLOB_BATCH_MAX = 64;
export const blobBatchRequestSchema = z.object({ protocol: z.literal(SYNC_PROTOCOL), sha256: z.array(sha256).min(1).max(BLOB_BATCH_MAX) });
export interface MissingBlobsResponse {
  missing: string[];
}

export const pushRequestSchema = z.object({ protocol: z.literal(SYNC_PROTOCOL), events: z.array(wireEventSchema).min(1).max(500) });

/** Why the server refused an event: a stable code (a message key `sync.refused.<code>` in kk, ru and en). */
export const REFUSAL_REASONS = [
  'unknown_type',
  'payload_invalid',
  'signature_invalid',
  'signer_untrusted',
  'signer_revoked',
  'signer_mismatch',
  'unsupported_algorithm',
  'role_not_allowed',
  'no_role',
  'other_office',
  'hash_mismatch',
  'chain_broken',
  'conflict',
  'not_allowed_now',
  'blob_missing',
  'case_unknown',
  'after_refusal',
  'after_conflict',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * Device clocks are metadata: the server orders by its own sequence. An act whose signed
 * time lies further than this from the server's clock is flagged for a person, never changed.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * Flags on an act, set by the server at push (kept with the event, returned in the push's result and every pull):
 * - clock_ahead: dated later than the server's clock at receipt (also after correcting by the device's measured
 *   offset) by more than the tolerance: an act cannot be made in the future;
 * - clock_skewed: the device's clock was off from the server's by more than the tolerance when it sent the act;
 * - before_previous: dated before the case's previous act in the server's line.
 */
export const EVENT_FLAGS = ['clock_ahead', 'clock_skewed', 'before_previous'] as const;
export type EventFlag = (typeof EVENT_FLAGS)[number];

/** The flags an act gets: pure, so the rule is one and tested alone. */
export function flagsOf(act: { at: string }, ctx: { serverNow: number; deviceOffsetMs: number | null; previousAt: string | null }): EventFlag[] {
  const at = Date.parse(act.at);
  const flags: EventFlag[] = [];
  const offset = ctx.deviceOffsetMs ?? 0;
  if (at - ctx.serverNow > CLOCK_TOLERANCE_MS || at - offset - ctx.serverNow > CLOCK_TOLERANCE_MS) flags.push('clock_ahead');
  if (Math.abs(offset) > CLOCK_TOLERANCE_MS) flags.push('clock_skewed');
  if (ctx.previousAt !== null && at < Date.parse(ctx.previousAt)) flags.push('before_previous');
  return flags;
}

/** Two signed acts that cannot both be in a case's line: a same version taken twice, or the same family opened twice. */
export type ConflictKind = 'same_version' | 'same_family';

/**
 * A conflict as the server keeps it and every workstation of the office pulls it: the losing act(s) with their
 * signatures (each workstation verifies them before it keeps them), the act holding the place (same_version: in
 * the case's line; same_family: the other case's opening act) and whether a person resolved it (by which event).
 */
export interface WireConflict {
  id: string;
  kind: ConflictKind;
  caseId: string;
  /** same_family: the other open case of the same applicant. */
  otherCaseId: string | null;
  holdingEventId: string;
  losing: WireEvent[];
  status: 'open' | 'resolved';
  resolvedBy: string | null;
  resolution: string | null;
  detectedAt: string;
}
export interface PulledConflict extends WireConflict {
  serverSeq: number;
}

export interface PushResult {
  id: string;
  /**
   * applied: now in the case's line, with the server's order; duplicate: it was already (a replay, acknowledged);
   * refused: never applied, with the stored reason; conflict: another workstation's act holds its place (stored).
   */
  status: 'applied' | 'duplicate' | 'refused' | 'conflict';
  serverSeq?: number;
  reason?: RefusalReason;
  params?: Record<string, string | number>;
  /** applied or duplicate: the flags the server gave the act (none: absent or empty). */
  flags?: EventFlag[];
  /** conflict: the conflict the act is kept in on the server. */
  conflictId?: string;
}
export interface PushResponse {
  protocol: number;
  serverTime: string;
  results: PushResult[];
}

export interface PulledEvent extends WireEvent {
  serverSeq: number;
  flags?: EventFlag[];
}
export interface PullResponse {
  protocol: number;
  serverTime: string;
  /** Opaque to the workstation, monotonic: the next pull starts after it. */
  cursor: string;
  events: PulledEvent[];
  /**
   * The office's conflicts, new or resolved since the cursor: numbered in the same sequence as the events, so the
   * one cursor carries both (a resolved conflict comes again with a new number).
   */
  conflicts?: PulledConflict[];
  more: boolean;
  /** The office's last number when the page was read: how far a long first sync has to go (its progress). */
  head?: string;
}

/** A typed error from the server: `{error: {code, params}}`, with an HTTP status of 4xx. */
export interface ServerError {
  error: { code: string; params?: Record<string, string | number> };
}

/** A blob is named by its SHA-256 in lower-case hex; the same anywhere in a text. */
const BLOB_NAME = /^[0-9a-f]{64}$/;
const BLOB_NAME_IN_TEXT = /[0-9a-f]{64}/;

/** The blob hashes an event's payload names (scans, forms, thumbnails, signatures, information-system answers). */
export function blobsNamed(payload: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (BLOB_KEYS.has(key) && BLOB_NAME.test(v)) out.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(payload, '');
  return [...out];
}
const BLOB_KEYS = new Set(['blob', 'signature', 'thumbnail', 'answer', 'answerSignature', 'act', 'actSignature']);

/**
 * Whether a payload's JSON text may name a blob (blobsNamed of it may find one): JSON writes a blob's name as it is
 * unless escaped, so a text with neither 64 hex digits in a row nor a \u escape names none, and need not be parsed
 * to find out.
 */
export const textMayNameBlob = (payload: string): boolean => payload.includes('\\u') || BLOB_NAME_IN_TEXT.test(payload);
