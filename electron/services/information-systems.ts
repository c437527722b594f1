/**
 * The gateway client (issue 5, "Information systems"): the request about the applicant and every family member
 * is queued in is_requests, sent by a background sender that retries on its own while the server cannot be
 * reached, and its signed answer is stored as two blobs (the answer's bytes and the gateway's CMS signature).
 * The same request id is sent on every retry, so nothing is answered twice; a malformed or unsigned answer is
 * refused with its own message and stored nowhere.
 */
import { v7 as uuidv7 } from 'uuid';
import { allConfirmed, isAnswerSchema, isEnvelopeSchema, type IsAnswer, type IsRequest } from '../../shared/contract/is-protocol';
import type { IsStatus } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { GATEWAY_EKU } from '../../shared/roles';
import { readSetting } from '../../db/repositories/settings';
import type { ServicesContext } from './context';
import { latestApplication } from './application';
import { readBlob, recordBlob, sha256Hex, writeBlobFile } from './blob-store';
import { CmsFormatError, verifyDetached } from './pki/cms';
import { chainsToTrustedRoot } from './pki/keyfile';

export const DEFAULT_IS_URL = 'http://127.0.0.1:5190';
/** Retry backoff: 2 s doubling to at most a minute. A setting, not a legal rule. */
const RETRY = { firstMs: 2_000, maxMs: 60_000 };

export function gatewayUrl(ctx: ServicesContext): string {
  return readSetting<{ url: string }>(ctx.db, 'informationSystems')?.url ?? process.env.JARDEM_IS_URL ?? DEFAULT_IS_URL;
}

/** Builds the request from the last recorded application and queues it. Inside the caller's transaction. */
export function queueRequest(ctx: ServicesContext, caseId: string, purpose: 'check' | 'reconciliation'): string {
  const application = latestApplication(ctx, caseId);
  if (!application) throw new AppError('is.no_application');
  const applicationSeq = latestApplicationSeq(ctx, caseId);
  const applicant = application.members.find((m) => m.relation === 'applicant')!;
  const office = (ctx.db.prepare('SELECT office_code FROM cases WHERE id = ?').get(caseId) as { office_code: string }).office_code;
  const requestId = uuidv7();
  const request: IsRequest = {
    requestId,
    office,
    requestedAt: ctx.now().toISOString(),
    applicantIin: applicant.iin,
    subjects: application.members.map((m) => ({
      iin: m.iin,
      relation: m.relation,
      declared: {
        surname: m.surname,
        givenName: m.givenName,
        patronymic: m.patronymic,
        birthDate: m.birthDate,
        ...(m.relation === 'applicant' ? { address: application.registrationAddress, iban: application.bankAccount.iban } : {}),
        income: application.income.filter((l) => l.memberId === m.id).map((l) => ({ month: l.month, amountTiyn: l.amountTiyn })),
      },
    })),
  };
  const at = ctx.now().toISOString();
  ctx.db
    .prepare("INSERT INTO is_requests (request_id, case_id, purpose, application_seq, request, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)")
    .run(requestId, caseId, purpose, applicationSeq, JSON.stringify(request), ctx.realNow().toISOString(), at);
  return requestId;
}

function latestApplicationSeq(ctx: ServicesContext, caseId: string): number {
  return (ctx.db.prepare("SELECT max(seq) AS s FROM case_events WHERE case_id = ? AND type = 'application.recorded'").get(caseId) as { s: number | null }).s ?? 0;
}

