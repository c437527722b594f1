/**
 * The demo office's sample cases: which cases were made as examples (a year of them, so that a newcomer's first
 * report shows something). Not a projection of the log: a label beside it, which no rebuild changes. Their events
 * never leave the workstation (db/repositories/sync.ts keeps them out of the outbox), and every screen that shows
 * such a case marks it as sample data.
 */
export const sql = /* sql */ `
CREATE TABLE sample_cases (
  case_id  TEXT PRIMARY KEY,
  seed     INTEGER NOT NULL,
  made_at  TEXT NOT NULL
) STRICT;
`;
