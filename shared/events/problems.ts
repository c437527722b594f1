/**
 * What Verify case found, as a person reads it. Verify case names each problem by a stable code, `kind:seq:detail`
 * (electron/services/case-integrity.ts, and the Center's requests in electron/services/center.ts): what the code
 * names (a record of the case, a scanned page, a document, an information-system answer, an electronic request, the
 * case's current-state tables), the record it belongs to by its number, and what is wrong. This turns a code and
 * the case's records into a sentence of shared/i18n/parts/verification.ts: which record (its name from the event
 * catalogue's messages and its time in Almaty time), what is wrong, and what to do (whom to call). The code itself
 * stays beside the sentence for support. Pure: the renderer and the command line both use it.
 */
import { officeDateTime } from '../local-date';

/** A record of the case as the case view has it. */
export interface ProblemEvent {
  seq: number;
  type: string;
  at: string;
}

export interface ProblemMessage {
  /** A message key of shared/i18n/parts/verification.ts. */
  key: string;
  /** `act` and `reason` are message keys themselves (read with the `msg` format); `at` is in Almaty time. */
  params: Record<string, string | number>;
  /** The code as Verify case gave it, for support. */
  code: string;
}

/** The reasons a signature does not verify (node/pki/verdict.ts), each with its words in the catalogue (signature.*). */
const SIGNATURE_REASONS = new Set(['content_changed', 'signer_certificate_missing', 'signature_invalid', 'unknown_ca', 'revoked', 'expired', 'not_yet_valid', 'wrong_key_usage', 'no_role', 'wrong_role']);
/** The case's current-state tables (db/repositories/projection.ts), each named for a person. */
const TABLES = new Set(['cases', 'case_pages', 'case_members', 'case_documents', 'case_deadlines', 'journal', 'case_views']);

/** A record's problem (the catalogue's or the log's own) by its detail. */
function eventKey(detail: string): string {
  if (detail === 'hash_mismatch') return 'verification.event.changed';
  if (detail === 'not_signed') return 'verification.event.not_signed';
  if (['chain_broken', 'event.chain_broken', 'event.stale_version', 'event.case_exists', 'event.case_missing'].includes(detail)) return 'verification.event.out_of_line';
  if (['role_not_allowed', 'event.role_not_allowed', 'workflow.role_not_allowed'].includes(detail)) return 'verification.event.role';
  if (detail === 'event.payload_invalid') return 'verification.event.payload_invalid';
  if (detail === 'event.unknown_type') return 'verification.event.unknown_type';
  if (['event.page_exists', 'event.page_missing', 'event.deadline_missing'].includes(detail)) return 'verification.event.inconsistent';
  if (detail.startsWith('workflow.')) return 'verification.event.not_allowed';
  return 'verification.event.other';
}

const ANSWER: Record<string, string> = {
  blob_changed_or_missing: 'verification.answer.file',
  'is.answer_malformed': 'verification.answer.malformed',
  'is.answer_unsigned': 'verification.answer.unsigned',
  'is.answer_untrusted': 'verification.answer.untrusted',
};

/** The sentence for one problem code of Verify case, given the case's records. */
export function describeProblem(code: string, events: readonly ProblemEvent[]): ProblemMessage {
  const [kind = '', second = '', ...rest] = code.split(':');
  const detail = rest.join(':');
  if (code === 'log:empty') return { key: 'verification.log_empty', params: {}, code };
  if (kind === 'projection') return { key: 'verification.projection', params: { table: TABLES.has(second) ? `verification.table.${second}` : 'verification.table.other' }, code };
  const seq = Number(second);
  const event = Number.isInteger(seq) ? events.find((e) => e.seq === seq) : undefined;
  if (!['event', 'page', 'document', 'answer', 'request'].includes(kind) || !Number.isInteger(seq)) return { key: 'verification.unknown', params: {}, code };
  const params: Record<string, string | number> = {
    seq,
    act: event ? `event.${event.type}` : 'verification.unknown_act',
    at: event ? officeDateTime(event.at) : '—',
  };
  const signature = detail.startsWith('signature:') ? detail.slice('signature:'.length) : null;
  if (signature !== null) params.reason = SIGNATURE_REASONS.has(signature) ? `signature.${signature}` : 'signature.signature_invalid';
  switch (kind) {
    case 'event':
      return { key: signature !== null ? 'verification.event.signature' : eventKey(detail), params, code };
    case 'page':
    case 'document':
      if (signature !== null) return { key: `verification.${kind}.signature`, params, code };
      return { key: detail === 'blob_changed_or_missing' ? `verification.${kind}.file` : 'verification.event.other', params, code };
    case 'answer':
      return { key: ANSWER[detail] ?? 'verification.answer.other', params, code };
    default: {
      // request: the Center's electronic request (its act, its signature, the files it names).
      if (signature !== null) return { key: 'verification.request.signature', params, code };
      if (detail.startsWith('items_changed_or_missing')) return { key: 'verification.request.items', params: { ...params, count: Number(detail.split(':')[1] ?? 0) || 0 }, code };
      return { key: 'verification.request.act', params, code };
    }
  }
}

/**
 * Every problem of a verification as sentences, in the order found. A changed file also fails its signature's
 * content check: that second finding of the same record says nothing more and is left out of the sentences (its
 * code stays in the one shown).
 */
export function describeProblems(codes: readonly string[], events: readonly ProblemEvent[]): ProblemMessage[] {
  const changed = new Set(codes.flatMap((c) => (/^(page|document):\d+:blob_changed_or_missing$/.test(c) || /^event:\d+:hash_mismatch$/.test(c) ? [c.split(':').slice(0, 2).join(':')] : [])));
  return codes
    .filter((c) => !(c.endsWith(':signature:content_changed') && changed.has(c.split(':').slice(0, 2).join(':'))))
    .map((c) => describeProblem(c, events));
}
