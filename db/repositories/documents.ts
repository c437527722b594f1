/** The certified documents of a case (case_documents, a projection of the events that carry a form). */
import type { Db } from '../connection';

export interface DocumentRow {
  case_id: string;
  event_seq: number;
  event_type: string;
  form: string;
  blob_sha256: string;
  signature_sha256: string;
  verification_code: string;
  issued_at: string;
  signer_iin: string;
}

/** The last issued copy of a form of a case. */
export function lastDocument(db: Db, caseId: string, form: string): DocumentRow | null {
  return (db.prepare('SELECT * FROM case_documents WHERE case_id = ? AND form = ? ORDER BY event_seq DESC LIMIT 1').get(caseId, form) as DocumentRow | undefined) ?? null;
}

/** A case by its id or by the number printed on the paper (the CLI reprints by number). */
export function caseIdByNumber(db: Db, idOrNumber: string): string | null {
  return (db.prepare('SELECT id FROM cases WHERE id = ? OR case_number = ?').get(idOrNumber, idOrNumber.toUpperCase()) as { id: string } | undefined)?.id ?? null;
}

/** Every certified document of the case printed with `caseNumber`, oldest first, with the case's office. */
export function documentsOfCaseNumber(db: Db, caseNumber: string): (DocumentRow & { case_number: string; office_code: string })[] {
  return db
    .prepare('SELECT d.*, c.case_number, c.office_code FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE c.case_number = ? ORDER BY d.event_seq')
    .all(caseNumber.toUpperCase()) as (DocumentRow & { case_number: string; office_code: string })[];
}
