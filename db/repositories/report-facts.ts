/**
 * The report facts (migration 20) derived again from the log: what a rebuild and the migration run, and what a test
 * compares the trigger-kept tables with. The acts that left their case's line are not counted.
 */
import type { Db } from '../connection';

const IN_LINE = 'e.id NOT IN (SELECT event_id FROM event_refusals)';

export const REFUSAL_GROUNDS_FROM_LOG = `SELECT e.id AS event_id, e.case_id AS case_id,
    (SELECT coalesce(json_extract(o.payload, '$.channel'), CASE o.type WHEN 'center.intake_registered' THEN 'center' ELSE 'district' END) FROM case_events o WHERE o.case_id = e.case_id AND o.seq = 1 LIMIT 1) AS channel, e.at AS at, g.value AS ground
  FROM case_events e INDEXED BY case_events_by_type_at, json_each(e.payload, '$.decision.refusalGrounds') g
  WHERE e.type = 'decision.signed' AND json_extract(e.payload, '$.decision.outcome') = 'refuse' AND ${IN_LINE}`;

export const REFERRALS_FROM_LOG = `SELECT e.id AS event_id, e.case_id AS case_id, e.at AS at, json_extract(e.payload, '$.precinct') AS precinct
  FROM case_events e INDEXED BY case_events_by_type_at WHERE e.type = 'commission.referred' AND ${IN_LINE}`;

/** Empties the report facts and derives them again from the log, inside the caller's transaction. */
export function rederiveReportFacts(db: Db): void {
  db.exec(`DELETE FROM report_refusal_grounds; DELETE FROM report_referrals;
    INSERT OR IGNORE INTO report_refusal_grounds (event_id, case_id, channel, at, ground) ${REFUSAL_GROUNDS_FROM_LOG};
    INSERT INTO report_referrals (event_id, case_id, at, precinct) ${REFERRALS_FROM_LOG};`);
}

/** No drift: what reportFactsDrift says of tables that agree with the log. */
export const NO_REPORT_FACTS_DRIFT = [
  { table: 'report_refusal_grounds', onlyStored: 0, onlyLog: 0 },
  { table: 'report_referrals', onlyStored: 0, onlyLog: 0 },
] as const;

/** The rows the report facts hold that the log does not give, and the other way round (none, unless they drifted). */
export function reportFactsDrift(db: Db): { table: string; onlyStored: number; onlyLog: number }[] {
  const drift = (table: string, cols: string, fromLog: string) => {
    const n = (sql: string) => (db.prepare(`SELECT count(*) AS n FROM (${sql})`).get() as { n: number }).n;
    return { table, onlyStored: n(`SELECT ${cols} FROM ${table} EXCEPT SELECT ${cols} FROM (${fromLog})`), onlyLog: n(`SELECT ${cols} FROM (${fromLog}) EXCEPT SELECT ${cols} FROM ${table}`) };
  };
  return [
    drift('report_refusal_grounds', 'event_id, case_id, channel, at, ground', REFUSAL_GROUNDS_FROM_LOG),
    drift('report_referrals', 'event_id, case_id, at, precinct', REFERRALS_FROM_LOG),
  ];
}
