/**
 * Report facts kept at commit: the figures that a report would otherwise read out of each act's payload.
 * - journal.applied_at: when the application was received (the case's creation), beside the decision's day in the
 *   journal row, so that working days from application to decision are read from one index without a join.
 * - report_refusal_grounds: one row per ground of each decision to refuse (Rules, item 10), with the case's channel.
 * - report_referrals: one row per referral to a precinct commission (Rules, item 11.1 stage 4), with its precinct.
 * The two tables are derived from the log by triggers on case_events, in the transaction that appends the act (the
 * commit, a pull, a seed); an act that leaves its case's line (a conflict lost on the server) leaves them too.
 * `jardem db rebuild` derives them again from the log (db/repositories/report-facts.ts).
 */
export const sql = /* sql */ `
-- Replaced by the tables below: the payload is no longer read for a report.
DROP INDEX case_events_referrals;
DROP INDEX case_events_refusals;
-- A deadline kind's stopped days in one range each (the report asks kind by kind), rather than sorting a period's.
DROP INDEX case_deadlines_stopped;
CREATE INDEX case_deadlines_stopped_by_kind ON case_deadlines (deadline, stopped_on, met) WHERE stopped_on IS NOT NULL;

ALTER TABLE journal ADD COLUMN applied_at TEXT NOT NULL DEFAULT '';
DROP INDEX journal_by_decided;
CREATE INDEX journal_by_decided ON journal (decided_on, channel, decision, children, monthly_amount_tiyn, applied_at, case_id) WHERE decided_on IS NOT NULL;

CREATE TABLE report_refusal_grounds (
  event_id TEXT NOT NULL,
  case_id  TEXT NOT NULL,
  channel  TEXT NOT NULL CHECK (channel IN ('district', 'center')),
  at       TEXT NOT NULL,
  ground   TEXT NOT NULL,
  PRIMARY KEY (event_id, ground)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_refusal_grounds_by_at ON report_refusal_grounds (at, ground, channel, case_id);

CREATE TABLE report_referrals (
  event_id TEXT PRIMARY KEY,
  case_id  TEXT NOT NULL,
  at       TEXT NOT NULL,
  precinct TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX report_referrals_by_at ON report_referrals (at, precinct, case_id);

-- A case's channel is the one its opening act states (the projection reads the same field).
CREATE TRIGGER report_refusal_grounds_insert AFTER INSERT ON case_events
  WHEN NEW.type = 'decision.signed' AND json_extract(NEW.payload, '$.decision.outcome') = 'refuse' BEGIN
  INSERT OR IGNORE INTO report_refusal_grounds (event_id, case_id, channel, at, ground)
    SELECT NEW.id, NEW.case_id, (SELECT coalesce(json_extract(o.payload, '$.channel'), CASE o.type WHEN 'center.intake_registered' THEN 'center' ELSE 'district' END) FROM case_events o WHERE o.case_id = NEW.case_id AND o.seq = 1 LIMIT 1), NEW.at, g.value
    FROM json_each(NEW.payload, '$.decision.refusalGrounds') g;
END;
CREATE TRIGGER report_referrals_insert AFTER INSERT ON case_events WHEN NEW.type = 'commission.referred' BEGIN
  INSERT OR IGNORE INTO report_referrals (event_id, case_id, at, precinct) VALUES (NEW.id, NEW.case_id, NEW.at, json_extract(NEW.payload, '$.precinct'));
END;
CREATE TRIGGER report_facts_leave_line AFTER INSERT ON event_refusals BEGIN
  DELETE FROM report_refusal_grounds WHERE event_id = NEW.event_id;
  DELETE FROM report_referrals WHERE event_id = NEW.event_id;
END;
`;
