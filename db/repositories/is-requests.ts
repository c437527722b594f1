/** The outbox of information-system requests (not a projection: each request keeps its own retry state). */
import type { Db } from '../connection';

export interface RequestRow {
  request_id: string;
  case_id: string;
  purpose: 'check' | 'reconciliation';
  application_seq: number;
  request: string;
  status: 'queued' | 'answered' | 'rejected';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  answer_sha256: string | null;
  signature_sha256: string | null;
  created_at: string;
  answered_at: string | null;
}

export function insertRequest(db: Db, r: { requestId: string; caseId: string; purpose: RequestRow['purpose']; applicationSeq: number; request: string; nextAttemptAt: string; createdAt: string }): void {
  db.prepare("INSERT INTO is_requests (request_id, case_id, purpose, application_seq, request, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)").run(
    r.requestId,
    r.caseId,
    r.purpose,
    r.applicationSeq,
    r.request,
    r.nextAttemptAt,
    r.createdAt,
  );
}

export function dueRequests(db: Db, now: string, limit = 20): RequestRow[] {
  return db.prepare("SELECT * FROM is_requests WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?").all(now, limit) as RequestRow[];
}

export function markRejected(db: Db, requestId: string, error: string): void {
  db.prepare("UPDATE is_requests SET status = 'rejected', attempts = attempts + 1, last_error = ? WHERE request_id = ?").run(error, requestId);
}

export function markRetry(db: Db, requestId: string, nextAttemptAt: string, error: string): void {
  db.prepare('UPDATE is_requests SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE request_id = ?').run(nextAttemptAt, error, requestId);
}

export function markAnswered(db: Db, requestId: string, answer: { answerSha: string; signatureSha: string; at: string }): void {
  db.prepare("UPDATE is_requests SET status = 'answered', attempts = attempts + 1, answer_sha256 = ?, signature_sha256 = ?, answered_at = ?, last_error = NULL WHERE request_id = ?").run(
    answer.answerSha,
    answer.signatureSha,
    answer.at,
    requestId,
  );
}

export function requestsOfCase(db: Db, caseId: string): RequestRow[] {
  return db.prepare('SELECT * FROM is_requests WHERE case_id = ? ORDER BY created_at DESC, rowid DESC').all(caseId) as RequestRow[];
}

export function newestRequestOfCase(db: Db, caseId: string): RequestRow | null {
  return (db.prepare('SELECT * FROM is_requests WHERE case_id = ? ORDER BY rowid DESC LIMIT 1').get(caseId) as RequestRow | undefined) ?? null;
}

export function requestById(db: Db, requestId: string): RequestRow | null {
  return (db.prepare('SELECT * FROM is_requests WHERE request_id = ?').get(requestId) as RequestRow | undefined) ?? null;
}

/** The gateway's signature of a stored answer. */
export function answerSignature(db: Db, answerSha: string): string | null {
  return (db.prepare('SELECT signature_sha256 AS s FROM is_requests WHERE answer_sha256 = ?').get(answerSha) as { s: string } | undefined)?.s ?? null;
}
