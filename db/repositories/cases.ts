import type { SearchResult } from '../../shared/contract/types';
import { TERMINAL_STAGES } from '../../shared/domain/workflow';
export type { EventRow } from './events';
import type { Db } from '../connection';

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
