/**
 * "Verify case": every event re-hashed, the hash chain followed, every CMS signature verified against the
 * workstation's trust store (chain, validity at signing time, key usage, revocation), the signer's role checked
 * against the catalogue, each payload against its schema, and the log cross-checked with the current-state
 * tables both ways (the case's version and head hash, every page, document, deadline and journal row). Each
 * problem is named.
 */
import type { CaseVerification } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { canonicalJson } from '../../shared/text';
import { DomainError } from '../../shared/domain/errors';
import { FORM_ACTS, type SignedAct } from '../../shared/domain/acts';
import { EVENT_CATALOGUE, isEventType } from '../../shared/events/catalogue';
import { projectEvent, type CaseProjection } from '../../shared/events/projection';
import { caseLog, legacyFacts, toCaseEvent, type EventRow } from '../../db/repositories/events';
import { expectedRows, storedRows, PROJECTION_TABLES, PROJECTION_KEYS } from '../../db/repositories/projection';
import { answerSignature } from '../../db/repositories/is-requests';
import { pageSignature } from './pages';
import { readBlob, sha256Hex } from './blob-store';
import { openEnvelope } from './information-systems';
import type { ServicesContext } from './context';
import { canonicalAsHashed } from '../../node/events';
import { CmsFormatError } from '../../node/pki/cms';
import { verifySignature, type Verdict } from '../../node/pki/verdict';
import { registerRolesOf } from './staff';
import { requestProblems } from './center';
import { keep, problemsUpTo, reusable } from './verified-cache';

/** Events that name a stored, separately signed document: a captured page, or any event carrying a form. */
const namesDocument = (row: EventRow) => row.type === 'page.captured' || (JSON.parse(row.payload) as { form?: string }).form !== undefined;

/**
 * `sinceSeq` > 0: only what is new since the last check is checked, as when a case just changed on screen. What
 * the last check found of the events up to it is kept (verified-cache.ts) with the trust store's version; the
 * case is projected on from its state there, so a new event is judged on the case as it was. A changed trust
 * store, or a log that no longer has the event the last check ended on, makes it a full check. Hashes, the chain
 * and the tables are always checked whole; the answer is always the whole case's verification.
 */
