/**
 * The district's report figures (electron/services/reports): grouped counts over the log, its projections and the
 * report facts kept at commit (migration 20: nothing here parses a payload) for one period. A period is given
 * twice: as office days (@fromDay–@toDay, for the projections' day columns) and as the UTC instants of its Almaty
 * midnights (@fromAt ≤ at < @toAt, for event and creation times). Times that need an office day are grouped by
 * their UTC hour here and mapped to the day by the caller (Almaty's offset is whole hours and has changed: SQLite
 * cannot know it).
 */
import type { Db } from '../connection';

export interface ReportPeriod {
  fromDay: string;
  toDay: string;
  fromAt: string;
  toAt: string;
}

type Channel = 'district' | 'center';
export interface HourCount { hour: string; channel: Channel; n: number }

/** The acts a figure counts from the log, by their catalogue type. */
export const REPORT_EVENTS = {
  refusedToAccept: 'acceptance.refused',
  returnedToCenter: 'center.returned_incomplete',
  referred: 'commission.referred',
  decided: 'decision.signed',
} as const;

const TERMINAL = "('refused_to_accept', 'closed')";

// A report's statements, prepared once per connection (a report is asked again at every filter change).
const prepared = new WeakMap<Db, ReturnType<typeof queriesOf>>();

export function reportQueries(db: Db) {
  let queries = prepared.get(db);
  if (!queries) prepared.set(db, (queries = queriesOf(db)));
  return queries;
}

