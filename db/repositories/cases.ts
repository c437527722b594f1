import type { CaseDetail, CaseEventView, CaseSummary, SearchResult } from '../../shared/contract/types';
import { TERMINAL_STAGES, type Stage } from '../../shared/domain/workflow';
import type { ProjectedCase } from '../../shared/events/projection';
import type { EventRow } from './events';
export type { EventRow } from './events';
import { foldName, prefixUpperBound } from '../../shared/text';
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

/** Summary columns under the names of CaseSummary, so rows need no mapping on the hot path. */
const SUMMARY_AS = `id, case_number AS caseNumber, stage, channel, applicant_iin AS iin, surname, given_name AS givenName,
  patronymic, birth_date AS birthDate, doc_language AS docLanguage, created_at AS createdAt,
  EXISTS (SELECT 1 FROM sample_cases s WHERE s.case_id = id) AS sample`;

/** The nearest open deadline of the case in `alias`: a few rows of the primary key, for a page of 20. */
const NEXT_DEADLINE = (alias: string) => `(SELECT due FROM case_deadlines d WHERE d.case_id = ${alias}.id AND d.stopped_on IS NULL ORDER BY due, deadline LIMIT 1) AS nextDue,
  (SELECT deadline FROM case_deadlines d WHERE d.case_id = ${alias}.id AND d.stopped_on IS NULL ORDER BY due, deadline LIMIT 1) AS nextDeadlineId`;

type SummaryRow = CaseSummary & { nextDue: string | null; nextDeadlineId: string | null };
const toItem = ({ nextDue, nextDeadlineId, sample, ...c }: SummaryRow): CaseSummary => ({ ...c, sample: Boolean(sample), nextDeadline: nextDue && nextDeadlineId ? { id: nextDeadlineId as never, due: nextDue } : null });

/**
 * Case search. Each kind is one index range scan (IIN: exact for 12 digits, else prefix; case number: prefix;
 * name: a prefix of the folded full name), ordered by that index, so the cost does not grow with the number of
 * cases. Matches are counted only when the page is full, and only up to COUNT_CAP.
 */
export function createCaseSearch(db: Db) {
  const where: Record<Exclude<QueryKind, 'recent'>, string> = {
    iin: 'applicant_iin >= @lo AND applicant_iin < @hi',
    case_number: 'case_number >= @lo AND case_number < @hi',
    name: 'full_name_fold >= @lo AND full_name_fold < @hi',
  };
  const order: Record<QueryKind, string> = {
    recent: 'created_at DESC',
    iin: 'applicant_iin',
    case_number: 'case_number',
    name: 'full_name_fold',
  };
  type Run = (params: Record<string, unknown>) => SummaryRow[];
  const runner = (sql: string): Run => {
    const statement = db.prepare(sql);
    return (params) => statement.all(params) as SummaryRow[];
  };
  const page = {} as Record<QueryKind, Run>;
  const byDue = {} as Record<QueryKind, Run>;
  const count = {} as Record<QueryKind, ReturnType<Db['prepare']>>;
  for (const kind of ['recent', 'iin', 'case_number', 'name'] as const) {
    const filter = kind === 'recent' ? '' : `WHERE ${where[kind]}`;
    page[kind] = runner(`SELECT ${SUMMARY_AS}, ${NEXT_DEADLINE('cases')} FROM cases ${filter} ORDER BY ${order[kind]} LIMIT @limit OFFSET @offset`);
    byDue[kind] = runner(`SELECT ${SUMMARY_AS}, ${NEXT_DEADLINE('cases')} FROM cases ${filter} ORDER BY nextDue IS NULL, nextDue, case_number LIMIT @limit OFFSET @offset`);
    count[kind] = db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM cases ${filter} LIMIT ${COUNT_CAP + 1})`);
  }
  // Every case as a work queue: first the cases with an open deadline, nearest first (the open deadlines grouped by
  // case), then the cases with none, newest first. Two ordered ranges, so neither sorts the whole cases table.
  const queue = db.prepare(
    `SELECT ${SUMMARY_AS}, ${NEXT_DEADLINE('c')} FROM (SELECT case_id, min(due) AS due FROM case_deadlines WHERE stopped_on IS NULL GROUP BY case_id) q
     JOIN cases c ON c.id = q.case_id ORDER BY q.due, c.case_number LIMIT @limit OFFSET @offset`,
  );
  const queueLength = db.prepare('SELECT count(DISTINCT case_id) FROM case_deadlines WHERE stopped_on IS NULL').pluck();
  const idle = db.prepare(
    `SELECT ${SUMMARY_AS}, NULL AS nextDue, NULL AS nextDeadlineId FROM cases c
     WHERE NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.stopped_on IS NULL) ORDER BY created_at DESC LIMIT @limit OFFSET @offset`,
  );
  byDue.recent = (params) => {
    const limit = params.limit as number;
    const offset = params.offset as number;
    const n = queueLength.get() as number;
    const first = offset < n ? (queue.all({ limit, offset }) as SummaryRow[]) : [];
    const rest = first.length < limit ? (idle.all({ limit: limit - first.length, offset: Math.max(0, offset - n) }) as SummaryRow[]) : [];
    return [...first, ...rest];
  };
  const exactIin = runner(`SELECT ${SUMMARY_AS}, ${NEXT_DEADLINE('cases')} FROM cases WHERE applicant_iin = @lo LIMIT @limit OFFSET @offset`);

  return function searchCases(query: string, limit: number, offset: number, sort: 'default' | 'due' = 'default'): SearchResult {
    const kind = classifyQuery(query);
    const q = query.trim();
    const lo = kind === 'name' ? foldName(q) : kind === 'case_number' ? q.toUpperCase() : q;
    const range = kind === 'recent' ? {} : { lo, hi: prefixUpperBound(lo) };
    const statement = sort === 'due' ? byDue[kind] : kind === 'iin' && q.length === 12 ? exactIin : page[kind];
    const exact = sort !== 'due' && kind === 'iin' && q.length === 12;
    const items = statement(exact ? { lo, limit, offset } : { ...range, limit, offset }).map(toItem);
    // A first page that is not full holds every match: no need to count.
    const n = offset === 0 && items.length < limit ? items.length : (count[kind].get(range) as { n: number }).n;
    return { items, total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP, kind };
  };
}

export function getCase(db: Db, id: string): Omit<CaseDetail, 'available' | 'sync'> | null {
  const row = db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
  if (!row) return null;
  const events = db.prepare('SELECT * FROM case_events WHERE case_id = ? ORDER BY seq').all(id) as EventRow[];
  const deadlines = db
    .prepare('SELECT deadline AS id, started_on AS startedOn, due, stopped_on AS stoppedOn, met FROM case_deadlines WHERE case_id = ? ORDER BY started_on, deadline, started_seq')
    .all(id) as CaseDetail['deadlines'];
  return {
    ...toSummary(row),
    sample: db.prepare('SELECT 1 FROM sample_cases WHERE case_id = ?').get(id) !== undefined,
    rulesVersion: row.rules_version,
    deadlines,
    address: row.address,
    phone: row.phone,
    officeCode: row.office_code,
    version: row.version,
    events: events.map(toEventView),
  };
}

function toEventView(e: EventRow): CaseEventView {
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
    signed: e.signature !== null,
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
