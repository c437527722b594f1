/**
 * "Verify case": every event re-hashed, the hash chain followed, every CMS signature verified against the
 * workstation's trust store (chain, validity at signing time, key usage, revocation), and the signer's role
 * checked against the workflow's table of who may make each event. Each problem is named.
 */
import type { CaseVerification } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { transitionsOf } from '../../shared/domain/workflow';
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
    const allowed = transitions.find((t) => t.event === row.type)?.roles ?? [];
    const signerRole = signature?.signer?.role ?? null;
    const roleAllowed = signerRole !== null && (allowed as readonly string[]).includes(signerRole) && signature?.signer?.iin === row.actor_iin;
    if (!hashOk) problems.push(`event:${row.seq}:hash_mismatch`);
    if (!chainOk) problems.push(`event:${row.seq}:chain_broken`);
    if (signature && !roleAllowed) problems.push(`event:${row.seq}:role_not_allowed`);
    return { seq: row.seq, type: row.type, hashOk, chainOk, signature, roleAllowed };
  });
  return { caseId, valid: problems.length === 0 && events.length > 0, events, problems };
}