function queriesOf(db: Db) {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const q = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    /** Applications received (a case created: the counter's intake or the Center's), by UTC hour and channel. */
    receivedByHour(p: ReportPeriod): HourCount[] {
      return q(`SELECT substr(created_at, 1, 13) AS hour, channel, count(*) AS n FROM cases INDEXED BY cases_by_created_channel
        WHERE created_at >= @fromAt AND created_at < @toAt GROUP BY 1, 2`).all(p) as HourCount[];
    },
    /** Cases with an act of one type in the period, by UTC hour of their first such act and channel. */
    actCasesByHour(p: ReportPeriod, type: string): HourCount[] {
      return q(`SELECT substr(first_at, 1, 13) AS hour, channel, count(*) AS n FROM (
          SELECT e.case_id, min(e.at) AS first_at FROM case_events e INDEXED BY case_events_by_type_at
          WHERE e.type = @type AND e.at >= @fromAt AND e.at < @toAt GROUP BY e.case_id) a
        JOIN cases c INDEXED BY cases_by_id_for_reports ON c.id = a.case_id GROUP BY 1, 2`).all({ ...p, type }) as HourCount[];
    },
    /** Acts of one type in the period (each counts: a package returned twice is two returns). */
    actCount(p: ReportPeriod, type: string): number {
      return (q(`SELECT count(*) AS n FROM case_events INDEXED BY case_events_by_type_at WHERE type = @type AND at >= @fromAt AND at < @toAt`).get({ ...p, type }) as { n: number }).n;
    },
    /** Registered in the journal (accepted), by office day and channel. */
    acceptedByDay(p: ReportPeriod): { day: string; channel: Channel; n: number }[] {
      return q(`SELECT registered_on AS day, channel, count(*) AS n FROM journal INDEXED BY journal_by_registered_channel
        WHERE registered_on >= @fromDay AND registered_on <= @toDay GROUP BY 1, 2`).all(p) as { day: string; channel: Channel; n: number }[];
    },
    /** Signed decisions by month, channel and outcome: families, children and the monthly amounts. */
    decisionsByMonth(p: ReportPeriod): { month: string; channel: Channel; decision: 'assign' | 'refuse'; n: number; children: number; amount: number }[] {
      return q(`SELECT substr(decided_on, 1, 7) AS month, channel, decision, count(*) AS n, sum(children) AS children,
          coalesce(sum(monthly_amount_tiyn), 0) AS amount
        FROM journal INDEXED BY journal_by_decided WHERE decided_on >= @fromDay AND decided_on <= @toDay AND decision IS NOT NULL
        GROUP BY 1, 2, 3`).all(p) as { month: string; channel: Channel; decision: 'assign' | 'refuse'; n: number; children: number; amount: number }[];
    },
    /** Refusals to assign by ground (a decision may state several), from the facts kept at commit (migration 20). */
    refusalGrounds(p: ReportPeriod): { reason: string; channel: Channel; n: number }[] {
      return q(`SELECT ground AS reason, channel, count(DISTINCT case_id) AS n FROM report_refusal_grounds INDEXED BY report_refusal_grounds_by_at
        WHERE at >= @fromAt AND at < @toAt GROUP BY 1, 2`).all(p) as { reason: string; channel: Channel; n: number }[];
    },
    /** Decisions in the period counted by the UTC hour the application was received and the decision's day. */
    decisionSpans(p: ReportPeriod): { hour: string; decidedOn: string; n: number }[] {
      return q(`SELECT substr(applied_at, 1, 13) AS hour, decided_on AS decidedOn, count(*) AS n FROM journal INDEXED BY journal_by_decided
        WHERE decided_on >= @fromDay AND decided_on <= @toDay AND decision IS NOT NULL GROUP BY 1, 2`).all(p) as { hour: string; decidedOn: string; n: number }[];
    },
    /** Deadlines of each kind stopped in the period, met and missed: one range of the index per kind, no sort. */
    deadlinesStopped(p: ReportPeriod, deadlines: readonly string[]): { deadline: string; met: number; missed: number }[] {
      const s = q(`SELECT @deadline AS deadline, coalesce(sum(met = 1), 0) AS met, coalesce(sum(met = 0), 0) AS missed
        FROM case_deadlines INDEXED BY case_deadlines_stopped_by_kind
        WHERE deadline = @deadline AND stopped_on >= @fromDay AND stopped_on <= @toDay AND stopped_on IS NOT NULL`);
      return deadlines.map((deadline) => s.get({ ...p, deadline }) as { deadline: string; met: number; missed: number });
    },
    /** Open deadlines past due today. */
    deadlinesOverdue(today: string): { deadline: string; n: number }[] {
      return q(`SELECT deadline, count(*) AS n FROM case_deadlines INDEXED BY case_deadlines_open_by_due
        WHERE stopped_on IS NULL AND due < @today GROUP BY 1`).all({ today }) as { deadline: string; n: number }[];
    },
    /** Referrals to the commission in the period, per precinct, with its names when the precinct is known. */
    referrals(p: ReportPeriod): { precinct: string; nameKk: string | null; nameRu: string | null; n: number }[] {
      return q(`SELECT r.precinct AS precinct, pr.name_kk AS nameKk, pr.name_ru AS nameRu, r.n AS n FROM (
          SELECT precinct, count(*) AS n FROM report_referrals INDEXED BY report_referrals_by_at WHERE at >= @fromAt AND at < @toAt GROUP BY 1) r
        LEFT JOIN precincts pr ON pr.code = r.precinct ORDER BY r.precinct`).all(p) as { precinct: string; nameKk: string | null; nameRu: string | null; n: number }[];
    },
    /** The queue now: open cases by stage and channel. */
    queueOpen(): { stage: string; channel: Channel; n: number }[] {
      return (q(`SELECT stage, channel, count(*) AS n FROM cases WHERE stage NOT IN ${TERMINAL} GROUP BY 1, 2`) as unknown as { all(): unknown[] }).all() as { stage: string; channel: Channel; n: number }[];
    },
    /** Open cases with a deadline past due today, by stage and channel. */
    queueOverdue(today: string): { stage: string; channel: Channel; n: number }[] {
      // From the overdue deadlines to their cases (few), not from every open case to its deadlines.
      return q(`SELECT c.stage AS stage, c.channel AS channel, count(*) AS n FROM cases c
        WHERE c.id IN (SELECT case_id FROM case_deadlines INDEXED BY case_deadlines_open_by_due WHERE stopped_on IS NULL AND due < @today) AND c.stage NOT IN ${TERMINAL}
        GROUP BY 1, 2`).all({ today }) as { stage: string; channel: Channel; n: number }[];
    },
  };
}
