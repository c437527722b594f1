/**
 * Sync with the central server (its log is the truth; the workstation's log is its outbox).
 * - A case's line on the server may hold another workstation's act where this one made its own (a conflict). The
 *   losing event stays in the log but leaves the case's line: event_refusals (insert-only) says so, and one event
 *   per place in a line is enforced by a trigger instead of UNIQUE (case_id, seq), which case_events is rebuilt
 *   without.
 * - Acknowledgements as anchors: the events the server holds, with their hash (insert-only): Verify case names an
 *   acknowledged event that has gone missing here.
 * - Pulled events that cannot be applied (a type this version does not know, a failed verification) are held with
 *   their reason, never applied; their case waits.
 */
export const sql = /* sql */ `
CREATE TABLE event_refusals (
  event_id   TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL,
  reason     TEXT NOT NULL,
  params     TEXT NOT NULL DEFAULT '{}',
  refused_at TEXT NOT NULL
) STRICT;
CREATE INDEX event_refusals_by_case ON event_refusals (case_id);
CREATE TRIGGER event_refusals_append_only_update BEFORE UPDATE ON event_refusals BEGIN SELECT RAISE(ABORT, 'event_refusals is append-only'); END;
CREATE TRIGGER event_refusals_append_only_delete BEFORE DELETE ON event_refusals BEGIN SELECT RAISE(ABORT, 'event_refusals is append-only'); END;

CREATE TABLE event_anchors (
  event_id   TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  hash       TEXT NOT NULL,
  server_seq INTEGER NOT NULL,
  acked_at   TEXT NOT NULL
) STRICT;
CREATE INDEX event_anchors_by_case ON event_anchors (case_id, seq);
CREATE TRIGGER event_anchors_append_only_update BEFORE UPDATE ON event_anchors BEGIN SELECT RAISE(ABORT, 'event_anchors is append-only'); END;
CREATE TRIGGER event_anchors_append_only_delete BEFORE DELETE ON event_anchors BEGIN SELECT RAISE(ABORT, 'event_anchors is append-only'); END;

CREATE TABLE sync_held (
  event_id   TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL,
  server_seq INTEGER NOT NULL,
  event      TEXT NOT NULL,
  reason     TEXT NOT NULL,
  params     TEXT NOT NULL DEFAULT '{}',
  held_at    TEXT NOT NULL
) STRICT;
CREATE INDEX sync_held_by_case ON sync_held (case_id);

CREATE TABLE case_events_new (
  id                TEXT PRIMARY KEY,
  case_id           TEXT NOT NULL REFERENCES cases (id),
  seq               INTEGER NOT NULL CHECK (seq >= 1),
  case_version      INTEGER NOT NULL CHECK (case_version >= 0),
  type              TEXT NOT NULL,
  payload           TEXT NOT NULL,
  actor_iin         TEXT NOT NULL,
  actor_role        TEXT NOT NULL,
  actor_cert_sha256 TEXT NOT NULL,
  at                TEXT NOT NULL,
  prev_hash         TEXT,
  hash              TEXT NOT NULL,
  signature         BLOB
) STRICT;
INSERT INTO case_events_new SELECT id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature FROM case_events;
DROP TABLE case_events;
ALTER TABLE case_events_new RENAME TO case_events;
CREATE INDEX case_events_by_case ON case_events (case_id, seq);
CREATE INDEX case_events_by_type ON case_events (case_id, type, seq);
CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_one_per_place BEFORE INSERT ON case_events
WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = NEW.case_id AND e.seq = NEW.seq AND e.id NOT IN (SELECT event_id FROM event_refusals))
BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: case_events.case_id, case_events.seq'); END;
`;
