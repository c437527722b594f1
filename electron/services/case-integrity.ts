/**
 * "Verify case": every event re-hashed, the hash chain followed, every CMS signature verified against the
 * workstation's trust store (chain, validity at signing time, key usage, revocation), and the signer's role
 * checked against the workflow's table of who may make each event. Each problem is named.
 */
import type { CaseVerification } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { transitionsOf } from '../../shared/domain/workflow';
import { CASE_RECORDS, FORM_ACTS, type SignedAct } from '../../shared/domain/acts';

/** Events that name a stored, separately signed document: a captured page, or any event carrying a form. */
const namesDocument = (row: EventRow) => row.type === 'page.captured' || (JSON.parse(row.payload) as { form?: string }).form !== undefined;
import { pageSignature } from './pages';
import { readBlob, sha256Hex } from './blob-store';
import { openEnvelope } from './information-systems';
import type { EventRow } from '../../db/repositories/cases';
import type { ServicesContext } from './context';
import { eventCanonical, hashCanonical } from './cases';
import { CmsFormatError } from './pki/cms';
import { verifySignature, type Verdict } from './pki/verdict';

export function verifyCase(ctx: ServicesContext, caseId: string): CaseVerification {
  const found = ctx.db.prepare('SELECT rules_version FROM cases WHERE id = ?').get(caseId) as { rules_version: string } | undefined;
  if (!found) throw new AppError('not_found');
  const transitions = transitionsOf(found.rules_version);
  const rows = ctx.db.prepare('SELECT * FROM case_events WHERE case_id = ? ORDER BY seq').all(caseId) as EventRow[];
  const trust = ctx.trust();
  const problems: string[] = [];
  let previousHash: string | null = null;

  const events = rows.map((row, i) => {
    const canonical = Buffer.from(eventCanonical(row), 'utf8');
    const hashOk = hashCanonical(canonical) === row.hash;
    const chainOk = row.seq === i + 1 && row.prev_hash === previousHash;
    previousHash = row.hash;
    let signature: Verdict | null = null;
    if (!row.signature) problems.push(`event:${row.seq}:not_signed`);
    else {
      try {
        signature = verifySignature(canonical, Buffer.from(row.signature), trust);
      } catch (error) {
        if (!(error instanceof CmsFormatError)) throw error;
        signature = { valid: false, signer: null, signingTime: null, errors: ['signature_invalid'] };
      }
      for (const e of signature.errors) problems.push(`event:${row.seq}:signature:${e}`);
    }
    const allowed = transitions.find((t) => t.event === row.type)?.roles ?? CASE_RECORDS[row.type as keyof typeof CASE_RECORDS] ?? [];
    const signerRole = signature?.signer?.role ?? null;
    const roleAllowed = signerRole !== null && (allowed as readonly string[]).includes(signerRole) && signature?.signer?.iin === row.actor_iin;
    if (!hashOk) problems.push(`event:${row.seq}:hash_mismatch`);
    if (!chainOk) problems.push(`event:${row.seq}:chain_broken`);
    if (signature && !roleAllowed) problems.push(`event:${row.seq}:role_not_allowed`);
    return { seq: row.seq, type: row.type, hashOk, chainOk, signature, roleAllowed };
  });
  // Every page ever captured and every form issued (removed or replaced pages too: the log names them), each
  // re-hashed and its own signature checked for the act it certifies.
  const stored = rows
    .filter(namesDocument)
    .map((row) => {
      const p = JSON.parse(row.payload) as { pageId?: string; form?: string; blob: string; signature: string };
      const act: SignedAct = row.type === 'page.captured' ? 'page.certified' : (FORM_ACTS[p.form as keyof typeof FORM_ACTS] ?? 'decision');
      const { blobOk, signature } = pageSignature(ctx, { blob_sha256: p.blob, signature_sha256: p.signature }, trust, act);
      const what = row.type === 'page.captured' ? 'page' : 'document';
      if (!blobOk) problems.push(`${what}:${row.seq}:blob_changed_or_missing`);
      for (const e of signature?.errors ?? []) problems.push(`${what}:${row.seq}:signature:${e}`);
      return { row, p, blobOk, signature };
    });
  const pages = stored.filter((s) => s.row.type === 'page.captured').map((s) => ({ pageId: s.p.pageId!, seq: s.row.seq, blobOk: s.blobOk, signature: s.signature }));
  const documents = stored.filter((s) => s.row.type !== 'page.captured').map((s) => ({ form: s.p.form ?? s.row.type, seq: s.row.seq, blobOk: s.blobOk, signature: s.signature }));
  // Every information-system answer an act rested on: its bytes re-hashed and the gateway's signature checked.
  for (const row of rows) {
    const answerSha = (JSON.parse(row.payload) as { answer?: string }).answer;
    if (!answerSha) continue;
    const stored = ctx.db.prepare('SELECT signature_sha256 AS s FROM is_requests WHERE answer_sha256 = ?').get(answerSha) as { s: string } | undefined;
    const bytes = readBlob(ctx.dataDir, answerSha);
    const signature = stored ? readBlob(ctx.dataDir, stored.s) : null;
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
  return { caseId, valid: problems.length === 0 && events.length > 0, events, pages, documents, problems };
}