interface RequestRow {
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

/** Checks a gateway envelope: well-formed, signed over exactly these bytes by a gateway certificate we trust. */
export function openEnvelope(ctx: ServicesContext, body: unknown): { answer: IsAnswer; answerBytes: Buffer; signature: Buffer } {
  const envelope = isEnvelopeSchema.safeParse(body);
  if (!envelope.success) throw new AppError('is.answer_malformed');
  let answer: IsAnswer;
  try {
    const parsed = isAnswerSchema.safeParse(JSON.parse(envelope.data.answer));
    if (!parsed.success) throw new Error('schema');
    answer = parsed.data;
  } catch {
    throw new AppError('is.answer_malformed');
  }
  const answerBytes = Buffer.from(envelope.data.answer, 'utf8');
  const signature = Buffer.from(envelope.data.signature, 'base64');
  let verified;
  try {
    verified = verifyDetached(answerBytes, signature);
  } catch (error) {
    if (error instanceof CmsFormatError) throw new AppError('is.answer_unsigned');
    throw error;
  }
  const cert = verified.signerCertificate;
  const trust = ctx.trust();
  if (!cert || !verified.contentIntact || !verified.signatureValid) throw new AppError('is.answer_unsigned');
  if (!chainsToTrustedRoot(cert, verified.certificates, trust, verified.signingTime ?? ctx.now()) || !(cert.keyUsage ?? []).includes(GATEWAY_EKU)) {
    throw new AppError('is.answer_untrusted');
  }
  return { answer, answerBytes, signature };
}

/** One pass over the due requests. Returns how many were answered. Never throws: each request keeps its own state. */
export async function sendDueRequests(ctx: ServicesContext, fetchImpl: typeof fetch = fetch): Promise<number> {
  // Retries follow the wall clock: the demo's time travel moves the legal clock only.
  const now = ctx.realNow();
  const due = ctx.db.prepare("SELECT * FROM is_requests WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 20").all(now.toISOString()) as RequestRow[];
  let answered = 0;
  for (const row of due) {
    let body: unknown;
    try {
      const response = await fetchImpl(`${gatewayUrl(ctx)}/is/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: row.request,
        signal: AbortSignal.timeout(15_000),
      });
      // The gateway refused the request itself: sending it again would be refused again.
      if (response.status >= 400 && response.status < 500) {
        ctx.db.prepare("UPDATE is_requests SET status = 'rejected', attempts = attempts + 1, last_error = 'is.request_refused' WHERE request_id = ?").run(row.request_id);
        continue;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      // Unreachable or failing server: wait and try again, with the same request id.
      const delay = Math.min(RETRY.firstMs * 2 ** row.attempts, RETRY.maxMs);
      ctx.db
        .prepare('UPDATE is_requests SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE request_id = ?')
        .run(new Date(now.getTime() + delay).toISOString(), `network: ${(error as Error).message}`.slice(0, 300), row.request_id);
      continue;
    }
    try {
      const { answer, answerBytes, signature } = openEnvelope(ctx, body);
      // An answer about every person asked about, and no one else: an empty answer confirms nothing.
      const asked = (JSON.parse(row.request) as IsRequest).subjects.map((s) => s.iin).sort();
      const answeredIins = answer.subjects.map((s) => s.iin).sort();
      if (answer.requestId !== row.request_id || asked.join() !== answeredIins.join() || answer.subjects.some((s) => s.fields.length === 0)) throw new AppError('is.answer_malformed');
      const answerSha = writeBlobFile(ctx.dataDir, answerBytes);
      const signatureSha = writeBlobFile(ctx.dataDir, signature);
      const at = ctx.now().toISOString();
      ctx.db.transaction(() => {
        recordBlob(ctx.db, answerSha, 'application/json', answerBytes.length, at);
        recordBlob(ctx.db, signatureSha, 'application/pkcs7-signature', signature.length, at);
        ctx.db
          .prepare("UPDATE is_requests SET status = 'answered', attempts = attempts + 1, answer_sha256 = ?, signature_sha256 = ?, answered_at = ?, last_error = NULL WHERE request_id = ?")
          .run(answerSha, signatureSha, at, row.request_id);
      })();
      answered++;
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal';
      ctx.db.prepare("UPDATE is_requests SET status = 'rejected', attempts = attempts + 1, last_error = ? WHERE request_id = ?").run(code, row.request_id);
    }
  }
  return answered;
}

/** The case's requests, newest first, each answer shown beside what was declared. */
export function informationSystemStatus(ctx: ServicesContext, caseId: string): IsStatus {
  const rows = ctx.db.prepare('SELECT * FROM is_requests WHERE case_id = ? ORDER BY created_at DESC, rowid DESC').all(caseId) as RequestRow[];
  return {
    requests: rows.map((r) => {
      const answerBytes = r.answer_sha256 ? readBlob(ctx.dataDir, r.answer_sha256) : null;
      const answer = answerBytes ? (JSON.parse(answerBytes.toString('utf8')) as IsAnswer) : null;
      return {
        requestId: r.request_id,
        purpose: r.purpose,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at,
        answeredAt: r.answered_at,
        declared: (JSON.parse(r.request) as IsRequest).subjects,
        answer,
        allConfirmed: answer ? allConfirmed(answer) : null,
      };
    }),
  };
}

/** The newest request of the case, if any. */
export function newestRequest(ctx: ServicesContext, caseId: string): RequestRow | null {
  return (ctx.db.prepare('SELECT * FROM is_requests WHERE case_id = ? ORDER BY rowid DESC LIMIT 1').get(caseId) as RequestRow | undefined) ?? null;
}

/**
 * The answer a decision at the counter may rest on: that of the newest request, answered, about the application
 * as last recorded, its stored bytes unchanged. Otherwise a specific refusal.
 */
export function latestAnswer(ctx: ServicesContext, caseId: string): { requestId: string; answer: IsAnswer; answerSha: string } {
  const row = newestRequest(ctx, caseId);
  if (!row || row.status === 'queued') throw new AppError('is.not_answered');
  if (row.status === 'rejected') throw new AppError('is.answer_rejected');
  if (row.application_seq !== latestApplicationSeq(ctx, caseId)) throw new AppError('is.answer_outdated');
  const bytes = readBlob(ctx.dataDir, row.answer_sha256!);
  if (!bytes || sha256Hex(bytes) !== row.answer_sha256) throw new AppError('is.answer_changed');
  return { requestId: row.request_id, answer: JSON.parse(bytes.toString('utf8')) as IsAnswer, answerSha: row.answer_sha256! };
}

