/**
 * The cases behind one figure of the district's report (db/repositories/reports.ts counts them): the same
 * conditions, returning the case ids, with the row a list shows. Each figure's condition is a fixed statement;
 * the key (channel, ground, deadline, precinct, stage, month) is a parameter.
 */
import type { Db } from '../connection';
import type { ReportPeriod } from './reports';
import { REPORT_EVENTS } from './reports';

export interface FigureKey {
  channel?: string | null;
  reason?: string | null;
  deadline?: string | null;
  precinct?: string | null;
  stage?: string | null;
  /** YYYY-MM: narrows a period figure to one month (with the month's own bounds in the period). */
  month?: string | null;
}

const TERMINAL = "('refused_to_accept', 'closed')";
const act = (type: string) => `SELECT DISTINCT case_id FROM case_events INDEXED BY case_events_by_type_at WHERE type = '${type}' AND at >= @fromAt AND at < @toAt`;

/** Each figure: a statement giving the ids of its cases. */
const FIGURES: Record<string, string> = {
  received: 'SELECT id AS case_id FROM cases WHERE created_at >= @fromAt AND created_at < @toAt',
  accepted: 'SELECT case_id FROM journal WHERE registered_on >= @fromDay AND registered_on <= @toDay',
  refused_to_accept: act(REPORT_EVENTS.refusedToAccept),
  returned_to_center: act(REPORT_EVENTS.returnedToCenter),
  assigned: "SELECT case_id FROM journal WHERE decided_on >= @fromDay AND decided_on <= @toDay AND decision = 'assign'",
  refused: "SELECT case_id FROM journal WHERE decided_on >= @fromDay AND decided_on <= @toDay AND decision = 'refuse'",
  refused_reason: 'SELECT DISTINCT case_id FROM report_refusal_grounds WHERE at >= @fromAt AND at < @toAt AND ground = @reason',
  deadline_met: 'SELECT DISTINCT case_id FROM case_deadlines WHERE stopped_on >= @fromDay AND stopped_on <= @toDay AND met = 1 AND deadline = @deadline',
  deadline_missed: 'SELECT DISTINCT case_id FROM case_deadlines WHERE stopped_on >= @fromDay AND stopped_on <= @toDay AND met = 0 AND deadline = @deadline',
  deadline_overdue: 'SELECT DISTINCT case_id FROM case_deadlines WHERE stopped_on IS NULL AND due < @today AND deadline = @deadline',
  referrals: 'SELECT DISTINCT case_id FROM report_referrals WHERE at >= @fromAt AND at < @toAt AND precinct = @precinct',
  queue_open: `SELECT id AS case_id FROM cases WHERE stage NOT IN ${TERMINAL}`,
  queue_overdue: `SELECT id AS case_id FROM cases WHERE id IN (SELECT case_id FROM case_deadlines WHERE stopped_on IS NULL AND due < @today) AND stage NOT IN ${TERMINAL}`,
};

export const REPORT_FIGURES = Object.keys(FIGURES);

export interface FigureCaseRow {
  caseId: string;
  caseNumber: string;
  applicantName: string;
  channel: 'district' | 'center';
  stage: string;
  /** One of the demo office's sample cases (migration 18). */
  sample: boolean;
}

export function figureCases(db: Db, figure: string, p: ReportPeriod & { today: string }, key: FigureKey, limit: number): { rows: FigureCaseRow[]; total: number } {
  const ids = FIGURES[figure];
  if (!ids) throw new Error(`unknown report figure ${figure}`);
  const where = ['1 = 1'];
  if (key.channel) where.push('c.channel = @channel');
  if (key.stage) where.push('c.stage = @stage');
  const params = {
    ...p,
    today: p.today,
    channel: key.channel ?? null,
    reason: key.reason ?? null,
    deadline: key.deadline ?? null,
    precinct: key.precinct ?? null,
    stage: key.stage ?? null,
  };
  const from = `(${ids}) f JOIN cases c ON c.id = f.case_id WHERE ${where.join(' AND ')}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM ${from}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT c.id AS caseId, c.case_number AS caseNumber,
        c.surname || ' ' || c.given_name || CASE WHEN c.patronymic = '' THEN '' ELSE ' ' || c.patronymic END AS applicantName,
        c.channel AS channel, c.stage AS stage, EXISTS (SELECT 1 FROM sample_cases s WHERE s.case_id = c.id) AS sample
      FROM ${from} ORDER BY c.created_at, c.id LIMIT @limit`,
    )
    .all({ ...params, limit }) as (Omit<FigureCaseRow, 'sample'> & { sample: number })[];
  return { rows: rows.map((r) => ({ ...r, sample: r.sample === 1 })), total };
}
