/**
 * What the two ways of applying a push share: the device a push comes from, the options, the facts of the past an
 * old event carries, the events that open a case, and each event's signature verdict (checked before any
 * transaction, so no row lock waits on a signature check).
 */
import type { LegacyFacts } from '../../../shared/events/projection';
import { wireEventProblem, type RefusalReason, type WireEvent } from '../../../shared/contract/sync-protocol';
import { verifyOnPool } from '../../../node/verify-pool';
import { rolesHeld, type StaffEntry } from '../../../shared/contract/staff-protocol';
import { officeDateOf } from '../../../shared/local-date';
import type { TrustStore } from '../../../node/pki/keyfile';

export interface Device {
  officeCode: string;
  workstationCode: string;
  certSha256: string;
  /** The BIN of the device's office, from the offices table. */
  bin: string;
  /** The device's clock minus the server's, measured on this request (the clock flags); absent: read the stored one. */
  clockOffsetMs?: number | null;
  /** The number of the office's latest staff act at this request (absent: read the register). */
  staffHead?: number;
}

/**
 * `skipSignatures`: for the benchmark that measures the share of the signature checks only (never set by the
 * server's command line).
 */
export interface ApplyOptions {
  skipSignatures?: boolean;
  /** The server's clock (the flags of an act are measured against it). */
  now?: () => Date;
}

/** The facts of the past an event written before the catalogue brought with it. */
export function legacyOf(e: WireEvent): LegacyFacts {
  return {
    createdAt: () => e.legacy?.createdAt,
    due: (_caseId, deadline, startedOn) => e.legacy?.dues?.find((d) => d.deadline === deadline && d.startedOn === startedOn)?.due,
  };
}

/**
 * A push this small is a person's act just made (a catch-up after a day offline is longer): it is verified on the
 * request's thread and its runs go first, in a batch of their own.
 */
export const SMALL_PUSH = 4;

/** The events that open a case: a second open case of the same applicant's IIN is a same-family conflict. */
export const OPENING = new Set(['intake.registered', 'center.intake_registered']);
export const CLOSED_STAGES = ['closed', 'refused_to_accept'];

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason; params: Record<string, string | number> };

/**
 * Each event's signature checked once, before any transaction, on the verification threads (./verify-pool.ts): its
 * hash and CMS (chain to the trusted root, the CRL, the certificate being the actor's); then here the signer being
 * staff of the device's office, and holding the actor's role in that office's staff register on the act's day. An
 * event whose contents are not what they claim gets no verdict (the apply refuses it for that first).
 */
export async function verifyPush(events: readonly WireEvent[], device: Device, trust: TrustStore, opts: ApplyOptions, register: readonly Pick<StaffEntry, 'iin' | 'role' | 'from' | 'to'>[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const seen = new Set<string>();
  const checked = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
  if (opts.skipSignatures) return new Map(checked.filter((e) => !wireEventProblem(e)).map((e) => [e.id, { ok: true }]));
  const signed = await verifyOnPool(checked, trust, { here: events.length <= SMALL_PUSH });
  checked.forEach((e, i) => {
    const s = signed[i]!;
    if (!s.ok && s.contents) return;
    if (!s.ok) verdicts.set(e.id, { ok: false, reason: s.reason, params: s.algorithm ? { algorithm: s.algorithm } : {} });
    else if (s.bin !== device.bin) verdicts.set(e.id, { ok: false, reason: 'other_office', params: { bin: s.bin } });
    else if (!(rolesHeld(register, e.actor.iin, officeDateOf(e.at)) as string[]).includes(e.actor.role)) verdicts.set(e.id, { ok: false, reason: 'no_role', params: { role: e.actor.role, day: officeDateOf(e.at) } });
    else verdicts.set(e.id, { ok: true });
  });
  return verdicts;
}
