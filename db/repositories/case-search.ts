/**
 * Case search. Each kind is one index range scan (IIN: exact for 12 digits, else prefix; case number: prefix; name:
 * a prefix of the folded full name), ordered by that index with the row as the tie-break, and each page is read
 * from just after the last row of the page before (a keyset: the `after` cursor): page 500 costs what the first
 * does, where skipping with OFFSET read every row before it. Matches are counted only when the page is full, and
 * only up to COUNT_CAP.
 */
import type { CaseSummary, SearchResult } from '../../shared/contract/types';
import { foldName, prefixUpperBound } from '../../shared/text';
import type { Db } from '../connection';
import { decodePageCursor, encodePageCursor } from '../page-cursor';
import { classifyQuery, COUNT_CAP, type QueryKind } from './cases';

/** Summary columns under the names of CaseSummary, so rows need no mapping on the hot path. */
const SUMMARY_AS = (a: string) => `${a}.rowid AS row, ${a}.id AS id, ${a}.case_number AS caseNumber, ${a}.stage AS stage, ${a}.channel AS channel,
  ${a}.applicant_iin AS iin, ${a}.surname AS surname, ${a}.given_name AS givenName, ${a}.patronymic AS patronymic, ${a}.birth_date AS birthDate,
  ${a}.doc_language AS docLanguage, ${a}.created_at AS createdAt, EXISTS (SELECT 1 FROM sample_cases s WHERE s.case_id = ${a}.id) AS sample`;

/** The nearest open deadline of the case in `alias`: a few rows of the primary key, for a page of 20. */
const NEXT_DEADLINE = (alias: string) => `(SELECT due FROM case_deadlines d WHERE d.case_id = ${alias}.id AND d.stopped_on IS NULL ORDER BY due, deadline LIMIT 1) AS nextDue,
  (SELECT deadline FROM case_deadlines d WHERE d.case_id = ${alias}.id AND d.stopped_on IS NULL ORDER BY due, deadline LIMIT 1) AS nextDeadlineId`;

type SummaryRow = CaseSummary & { row: number; nextDue: string | null; nextDeadlineId: string | null; k?: string };
const toItem = ({ nextDue, nextDeadlineId, row: _row, k: _k, sample, ...c }: SummaryRow): CaseSummary => ({
  ...c,
  sample: Boolean(sample),
  nextDeadline: nextDue && nextDeadlineId ? { id: nextDeadlineId as never, due: nextDue } : null,
});

/** Where a page ended: the phase of the work queue ('q' cases with an open deadline, 'i' the others) and its keys. */
type Cursor = { p: 'q' | 'i' | 'k'; k: string; r: number };
const encode = (c: Cursor) => encodePageCursor(c);
const decode = (after: string | undefined) =>
  decodePageCursor<Cursor>(after, (c) => (['q', 'i', 'k'].includes(c.p as string) && typeof c.k === 'string' && Number.isInteger(c.r) ? (c as Cursor) : null));

/** The range each kind reads, and the indexed column it is ordered by (the row breaks ties). */
const RANGE: Record<Exclude<QueryKind, 'recent'>, { where: string; key: string }> = {
  iin: { where: 'c.applicant_iin >= @lo AND c.applicant_iin < @hi', key: 'c.applicant_iin' },
  case_number: { where: 'c.case_number >= @lo AND c.case_number < @hi', key: 'c.case_number' },
  name: { where: 'c.full_name_fold >= @lo AND c.full_name_fold < @hi', key: 'c.full_name_fold' },
};

