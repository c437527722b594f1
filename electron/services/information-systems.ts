/**
 * The gateway client: the request about the applicant and every family member
 * is queued in is_requests, sent by a background sender that retries on its own while the server cannot be
 * reached, and its signed answer is stored as two blobs (the answer's bytes and the gateway's CMS signature).
 * The same request id is sent on every retry, so nothing is answered twice; a malformed or unsigned answer is
 * refused with its own message and stored nowhere.
 */
import { v7 as uuidv7 } from 'uuid';
import { allConfirmed, isAnswerSchema, isEnvelopeSchema, isRequestSchema, type IsAnswer, type IsRequest } from '../../shared/contract/is-protocol';
import type { IsStatus } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { GATEWAY_EKU } from '../../shared/roles';
import { readSetting } from '../../db/repositories/settings';
import type { ServicesContext } from './context';
import type { CaseProjection } from './case-acts';
import { dueRequests, insertRequest, markAnswered, markRejected, markRetry, newestRequestOfCase, requestsOfCase, type RequestRow } from '../../db/repositories/is-requests';
import { readBlob, readCertifiedBlob, recordBlob, sha256Hex, writeBlobFile } from './blob-store';
import { CmsFormatError, verifyDetached } from '../../node/pki/cms';
import { chainsToTrustedRoot } from '../../node/pki/keyfile';
import { deviceRefusal, enrolForGateway, gatewayHeaders, IS_REQUEST_PATH } from './is-auth';

/** How a request's last error is stored when the gateway could not be reached (the screen says it waits). */
const UNREACHABLE = 'network: ';
export const DEFAULT_IS_URL = 'http://127.0.0.1:5190';
/** Retry backoff: 2 s doubling to at most a minute. A setting, not a legal rule. */
const RETRY = { firstMs: 2_000, maxMs: 60_000 };

export function gatewayUrl(ctx: ServicesContext): string {
  return readSetting<{ url: string }>(ctx.db, 'informationSystems')?.url ?? process.env.JARDEM_IS_URL ?? DEFAULT_IS_URL;
}

