/**
 * Reports (the district's figures for a period): indexes only, no new table. The figures are read from the log and
 * its projections as they are; each index covers one figure's statement (db/repositories/reports.ts), so that a
 * year of 100,000 cases is read from indexes without visiting the rows:
 * - an event's type and time, with its case (refusals to accept, packages returned to the Center);
 * - a referral's time and precinct, a refusal to assign's time (expression and partial indexes on the payload);
 * - a decision's day with its channel, outcome, children and amount; a registration's day with its channel;
 * - a case's creation time with its channel, and a case's creation time and channel by its id (for joins);
 * - a stopped deadline's day, kind and whether it was met.
 */
export const sql = /* sql */ `
CREATE INDEX case_events_by_type_at ON case_events (type, at, case_id);
CREATE INDEX case_events_referrals ON case_events (at, json_extract(payload, '$.precinct')) WHERE type = 'commission.referred';
CREATE INDEX case_events_refusals ON case_events (at, case_id) WHERE type = 'decision.signed' AND json_extract(payload, '$.decision.outcome') = 'refuse';
CREATE INDEX journal_by_decided ON journal (decided_on, channel, decision, children, monthly_amount_tiyn, case_id) WHERE decided_on IS NOT NULL;
CREATE INDEX journal_by_registered_channel ON journal (registered_on, channel);
CREATE INDEX cases_by_created_channel ON cases (created_at, channel);
CREATE INDEX cases_by_id_for_reports ON cases (id, created_at, channel, stage);
CREATE INDEX case_deadlines_stopped ON case_deadlines (stopped_on, deadline, met) WHERE stopped_on IS NOT NULL;
`;