export function createCaseSearch(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const all = (sql: string, params: Record<string, unknown>) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s.all(params) as SummaryRow[];
  };
  const count = (where: string, params: Record<string, unknown>) => {
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM cases c ${where ? `WHERE ${where}` : ''} LIMIT ${COUNT_CAP + 1})`;
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return (s.get(params) as { n: number }).n;
  };

  /** As the query orders: newest first for none, else along the kind's index. */
  function byIndex(kind: QueryKind, exact: boolean, at: Cursor | null, params: Record<string, unknown>): { rows: SummaryRow[]; key: (r: SummaryRow) => string } {
    if (kind === 'recent') {
      const rows = all(`SELECT ${SUMMARY_AS('c')}, ${NEXT_DEADLINE('c')} FROM cases c ${at ? 'WHERE (c.created_at, c.rowid) < (@k, @r)' : ''} ORDER BY c.created_at DESC, c.rowid DESC LIMIT @limit`, params);
      return { rows, key: (r) => r.createdAt };
    }
    const range = exact ? { where: 'c.applicant_iin = @lo', key: 'c.applicant_iin' } : RANGE[kind];
    const rows = all(`SELECT ${SUMMARY_AS('c')}, ${NEXT_DEADLINE('c')}, ${range.key} AS k FROM cases c WHERE ${range.where} ${at ? `AND (${range.key}, c.rowid) > (@k, @r)` : ''} ORDER BY ${range.key}, c.rowid LIMIT @limit`, params);
    return { rows, key: (r) => r.k! };
  }

  /**
   * The work queue: first the cases with an open deadline, nearest first (the open deadlines grouped by case), then
   * the cases with none, newest first. Two ordered ranges, so neither sorts the whole cases table; the cursor says
   * which of the two a page ended in.
   */
  function queue(at: Cursor | null, params: Record<string, unknown>, limit: number): { rows: SummaryRow[]; cursor: Cursor | null } {
    let rows: SummaryRow[] = [];
    if (!at || at.p === 'q') {
      rows = all(
        `SELECT ${SUMMARY_AS('c')}, ${NEXT_DEADLINE('c')}, q.due AS k FROM (SELECT case_id, min(due) AS due FROM case_deadlines WHERE stopped_on IS NULL GROUP BY case_id) q
         JOIN cases c ON c.id = q.case_id ${at ? 'WHERE (q.due, c.rowid) > (@k, @r)' : ''} ORDER BY q.due, c.rowid LIMIT @limit`,
        params,
      );
      if (rows.length === limit) return { rows, cursor: { p: 'q', k: rows.at(-1)!.k!, r: rows.at(-1)!.row } };
    }
    const idleAt = at?.p === 'i' ? at : null;
    const idle = all(
      `SELECT ${SUMMARY_AS('c')}, NULL AS nextDue, NULL AS nextDeadlineId FROM cases c
       WHERE NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.stopped_on IS NULL) ${idleAt ? 'AND (c.created_at, c.rowid) < (@k, @r)' : ''}
       ORDER BY c.created_at DESC, c.rowid DESC LIMIT @limit`,
      { ...params, limit: limit - rows.length },
    );
    rows = [...rows, ...idle];
    const last = idle.at(-1);
    return { rows, cursor: rows.length === limit && last ? { p: 'i', k: last.createdAt, r: last.row } : null };
  }

  /** A filtered range (a typed IIN, name or number) by nearest deadline: a few matches, ordered among themselves. */
  function rangeByDue(kind: Exclude<QueryKind, 'recent'>, at: Cursor | null, params: Record<string, unknown>): SummaryRow[] {
    return all(
      `SELECT * FROM (SELECT ${SUMMARY_AS('c')}, ${NEXT_DEADLINE('c')} FROM cases c WHERE ${RANGE[kind].where}) m
       ${at ? "WHERE (coalesce(m.nextDue, '9999-12-31'), m.row) > (@k, @r)" : ''} ORDER BY coalesce(m.nextDue, '9999-12-31'), m.row LIMIT @limit`,
      params,
    );
  }

  return function searchCases(query: string, limit: number, after?: string, sort: 'default' | 'due' = 'default'): SearchResult {
    const kind = classifyQuery(query);
    const q = query.trim();
    const lo = kind === 'name' ? foldName(q) : kind === 'case_number' ? q.toUpperCase() : q;
    const range = kind === 'recent' ? {} : { lo, hi: prefixUpperBound(lo) };
    const at = decode(after);
    const params = { ...range, limit, k: at?.k ?? null, r: at?.r ?? null };
    let rows: SummaryRow[];
    let next: Cursor | null;
    if (sort === 'due' && kind === 'recent') ({ rows, cursor: next } = queue(at, params, limit));
    else {
      const exact = sort !== 'due' && kind === 'iin' && q.length === 12;
      if (sort === 'due') {
        rows = rangeByDue(kind as Exclude<QueryKind, 'recent'>, at, params);
        next = rows.length === limit ? { p: 'k', k: rows.at(-1)!.nextDue ?? '9999-12-31', r: rows.at(-1)!.row } : null;
      } else {
        const page = byIndex(kind, exact, at, exact ? { lo, limit, k: params.k, r: params.r } : params);
        rows = page.rows;
        next = rows.length === limit ? { p: 'k', k: page.key(rows.at(-1)!), r: rows.at(-1)!.row } : null;
      }
    }
    const where = kind === 'recent' ? '' : RANGE[kind].where;
    // A first page that is not full holds every match: no need to count.
    const n = !at && rows.length < limit ? rows.length : count(where, range);
    return { items: rows.map(toItem), total: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP, kind, next: next ? encode(next) : null };
  };
}
