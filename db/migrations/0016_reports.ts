/**
 * Reports (the district's monthly figures): indexes only, no new table. The figures are read from the log and its
 * projections as they are; these indexes let one period's acts of a kind (refusals to accept, packages returned to
 * the Center, referrals, signed decisions), its decisions and its stopped deadlines be found without a scan.
 */
export const sql = /* sql */ `
CREATE INDEX case_events_by_type_at ON case_events (type, at);
CREATE INDEX journal_by_decided ON journal (decided_on) WHERE decided_on IS NOT NULL;
CREATE INDEX case_deadlines_stopped ON case_deadlines (stopped_on, deadline, met) WHERE stopped_on IS NOT NULL;
`;
