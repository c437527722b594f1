/**
 * Is this paper genuine? The QR code printed on every form (JARDEM:<case number>:<verification code>) checked
 * offline against what this workstation stores: the case and the code exist, the stored copy is whole, its
 * signature is valid on this workstation's trust store (revoked signers included), and whether a later copy of
 * the same form replaced it. A dropped PDF is compared with the stored copy byte for byte, and a detached .p7s
 * given with it is checked on the same trust store.
 */
import { documentsOfCaseNumber } from '../../../db/repositories/documents';
import { readWorkstation } from '../../../db/repositories/settings';
import { sha256Hex } from '../../../node/events';
import { verifySignature } from '../../../node/pki/verdict';
import type { FormVerdict, FormVerification } from '../../../shared/contract/areas/paper';
import { readBlob } from '../blob-store';
import type { ServicesContext } from '../context';

export type { FormVerdict, FormVerification };

const QR = /^JARDEM:([A-Z0-9-]+):([A-Z0-9]+)$/;

function empty(verdict: FormVerdict, caseNumber: string | null = null, code: string | null = null): FormVerification {
  return { verdict, caseNumber, verificationCode: code, form: null, issuedAt: null, signer: null, signingTime: null, signatureErrors: [], supersededBy: null, sameAsIssued: null, detached: null };
}

export function verifyFormCode(ctx: Pick<ServicesContext, 'db' | 'dataDir' | 'trust'>, qrText: string, given: { pdf?: Buffer; p7s?: Buffer } = {}): FormVerification {
  const m = QR.exec(qrText.trim());
  if (!m) return empty('not_jardem');
  const [, caseNumber, code] = m as unknown as [string, string, string];
  const docs = documentsOfCaseNumber(ctx.db, caseNumber);
  const mine = readWorkstation(ctx.db)?.officeCode;
  // A case number starts with its office's code: another office's paper is said to be so, not "unknown".
  if (docs.length === 0) return empty(mine && !caseNumber.startsWith(`${mine}-`) ? 'other_office' : 'unknown_code', caseNumber, code);
  const doc = docs.find((d) => d.verification_code === code);
  if (!doc) return empty('unknown_code', caseNumber, code);
  const later = docs.filter((d) => d.form === doc.form && d.event_seq > doc.event_seq).at(-1);
  const base: FormVerification = {
    ...empty('genuine', doc.case_number, code),
    form: doc.form,
    issuedAt: doc.issued_at,
    supersededBy: later ? { issuedAt: later.issued_at, verificationCode: later.verification_code } : null,
  };
  const pdf = readBlob(ctx.dataDir, doc.blob_sha256);
  const p7s = readBlob(ctx.dataDir, doc.signature_sha256);
  if (!pdf || !p7s || sha256Hex(pdf) !== doc.blob_sha256 || sha256Hex(p7s) !== doc.signature_sha256) return { ...base, verdict: 'stored_copy_damaged' };
  const trust = ctx.trust();
  const v = verifySignature(pdf, p7s, trust);
  const sameAsIssued = given.pdf ? sha256Hex(given.pdf) === doc.blob_sha256 : null;
  const detached = given.pdf && given.p7s ? (({ valid, errors }) => ({ valid, errors: errors as string[] }))(verifySignature(given.pdf, given.p7s, trust)) : null;
  const verdict: FormVerdict = v.valid ? 'genuine' : v.errors.includes('revoked') ? 'signer_revoked' : 'signature_invalid';
  return { ...base, verdict, signer: v.signer, signingTime: v.signingTime, signatureErrors: v.errors, sameAsIssued, detached };
}
