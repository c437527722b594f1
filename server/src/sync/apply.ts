/**
 * Applying pushed events. Each event, in its own transaction on its office's rows only, is applied at most once (by
 * event id: a replay is acknowledged, not applied again), after the checks the workstation's commit path makes and
 * more: its hash and CMS signature (chain to the trusted root, the CRL, the certificate being the actor's), the
 * signer's office, the hash chain, and that the catalogue allows it from the case version it names (the same pure
 * projection the workstation runs). The server assigns the order; device clocks are metadata. A refused event gets
 * a stored reason and never blocks another case.
 */
import { DomainError } from '../../../shared/domain/errors';
import { isEventType } from '../../../shared/events/catalogue';
import { projectEvent, type CaseProjection, type LegacyFacts } from '../../../shared/events/projection';
import { blobsNamed, eventOfWire, type PushResult, type RefusalReason, type WireEvent } from '../../../shared/contract/sync-protocol';
import { parseNumber, sequenceScope } from '../../../shared/numbers';
import { checkSignedEvent } from '../../../node/events';
import type { TrustStore } from '../../../node/pki/keyfile';
import { isUniqueViolation, type Queryable, type Store } from '../store';

export interface Device {
  officeCode: string;
  workstationCode: string;
  certSha256: string;
  /** The BIN of the device's office, from the offices table. */
  bin: string;
}


/** The facts of the past an event written before the catalogue brought with it. */
function legacyOf(e: WireEvent): LegacyFacts {
  return {
    createdAt: () => e.legacy?.createdAt,
    due: (_caseId, deadline, startedOn) => e.legacy?.dues?.find((d) => d.deadline === deadline && d.startedOn === startedOn)?.due,
  };
}

class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly params: Record<string, string | number> = {},
    readonly conflict = false,
  ) {
    super(reason);
  }
}

const FROM_CATALOGUE: Record<string, RefusalReason> = {
  'event.unknown_type': 'unknown_type',
  'event.payload_invalid': 'payload_invalid',
  'event.role_not_allowed': 'role_not_allowed',
  'event.stale_version': 'conflict',
  'event.case_exists': 'conflict',
  'event.chain_broken': 'chain_broken',
  'event.case_missing': 'case_unknown',
};

/**
 * `skipSignatures`: for the benchmark that measures the share of the signature checks only (never set by the
 * server's command line).
 */
export interface ApplyOptions {
  skipSignatures?: boolean;
}

