/**
 * Rules version pinned per case (a case finishes under the rules it started under), its deadlines as started
 * and stopped by the workflow, and the administrator's corrections of the working-day calendar.
 */
export const sql = /* sql */ `
ALTER TABLE cases ADD COLUMN rules_version TEXT NOT NULL DEFAULT 'regulation-4-889-2013';

CREATE TABLE case_deadlines (
  case_id    TEXT NOT NULL REFERENCES cases (id),
  deadline   TEXT NOT NULL,
  started_on TEXT NOT NULL,
  due        TEXT NOT NULL,
  stopped_on TEXT,
  met        INTEGER CHECK (met IN (0, 1)),
  PRIMARY KEY (case_id, deadline, started_on)
) STRICT;
-- "Overdue / due today / at risk" is one indexed query over the open deadlines (architecture.md).
CREATE INDEX case_deadlines_open_by_due ON case_deadlines (due) WHERE stopped_on IS NULL;

CREATE TABLE calendar_corrections (
  date             TEXT PRIMARY KEY,
  working          INTEGER NOT NULL CHECK (working IN (0, 1)),
  reason           TEXT NOT NULL,
  corrected_by_iin TEXT NOT NULL,
  corrected_at     TEXT NOT NULL
) STRICT;
`;
