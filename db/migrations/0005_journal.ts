/**
 * The journal of applications (Rules, Appendix 21): one row per registered case, a projection of its
 * journal.registered event. Numbers are office + year + workstation + sequence, assigned offline without
 * collisions and never reused (a refused case keeps its number).
 */
export const sql = /* sql */ `
CREATE TABLE journal (
  journal_number    TEXT PRIMARY KEY,
  case_id           TEXT NOT NULL UNIQUE REFERENCES cases (id),
  office_code       TEXT NOT NULL,
  registered_on     TEXT NOT NULL,
  registered_by_iin TEXT NOT NULL,
  channel           TEXT NOT NULL CHECK (channel IN ('district', 'center')),
  applicant_iin     TEXT NOT NULL,
  applicant_name    TEXT NOT NULL,
  address           TEXT NOT NULL,
  children          INTEGER NOT NULL CHECK (children >= 0),
  documents         TEXT NOT NULL
) STRICT;
CREATE INDEX journal_by_day ON journal (registered_on, journal_number);
`;
