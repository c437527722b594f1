/**
 * Reference data from the center. reference_acts holds every reference act this workstation made or
 * pulled, with what became of it:
 * - pending: made here by the city department's administrator, applied here, waiting to be pushed;
 * - applied: accepted (pushed and acknowledged, or pulled and verified) and applied to the reference tables;
 * - refused: refused by the server at push, or by this workstation at pull (a hostile or broken act), with the
 *   reason; never applied, shown on the Sync tab.
 * The reference cursor (the server's reference order) is a setting written in the transaction of each page.
 */
export const sql = /* sql */ `
CREATE TABLE reference_acts (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  act         TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'applied', 'refused')),
  ref_seq     INTEGER,
  reason      TEXT,
  origin      TEXT NOT NULL CHECK (origin IN ('here', 'server')),
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX reference_acts_by_state ON reference_acts (state, recorded_at);
`;