/** Builds the request from the case's last recorded application and queues it. Inside the caller's transaction. */
export function queueRequest(ctx: ServicesContext, p: CaseProjection, purpose: 'check' | 'reconciliation'): string {
  const application = p.facts.application;
  if (!application) throw new AppError('is.no_application');
  const applicant = application.members.find((m) => m.relation === 'applicant')!;
  const requestId = uuidv7();
  const request: IsRequest = {
    requestId,
    office: p.case.officeCode,
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
        ...(m.relation === 'child' && m.birthRecord ? { birthRecord: { number: m.birthRecord.number, date: m.birthRecord.date } } : {}),
        income: application.income.filter((l) => l.memberId === m.id).map((l) => ({ month: l.month, amountTiyn: l.amountTiyn })),
      },
    })),
  };
  insertRequest(ctx.db, { requestId, caseId: p.case.id, purpose, applicationSeq: p.facts.applicationSeq, request: JSON.stringify(request), nextAttemptAt: ctx.realNow().toISOString(), createdAt: ctx.now().toISOString() });
  return requestId;
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
  const due = dueRequests(ctx.db, now.toISOString());
  let answered = 0;
  for (const row of due) {
    let body: unknown;
    try {
      const post = () =>
        fetchImpl(`${gatewayUrl(ctx)}${IS_REQUEST_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...gatewayHeaders(ctx, row.request) },
          body: row.request,
          signal: AbortSignal.timeout(15_000),
        });
      let response = await post();
      // The server did not know this device yet: it is enrolled (as the sync agent would), and asked again.
      if ((await deviceRefusal(response)) === 'sync.device_unknown' && (await enrolForGateway(ctx, fetchImpl))) response = await post();
      // The device itself was refused (not enrolled, replaced, its clock): the request waits, it is not wrong.
      const refusal = await deviceRefusal(response);
      if (refusal) throw new Error(`HTTP ${response.status} ${refusal}`);
      // The gateway refused the request itself: sending it again would be refused again.
      if (response.status >= 400 && response.status < 500) {
        markRejected(ctx.db, row.request_id, 'is.request_refused');
        continue;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      // Unreachable or failing server: wait and try again, with the same request id.
      const delay = Math.min(RETRY.firstMs * 2 ** row.attempts, RETRY.maxMs);
      markRetry(ctx.db, row.request_id, new Date(now.getTime() + delay).toISOString(), `${UNREACHABLE}${(error as Error).message}`.slice(0, 300));
      // The request's tab says why it waits (offline is normal, and the person should not wonder).
      ctx.push({ type: 'is.waiting', caseId: row.case_id, requestId: row.request_id });
      continue;
    }
    try {
      const { answer, answerBytes, signature } = openEnvelope(ctx, body);
      // An answer about every person asked about, and no one else: an empty answer confirms nothing.
      const asked = isRequestSchema.parse(JSON.parse(row.request)).subjects.map((s) => s.iin).sort();
      const answeredIins = answer.subjects.map((s) => s.iin).sort();
      if (answer.requestId !== row.request_id || asked.join() !== answeredIins.join() || answer.subjects.some((s) => s.fields.length === 0)) throw new AppError('is.answer_malformed');
      const answerSha = writeBlobFile(ctx.dataDir, answerBytes);
      const signatureSha = writeBlobFile(ctx.dataDir, signature);
      const at = ctx.now().toISOString();
      ctx.db.transaction(() => {
        recordBlob(ctx.db, answerSha, 'application/json', answerBytes.length, at);
        recordBlob(ctx.db, signatureSha, 'application/pkcs7-signature', signature.length, at);
        markAnswered(ctx.db, row.request_id, { answerSha, signatureSha, at });
      })();
      answered++;
      ctx.push({ type: 'is.answered', caseId: row.case_id, requestId: row.request_id });
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal';
      markRejected(ctx.db, row.request_id, code);
      ctx.push({ type: 'is.answered', caseId: row.case_id, requestId: row.request_id });
    }
  }
  return answered;
}

/** The case's requests, newest first, each answer shown beside what was declared. */
export function informationSystemStatus(ctx: ServicesContext, caseId: string): IsStatus {
  const rows = requestsOfCase(ctx.db, caseId);
  return {
    requests: rows.map((r) => {
      // An answer is shown only as the gateway signed it: a changed file is refused, named.
      const answerBytes = r.answer_sha256 ? readCertifiedBlob(ctx.dataDir, r.answer_sha256, { other: 'answer' }) : null;
      const answer = answerBytes ? isAnswerSchema.parse(JSON.parse(answerBytes.toString('utf8'))) : null;
      return {
        requestId: r.request_id,
        purpose: r.purpose,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        unreachable: r.status === 'queued' && (r.last_error?.startsWith(UNREACHABLE) ?? false),
        createdAt: r.created_at,
        answeredAt: r.answered_at,
        declared: isRequestSchema.parse(JSON.parse(r.request)).subjects,
        answer,
        allConfirmed: answer ? allConfirmed(answer) : null,
      };
    }),
  };
}

/** The newest request of the case, if any. */
export function newestRequest(ctx: ServicesContext, caseId: string): RequestRow | null {
  return newestRequestOfCase(ctx.db, caseId);
}

/**
 * The answer a decision at the counter may rest on: that of the newest request, answered, about the application
 * as last recorded, its stored bytes unchanged. Otherwise a specific refusal.
 */
export function latestAnswer(ctx: ServicesContext, p: CaseProjection): { requestId: string; answer: IsAnswer; answerSha: string; signatureSha: string; declared: IsRequest['subjects'] } {
  const row = newestRequest(ctx, p.case.id);
  if (!row || row.status === 'queued') throw new AppError('is.not_answered');
  if (row.status === 'rejected') throw new AppError('is.answer_rejected');
  if (row.application_seq !== p.facts.applicationSeq) throw new AppError('is.answer_outdated');
  const bytes = readBlob(ctx.dataDir, row.answer_sha256!);
  if (!bytes || sha256Hex(bytes) !== row.answer_sha256) throw new AppError('is.answer_changed');
  return { requestId: row.request_id, answer: isAnswerSchema.parse(JSON.parse(bytes.toString('utf8'))), answerSha: row.answer_sha256!, signatureSha: row.signature_sha256!, declared: isRequestSchema.parse(JSON.parse(row.request)).subjects };
}

