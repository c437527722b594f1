/**
 * The staff register (shared/contract/staff-protocol.ts): staff_acts holds every signed staff act this workstation
 * made, pulled or imported, with what became of it (pending: made here, applied, waiting to be pushed; applied;
 * refused, with the reason, never applied). staff_register is what the applied acts say: one row per entry (office,
 * person, role, first day), the latest act for it standing. Sign-in and the commit path read roles from it.
 */
export const sql = /* sql */ `
CREATE TABLE staff_acts (
  id          TEXT PRIMARY KEY,
  office_code TEXT NOT NULL,
  act         TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'applied', 'refused')),
  seq         INTEGER,
  reason      TEXT,
  origin      TEXT NOT NULL CHECK (origin IN ('here', 'server', 'file')),
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX staff_acts_by_state ON staff_acts (state, recorded_at);
CREATE TABLE staff_register (
  office_code TEXT NOT NULL,
  iin         TEXT NOT NULL,
  role        TEXT NOT NULL,
  from_date   TEXT NOT NULL,
  to_date     TEXT,
  name        TEXT NOT NULL,
  act_id      TEXT NOT NULL,
  act_at      TEXT NOT NULL,
  PRIMARY KEY (office_code, iin, role, from_date)
) STRICT;
CREATE INDEX staff_register_by_iin ON staff_register (iin);
`;