export function verifyCase(ctx: ServicesContext, caseId: string, sinceSeq = 0): CaseVerification {
  const rows = caseLog(ctx.db, caseId);
  const tables = storedRows(ctx.db, caseId);
  if (rows.length === 0 && tables.cases.length === 0) throw new AppError('not_found');
  const trust = ctx.trust();
  const rolesOf = registerRolesOf(ctx);
  const kept = reusable(ctx, caseId, sinceSeq, trust, (seq) => rows[seq - 1]?.hash ?? null);
  const from = kept?.seq ?? 0;
  const keptEvents = new Map((kept?.verification.events ?? []).map((e) => [e.seq, e]));
  const problems: string[] = kept ? problemsUpTo(kept.verification.problems, from) : [];
  let previousHash: string | null = null;
  const legacy = legacyFacts(ctx.db);
  let state: CaseProjection | null = kept?.state ?? null;
  let projectable = kept ? kept.state !== null : true;

  const events = rows.map((row, i) => {
    const { canonical, hashOk } = canonicalAsHashed(toCaseEvent(row));
    const chainOk = row.seq === i + 1 && row.prev_hash === previousHash;
    previousHash = row.hash;
    if (!hashOk) problems.push(`event:${row.seq}:hash_mismatch`);
    if (!chainOk) problems.push(`event:${row.seq}:chain_broken`);
    if (!row.signature) problems.push(`event:${row.seq}:not_signed`);
    const before = row.seq <= from ? keptEvents.get(row.seq) : undefined;
    // Checked before, in this trust store: its verdict stands, and the case was projected past it.
    if (before) return { ...before, hashOk, chainOk };
    let signature: Verdict | null = null;
    if (row.signature) {
      try {
        signature = verifySignature(canonical, Buffer.from(row.signature), trust, undefined, undefined, rolesOf);
      } catch (error) {
        if (!(error instanceof CmsFormatError)) throw error;
        signature = { valid: false, signer: null, signingTime: null, errors: ['signature_invalid'] };
      }
      for (const e of signature.errors) problems.push(`event:${row.seq}:signature:${e}`);
    }
    const allowed: readonly string[] = isEventType(row.type) ? EVENT_CATALOGUE[row.type].roles : [];
    const signerRole = signature?.signer?.role ?? null;
    const roleAllowed = signerRole !== null && allowed.includes(signerRole) && signature?.signer?.iin === row.actor_iin;
    if (signature && !roleAllowed) problems.push(`event:${row.seq}:role_not_allowed`);
    // The catalogue's own checks (type, payload schema, stage), by projecting the event as the commit path did.
    if (projectable) {
      try {
        state = projectEvent(state, toCaseEvent(row), legacy);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push(`event:${row.seq}:${error.code}`);
        projectable = false;
      }
    }
    return { seq: row.seq, type: row.type, hashOk, chainOk, signature, roleAllowed };
  });
  const caseState = projectable ? state : null;

  // The log against the current-state tables, both ways: a row the log does not explain, or one it lacks. Of the
  // case row, its version and head hash: what says which events the tables stand on.
  if (caseState) {
    const want = expectedRows(caseState);
    const head = (r: Record<string, unknown>) => ({ id: r.id, version: r.version, head_hash: r.head_hash });
    want.cases = want.cases.map(head);
    tables.cases = tables.cases.map(head);
    for (const t of PROJECTION_TABLES) {
      const key = (r: Record<string, unknown>) => PROJECTION_KEYS[t].split(', ').map((k) => String(r[k])).join('/');
      const have = new Map(tables[t].map((r) => [key(r), canonicalJson(r)]));
      const expected = new Map(want[t].map((r) => [key(r), canonicalJson(r)]));
      for (const [k, v] of expected) {
        if (!have.has(k)) problems.push(`projection:${t}:${k}:missing`);
        else if (have.get(k) !== v) problems.push(t === 'cases' ? `projection:cases:${caseDifference(JSON.parse(have.get(k)!), JSON.parse(v))}` : `projection:${t}:${k}:differs`);
      }
      for (const k of have.keys()) if (!expected.has(k)) problems.push(`projection:${t}:${k}:not_in_log`);
    }
  } else if (rows.length === 0) problems.push('log:empty');

  // Every page ever captured and every form issued (removed or replaced pages too: the log names them), each
  // re-hashed and its own signature checked for the act it certifies.
  const recent = rows.filter((row) => row.seq > from);
  const stored = recent.filter(namesDocument).map((row) => {
    const p = JSON.parse(row.payload) as { pageId?: string; form?: string; blob: string; signature: string };
    const act: SignedAct = row.type === 'page.captured' ? 'page.certified' : (FORM_ACTS[p.form as keyof typeof FORM_ACTS] ?? 'decision');
    const { blobOk, signature } = pageSignature(ctx, { blob: p.blob, signature: p.signature }, trust, act, rolesOf);
    const what = row.type === 'page.captured' ? 'page' : 'document';
    if (!blobOk) problems.push(`${what}:${row.seq}:blob_changed_or_missing`);
    for (const e of signature?.errors ?? []) problems.push(`${what}:${row.seq}:signature:${e}`);
    return { row, p, blobOk, signature };
  });
  const pages = [...(kept?.verification.pages ?? []), ...stored.filter((s) => s.row.type === 'page.captured').map((s) => ({ pageId: s.p.pageId!, seq: s.row.seq, blobOk: s.blobOk, signature: s.signature }))];
  const documents = [...(kept?.verification.documents ?? []), ...stored.filter((s) => s.row.type !== 'page.captured').map((s) => ({ form: s.p.form ?? s.row.type, seq: s.row.seq, blobOk: s.blobOk, signature: s.signature }))];
  // Every information-system answer an act rested on: its bytes re-hashed and the gateway's signature checked.
  for (const row of recent) {
    const named = JSON.parse(row.payload) as { answer?: string; answerSignature?: string };
    const answerSha = named.answer;
    if (!answerSha) continue;
    // The gateway's signature: named by the event since sync, else found with the request that asked.
    const signatureSha = named.answerSignature ?? answerSignature(ctx.db, answerSha);
    const bytes = readBlob(ctx.dataDir, answerSha);
    const signature = signatureSha ? readBlob(ctx.dataDir, signatureSha) : null;
    if (!bytes || !signature || sha256Hex(bytes) !== answerSha) {
      problems.push(`answer:${row.seq}:blob_changed_or_missing`);
      continue;
    }
    try {
      openEnvelope(ctx, { answer: bytes.toString('utf8'), signature: signature.toString('base64') });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push(`answer:${row.seq}:${error.code}`);
    }
  }
  // The Center's electronic requests: each act and its signature, every blob it names.
  problems.push(...requestProblems(ctx, recent, trust));
  const unique = [...new Set(problems)];
  const verification: CaseVerification = { caseId, valid: unique.length === 0 && rows.length > 0, events, pages, documents, problems: unique, checkedFrom: from };
  const last = rows[rows.length - 1];
  if (last) keep(ctx, caseId, { seq: last.seq, headHash: last.hash, verification, state: caseState }, trust);
  return verification;
}

/** Which of the case row's log-derived columns differ (version, head hash, stage…). */
function caseDifference(have: Record<string, unknown>, want: Record<string, unknown>): string {
  const cols = Object.keys(want).filter((k) => JSON.stringify(have[k]) !== JSON.stringify(want[k]));
  return cols.map((c) => `${c}:differs`).join(',');
}
