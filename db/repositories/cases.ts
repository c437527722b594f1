import type { CaseDetail, CaseEventView, CaseSummary, SearchResult } from '../../shared/contract/types';
import { TERMINAL_STAGES, type Stage } from '../../shared/domain/workflow';
import type { ProjectedCase } from '../../shared/events/projection';
import type { EventRow } from './events';
export type { EventRow } from './events';
import type { Db } from '../connection';

export interface CaseRow {
  id: string;
  case_number: string;
  channel: 'district' | 'center';
  stage: Stage;
  rules_version: string;
  applicant_iin: string;
  surname: string;
  given_name: string;
  patronymic: string;
  full_name_fold: string;
  birth_date: string;
  address: string;
  phone: string;
  doc_language: 'kk' | 'ru';
  office_code: string;
  created_by_iin: string;
  created_at: string;
  version: number;
  head_hash: string;
}

export function toSummary(r: CaseRow): CaseSummary {
  return {
    id: r.id,
    caseNumber: r.case_number,
    stage: r.stage,
    channel: r.channel,
    iin: r.applicant_iin,
    surname: r.surname,
    givenName: r.given_name,
    patronymic: r.patronymic,
    birthDate: r.birth_date,
    docLanguage: r.doc_language,
    createdAt: r.created_at,
  };
}

/** The summary of a projected case, as the lists show it. */
export function summaryOf(c: ProjectedCase): CaseSummary {
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    stage: c.stage,
    channel: c.channel,
    iin: c.applicantIin,
    surname: c.surname,
    givenName: c.givenName,
    patronymic: c.patronymic,
    birthDate: c.birthDate,
    docLanguage: c.docLanguage,
    createdAt: c.createdAt,
  };
}

export function countCases(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
}

/** How the search box reads what was typed. */
export type QueryKind = SearchResult['kind'];

export function classifyQuery(query: string): QueryKind {
  const q = query.trim();
  if (q === '') return 'recent';
  if (/^\d{1,12}$/.test(q)) return 'iin';
  // Case numbers look like ALM01-W1-2026-000001: letters and digits joined by dashes, with a digit.
  if (/^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$/.test(q) && /\d/.test(q)) return 'case_number';
  return 'name';
}

/** Matches are counted up to this cap (ten pages of twenty); beyond it the list says "more than". */
export const COUNT_CAP = 200;

// The case screen's reads, prepared once per connection (preparing costs more than the read of one case).
const detailStatements = new WeakMap<Db, ReturnType<typeof prepareDetail>>();
function prepareDetail(db: Db) {
  return {
    case: db.prepare('SELECT * FROM cases WHERE id = ?'),
    // The signature itself stays on disk: the screen shows only whether the act is signed.
    events: db.prepare('SELECT id, seq, type, at, actor_iin, actor_role, payload, hash, prev_hash, signature IS NOT NULL AS signed FROM case_events WHERE case_id = ? ORDER BY seq'),
    deadlines: db.prepare('SELECT deadline AS id, started_on AS startedOn, due, stopped_on AS stoppedOn, met FROM case_deadlines WHERE case_id = ? ORDER BY started_on, deadline, started_seq'),
    sample: db.prepare('SELECT 1 FROM sample_cases WHERE case_id = ?'),
  };
}

export function getCase(db: Db, id: string): Omit<CaseDetail, 'available' | 'sync'> | null {
  let st = detailStatements.get(db);
  if (!st) detailStatements.set(db, (st = prepareDetail(db)));
  const row = st.case.get(id) as CaseRow | undefined;
  if (!row) return null;
  return {
    ...toSummary(row),
    sample: st.sample.get(id) !== undefined,
    rulesVersion: row.rules_version,
    deadlines: st.deadlines.all(id) as CaseDetail['deadlines'],
    address: row.address,
    phone: row.phone,
    officeCode: row.office_code,
    version: row.version,
    events: (st.events.all(id) as EventViewRow[]).map(toEventView),
  };
}

type EventViewRow = Pick<EventRow, 'id' | 'seq' | 'type' | 'at' | 'actor_iin' | 'actor_role' | 'payload' | 'hash' | 'prev_hash'> & { signed: 0 | 1 };

function toEventView(e: EventViewRow): CaseEventView {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    at: e.at,
    actorIin: e.actor_iin,
    actorRole: e.actor_role,
    payload: JSON.parse(e.payload) as unknown,
    hash: e.hash,
    prevHash: e.prev_hash,
    signed: e.signed === 1,
  };
}

/** The applicant's latest other case with a commission's act on the family (the repeat-application rule). */
export function lastConcludedCaseOf(db: Db, applicantIin: string, exceptCaseId: string): { id: string; case_number: string; seq: number } | null {
  return (
    (db
      .prepare(
        `SELECT c.id, c.case_number, e.seq FROM cases c JOIN case_events e ON e.case_id = c.id AND e.type = 'commission.concluded'
         WHERE c.applicant_iin = ? AND c.id != ? ORDER BY e.at DESC LIMIT 1`,
      )
      .get(applicantIin, exceptCaseId) as { id: string; case_number: string; seq: number } | undefined) ?? null
  );
}

/** The stages after which a case is no longer open (a closed or refused case does not block a new one). */
const OPEN = `stage NOT IN (${TERMINAL_STAGES.map((s) => `'${s}'`).join(', ')})`;

/**
 * Another open case of this office whose applicant is `iin` (a family has one open application at a time), or
 * null. The oldest first: that is the one the family already has.
 */
export function openCaseOfApplicant(db: Db, iin: string, officeCode: string, exceptCaseId = ''): { id: string; case_number: string } | null {
  return (
    (db.prepare(`SELECT id, case_number FROM cases WHERE applicant_iin = ? AND office_code = ? AND id != ? AND ${OPEN} ORDER BY created_at LIMIT 1`).get(iin, officeCode, exceptCaseId) as
      | { id: string; case_number: string }
      | undefined) ?? null
  );
}

/** Another open case of this office in whose last application one of `iins` is counted as a child, or null. */
export function openCaseWithChild(db: Db, iins: readonly string[], officeCode: string, exceptCaseId: string): { id: string; case_number: string; iin: string } | null {
  if (iins.length === 0) return null;
  return (
    (db
      .prepare(
        `SELECT c.id, c.case_number, m.iin FROM case_members m JOIN cases c ON c.id = m.case_id
         WHERE m.iin IN (${iins.map(() => '?').join(', ')}) AND m.relation = 'child' AND c.office_code = ? AND c.id != ? AND c.${OPEN}
         ORDER BY c.created_at LIMIT 1`,
      )
      .get(...iins, officeCode, exceptCaseId) as { id: string; case_number: string; iin: string } | undefined) ?? null
  );
}

/** A case's number, or null when there is no such case. */
export function getCaseNumber(db: Db, id: string): string | null {
  return (db.prepare('SELECT case_number FROM cases WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
}
