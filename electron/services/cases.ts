import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { CaseDetail, RegisterResult, SearchResult } from '../../shared/contract/types';
import type { ParsedInputOf } from '../../shared/contract/methods';
import { AppError } from '../../shared/errors';
import { checkIin } from '../../shared/domain/iin';
import { canonicalJson, foldName } from '../../shared/text';
import { officeDate } from '../../shared/local-date';
import { appendEvent, createCaseSearch, getCase, insertCase, insertDeadline, toSummary, type CaseRow, type EventRow } from '../../db/repositories/cases';
import { startCase } from '../../shared/domain/workflow';
import { signerFor, type ActSigner } from './signing';
import type { Identity } from '../../shared/contract/types';
import { nextInSequence, readWorkstation } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';

/**
 * An event's canonical form: the canonical JSON of everything but its hash and signature. Its SHA-256 is the
 * event's hash, which the next event names (the hash chain), and the actor signs exactly these bytes with a
 * detached CMS signature, so any later edit of the log is found.
 */
export function eventCanonical(e: Omit<EventRow, 'hash' | 'signature'>): string {
  return canonicalJson({
    id: e.id,
    caseId: e.case_id,
    seq: e.seq,
    caseVersion: e.case_version,
    type: e.type,
    payload: JSON.parse(e.payload) as unknown,
    actor: { iin: e.actor_iin, role: e.actor_role, certSha256: e.actor_cert_sha256 },
    at: e.at,
    prevHash: e.prev_hash,
  });
}

/** The event's hash: SHA-256 of its canonical form, hex. */
export function hashCanonical(canonical: string | Buffer): string {
  return createHash('sha256').update(canonical).digest('hex');
}

export function eventHash(e: Omit<EventRow, 'hash' | 'signature'>): string {
  return hashCanonical(eventCanonical(e));
}

/**
 * Appends one event to a case's log, inside the caller's transaction: the next sequence number, the previous
 * event's hash, the actor's detached CMS signature over the canonical form. The case's version counts its events.
 */
export function appendSignedEvent(ctx: ServicesContext, caseId: string, type: string, payload: unknown, actor: Identity, sign: ActSigner): EventRow {
  const last = ctx.db.prepare('SELECT seq, hash FROM case_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1').get(caseId) as { seq: number; hash: string } | undefined;
  const event: Omit<EventRow, 'hash' | 'signature'> = {
    id: uuidv7(),
    case_id: caseId,
    seq: (last?.seq ?? 0) + 1,
    case_version: last?.seq ?? 0,
    type,
    payload: canonicalJson(payload),
    actor_iin: actor.iin,
    actor_role: actor.role,
    actor_cert_sha256: actor.certificateSha256,
    at: ctx.now().toISOString(),
    prev_hash: last?.hash ?? null,
  };
  const canonical = Buffer.from(eventCanonical(event), 'utf8');
  const row: EventRow = { ...event, hash: hashCanonical(canonical), signature: sign(canonical) };
  appendEvent(ctx.db, row);
  ctx.db.prepare('UPDATE cases SET version = ? WHERE id = ?').run(row.seq, caseId);
  return row;
}

/** Intake numbers: office + workstation + year + sequence, unique without any server and never reused. */
export function formatCaseNumber(officeCode: string, workstationCode: string, year: string, seq: number): string {
  return `${officeCode}-${workstationCode}-${year}-${String(seq).padStart(6, '0')}`;
}

export function registerApplicant(
  ctx: ServicesContext,
  session: Session,
  input: ParsedInputOf<'cases.registerApplicant'>,
): RegisterResult {
  const workstation = readWorkstation(ctx.db);
  if (!workstation) throw new AppError('workstation.not_configured');
  const me = session.identity;
  const at = ctx.now().toISOString();
  // The number's year is the office's year (Almaty time), not UTC's.
  const year = officeDate(ctx.now()).slice(0, 4);
  const warnings = checkIin(input.iin, { birthDate: input.birthDate }).warnings;
  // The act is signed with the actor's ECP key: unlocked now, or the person is asked for the password first.
  const sign = signerFor(ctx, session);

  // The regulation's workflow decides the first stage and the deadlines it starts (item 11.1 / 11.2).
  const channel = me.role === 'center' ? 'center' : 'district';
  const today = officeDate(ctx.now());
  const start = startCase(channel, { type: channel === 'center' ? 'center.intake_registered' : 'intake.registered', role: me.role, on: today }, ctx.calendar());

  const row = ctx.db.transaction((): CaseRow => {
    const seq = nextInSequence(ctx.db, `case/${workstation.officeCode}/${workstation.workstationCode}/${year}`);
    const caseRow: CaseRow = {
      id: uuidv7(),
      case_number: formatCaseNumber(workstation.officeCode, workstation.workstationCode, year, seq),
      channel,
      stage: start.state.stage,
      rules_version: start.state.rulesVersion,
      applicant_iin: input.iin,
      surname: input.surname,
      given_name: input.givenName,
      patronymic: input.patronymic,
      full_name_fold: foldName(`${input.surname} ${input.givenName} ${input.patronymic}`),
      birth_date: input.birthDate,
      address: input.address,
      phone: input.phone,
      doc_language: input.docLanguage,
      office_code: workstation.officeCode,
      created_by_iin: me.iin,
      created_at: at,
      version: 1,
    };
    insertCase(ctx.db, caseRow);
    appendSignedEvent(ctx, caseRow.id, start.emitted, { applicant: input, caseNumber: caseRow.case_number, channel: caseRow.channel, rulesVersion: caseRow.rules_version }, me, sign);
    for (const d of start.started) insertDeadline(ctx.db, caseRow.id, d);
    return caseRow;
  }).immediate();

  return { case: toSummary(row), warnings };
}

export function caseQueries(ctx: ServicesContext) {
  const search = createCaseSearch(ctx.db);
  return {
    search: (input: ParsedInputOf<'cases.search'>): SearchResult => search(input.query, input.limit, input.offset),
    get: (input: ParsedInputOf<'cases.get'>): CaseDetail => {
      const found = getCase(ctx.db, input.caseId);
      if (!found) throw new AppError('not_found');
      return found;
    },
  };
}

/** The events of a case of the given types, oldest first. */
export function eventsOf(ctx: ServicesContext, caseId: string, types: readonly string[]): { seq: number; type: string; at: string; payload: string }[] {
  return ctx.db
    .prepare(`SELECT seq, type, at, payload FROM case_events WHERE case_id = ? AND type IN (${types.map(() => '?').join(',')}) ORDER BY seq`)
    .all(caseId, ...types) as { seq: number; type: string; at: string; payload: string }[];
}
