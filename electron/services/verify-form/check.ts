/**
 * Is this paper genuine? The QR code printed on every form (JARDEM:<case number>:<verification code>) checked
 * offline against what this workstation stores: the case and the code exist, the stored copy is whole, its
 * signature is valid on this workstation's trust store (revoked signers included), and whether a later copy of
 * the same form replaced it or a later signed act made it no longer current (shared/domain/superseding.ts). A
 * dropped PDF is checked by the signature inside it (PAdES) and compared with the stored copy byte for byte, and a
 * detached .p7s given with it is checked on the same trust store.
 */
import { documentsOfCaseNumber } from '../../../db/repositories/documents';
import { eventsOfType } from '../../../db/repositories/events';
import { verifyDetached } from '../../../node/pki/cms';
import { subjectAttribute } from '../../../node/pki/certificate-info';
import { SUPERSEDING_ACT_TYPES, SUPERSEDING_ACTS, supersedes, type SupersedingAct } from '../../../shared/domain/superseding';
import { readWorkstation } from '../../../db/repositories/settings';
import { sha256Hex } from '../../../node/events';
import { verifySignature } from '../../../node/pki/verdict';
import type { FormVerdict, FormVerification, InsideSignature, SupersedingActInfo } from '../../../shared/contract/areas/paper';
import { readBlob } from '../blob-store';
import type { ServicesContext } from '../context';
import { verifyInsideSignature } from './inside-signature';

export type { FormVerdict, FormVerification };

const QR = /^JARDEM:([A-Z0-9-]+):([A-Z0-9]+)$/;

export function empty(verdict: FormVerdict, caseNumber: string | null = null, code: string | null = null): FormVerification {
  return { verdict, caseNumber, verificationCode: code, form: null, issuedAt: null, signer: null, signingTime: null, signatureErrors: [], supersededBy: null, sameAsIssued: null, detached: null, inside: null, supersededByAct: null };
}

/** Bytes that no longer hold the signature made over them: the PDF was changed after signing. */
const CHANGED = ['content_changed', 'changed_after_signing', 'signature_damaged', 'signature_invalid'];

/**
 * The stored form is genuine; the PDF in hand must be it as signed: unsigned or changed, it says so. Signed and
 * intact yet not the issued bytes (a reprint gives the same bytes): another document carrying this form's code.
 */
function pdfVerdict(inside: InsideSignature, sameAsIssued: boolean): FormVerdict {
  if (!inside.present) return 'pdf_not_signed';
  if (inside.errors.some((e) => CHANGED.includes(e))) return 'pdf_changed';
  return sameAsIssued ? 'genuine' : 'pdf_not_issued';
}

/** The first signed act after the form (event `seq`) that makes it no longer current, with who signed it and when. */
function supersedingAct(ctx: Pick<ServicesContext, 'db'>, caseId: string, seq: number, form: string): SupersedingActInfo | null {
  const row = eventsOfType(ctx.db, caseId, SUPERSEDING_ACT_TYPES).find((e) => e.seq > seq && supersedes(e.type, form));
  if (!row) return null;
  // The name as the act's own certificate gives it (the log keeps the IIN and the role).
  const cert = row.signature ? verifyDetached(Buffer.alloc(0), row.signature).signerCertificate : null;
  const name = cert ? subjectAttribute(cert.subject, 'CN') : row.actor_iin;
  return { type: row.type, at: row.at, signer: { iin: row.actor_iin, name, role: row.actor_role }, source: SUPERSEDING_ACTS[row.type as SupersedingAct].source };
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
    supersededByAct: supersedingAct(ctx, doc.case_id, doc.event_seq, doc.form),
  };
  const pdf = readBlob(ctx.dataDir, doc.blob_sha256);
  const p7s = readBlob(ctx.dataDir, doc.signature_sha256);
  if (!pdf || !p7s || sha256Hex(pdf) !== doc.blob_sha256 || sha256Hex(p7s) !== doc.signature_sha256) return { ...base, verdict: 'stored_copy_damaged' };
  const trust = ctx.trust();
  const v = verifySignature(pdf, p7s, trust);
  const sameAsIssued = given.pdf ? sha256Hex(given.pdf) === doc.blob_sha256 : null;
  const detached = given.pdf && given.p7s ? (({ valid, errors }) => ({ valid, errors: errors as string[] }))(verifySignature(given.pdf, given.p7s, trust)) : null;
  const inside = given.pdf ? verifyInsideSignature(given.pdf, trust) : null;
  const stored: FormVerdict = v.valid ? 'genuine' : v.errors.includes('revoked') ? 'signer_revoked' : 'signature_invalid';
  const verdict: FormVerdict = stored === 'genuine' && inside ? pdfVerdict(inside, sameAsIssued === true) : stored;
  return { ...base, verdict, signer: v.signer, signingTime: v.signingTime, signatureErrors: v.errors, sameAsIssued, detached, inside };
}