async function applyOne(store: Store, device: Device, trust: TrustStore, e: WireEvent, opts: ApplyOptions): Promise<PushResult> {
  return store.transaction(async (tx) => {
    const office = device.officeCode;
    const seen = await tx.query<{ server_seq: number }>('SELECT server_seq FROM events WHERE office_code = $1 AND id = $2', [office, e.id]);
    if (seen.length > 0) return { id: e.id, status: 'duplicate', serverSeq: Number(seen[0]!.server_seq) };
    if (!isEventType(e.type)) throw new Refusal('unknown_type', { type: e.type });
    const event = eventOfWire(e);
    if (!opts.skipSignatures) {
      const signed = checkSignedEvent(event, Buffer.from(e.signature, 'base64'), trust);
      if (!signed.ok) throw new Refusal(signed.reason);
      // The act was signed by staff of this office.
      if (signed.signer.bin !== device.bin) throw new Refusal('other_office', { bin: signed.signer.bin });
    }
    const row = await tx.query<{ state: string }>('SELECT state FROM cases WHERE office_code = $1 AND case_id = $2 FOR UPDATE', [office, e.caseId]);
    // The same event pushed twice at once (a workstation restarted while its first push is still being applied)
    // may have been committed by the other push while this one waited for the case's row: a replay, not a conflict.
    if (row[0]) {
      const meanwhile = await tx.query<{ server_seq: number }>('SELECT server_seq FROM events WHERE office_code = $1 AND id = $2', [office, e.id]);
      if (meanwhile.length > 0) return { id: e.id, status: 'duplicate', serverSeq: Number(meanwhile[0]!.server_seq) };
    }
    const state = row[0] ? (JSON.parse(row[0].state) as CaseProjection) : null;
    if (state && state.case.officeCode !== office) throw new Refusal('other_office', { office: state.case.officeCode });
    // Another workstation's act already holds this place in the case's line: a conflict, never merged.
    if (state && e.caseVersion < state.case.version) throw new Refusal('conflict', { version: state.case.version }, true);
    if ((state?.case.version ?? 0) < e.caseVersion) throw new Refusal('chain_broken', { version: state?.case.version ?? 0 });
    let next: CaseProjection;
    try {
      next = projectEvent(state, event, legacyOf(e));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const reason = FROM_CATALOGUE[error.code] ?? 'not_allowed_now';
      throw new Refusal(reason, { code: error.code, ...error.params }, reason === 'conflict');
    }
    if (next.case.officeCode !== office) throw new Refusal('other_office', { office: next.case.officeCode });
    const named = blobsNamed(JSON.parse(e.payload) as unknown);
    if (named.length > 0) {
      const have = await tx.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE office_code = $1 AND sha256 = ANY($2)', [office, named]);
      const missing = named.filter((s) => !have.some((h) => h.sha256 === s));
      if (missing.length > 0) throw new Refusal('blob_missing', { sha256: missing[0]! });
    }
    const seq = (await tx.query<{ last: number }>('INSERT INTO office_seq (office_code, last) VALUES ($1, 1) ON CONFLICT (office_code) DO UPDATE SET last = office_seq.last + 1 RETURNING last', [office]))[0]!.last;
    await tx.query(
      `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, legacy, device)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [office, seq, e.id, e.caseId, e.seq, e.caseVersion, e.type, e.payload, e.actor.iin, e.actor.role, e.actor.certSha256, e.at, e.prevHash, e.hash, Buffer.from(e.signature, 'base64'), e.legacy ? JSON.stringify(e.legacy) : null, `${device.officeCode}/${device.workstationCode}`],
    );
    await tx.query(
      `INSERT INTO cases (office_code, case_id, case_number, channel, stage, version, head_hash, applicant_iin, state, updated_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (office_code, case_id) DO UPDATE SET stage = excluded.stage, version = excluded.version, head_hash = excluded.head_hash, state = excluded.state, updated_seq = excluded.updated_seq`,
      [office, e.caseId, next.case.caseNumber, next.case.channel, next.case.stage, next.case.version, next.case.headHash, next.case.applicantIin, JSON.stringify(next), seq],
    );
    await recordNumbers(tx, office, [next.case.caseNumber, next.journal?.journalNumber, next.journal?.decisionNumber]);
    // Refused once (out of order, a blob not there yet), applied now: no longer a refusal.
    await tx.query('DELETE FROM refusals WHERE office_code = $1 AND event_id = $2', [office, e.id]);
    return { id: e.id, status: 'applied', serverSeq: Number(seq) };
  });
}

/** The highest number of each workstation's sequences (a re-enrolled workstation continues above them). */
async function recordNumbers(tx: Queryable, office: string, numbers: (string | null | undefined)[]) {
  for (const n of numbers) {
    const p = n ? parseNumber(n) : null;
    if (!p) continue;
    await tx.query('INSERT INTO number_highs (office_code, scope, last) VALUES ($1, $2, $3) ON CONFLICT (office_code, scope) DO UPDATE SET last = GREATEST(number_highs.last, excluded.last)', [
      office,
      sequenceScope(p.kind, p.office, p.workstation, p.year),
      p.seq,
    ]);
  }
}

/**
 * Applies a device's pushed events in order. After a case's event is refused, that case's later events in the push
 * are refused too (they were made on top of it); other cases go on.
 */
export async function applyPush(store: Store, device: Device, trust: TrustStore, events: readonly WireEvent[], opts: ApplyOptions = {}): Promise<PushResult[]> {
  const stopped = new Set<string>();
  const results: PushResult[] = [];
  for (const e of events) {
    if (stopped.has(e.caseId)) {
      results.push({ id: e.id, status: 'refused', reason: 'after_refusal' });
      continue;
    }
    let result: PushResult;
    try {
      try {
        result = await applyOne(store, device, trust, e, opts);
      } catch (error) {
        // Two instances applying the same event (a duplicated request) or two events of one new case at once: the
        // second finds what the first wrote when it tries again.
        if (!isUniqueViolation(error)) throw error;
        result = await applyOne(store, device, trust, e, opts);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      result = { id: e.id, status: error.conflict ? 'conflict' : 'refused', reason: error.reason, params: error.params };
      await store.query(
        `INSERT INTO refusals (office_code, event_id, case_id, reason, params, event, device) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (office_code, event_id) DO UPDATE SET reason = excluded.reason, params = excluded.params, received_at = now()`,
        [device.officeCode, e.id, e.caseId, error.reason, JSON.stringify(error.params), JSON.stringify(e), `${device.officeCode}/${device.workstationCode}`],
      );
    }
    if (result.status === 'refused' || result.status === 'conflict') stopped.add(e.caseId);
    results.push(result);
  }
  return results;
}
