/**
 * Conflicts of sync, shown to a person and never merged.
 * - sync_conflicts: the office's conflicts as the server keeps them (and, before the server's word arrives, as this
 *   workstation learnt them at push): the losing act(s) whole with their signatures (verified before they are kept),
 *   the act holding the place, and whether and by which event a person resolved it.
 * - event_flags: the clock flags the server gave an act (clock_ahead, clock_skewed, before_previous), shown on the
 *   Sync panel and in the case's history; the act itself is unchanged.
 */
export const sql = /* sql */ `
CREATE TABLE sync_conflicts (
  id               TEXT PRIMARY KEY,
  case_id          TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('same_version', 'same_family')),
  other_case_id    TEXT,
  holding_event_id TEXT NOT NULL,
  losing           TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  resolved_by      TEXT,
  resolution       TEXT,
  server_seq       INTEGER,
  detected_at      TEXT NOT NULL
) STRICT;
CREATE INDEX sync_conflicts_by_case ON sync_conflicts (case_id);
CREATE INDEX sync_conflicts_open ON sync_conflicts (status);

CREATE TABLE event_flags (
  event_id TEXT PRIMARY KEY,
  case_id  TEXT NOT NULL,
  flags    TEXT NOT NULL
) STRICT;
CREATE INDEX event_flags_by_case ON event_flags (case_id);
`;
