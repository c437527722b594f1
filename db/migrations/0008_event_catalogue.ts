/**
 * The event catalogue and the one commit path (shared/events): every current-state table is a projection of
 * the signed log, written only by db/commit.ts and db/rebuild.ts.
 * - The deadlines board's triggers (0007) go: the projection writes each deadline's stage and responsible person,
 *   and a deadline is keyed by the event that started it.
 * - Each case row carries its head hash, so Verify case can tell the log from the projection.
 * - The certified documents (forms) get their own projection table.
 * - The log is the outbox: event_sync marks each event pending or acknowledged by the central server.
 * - Events written before the catalogue do not carry every fact their projection needs (the due dates the old
 *   code counted on its calendar, the case's creation time): legacy_facts freezes them from the tables the old
 *   code wrote, once, so that a rebuild gives the same tables. Nothing writes it after this migration.
 */
export const sql = /* sql */ `
CREATE TABLE legacy_facts (
  case_id    TEXT NOT NULL,
  fact       TEXT NOT NULL CHECK (fact IN ('created_at', 'due')),
  deadline   TEXT NOT NULL DEFAULT '',
  started_on TEXT NOT NULL DEFAULT '',
  value      TEXT NOT NULL,
  PRIMARY KEY (case_id, fact, deadline, started_on)
) STRICT;
INSERT INTO legacy_facts (case_id, fact, value) SELECT id, 'created_at', created_at FROM cases;
INSERT INTO legacy_facts (case_id, fact, deadline, started_on, value) SELECT case_id, 'due', deadline, started_on, due FROM case_deadlines;
CREATE TRIGGER legacy_facts_frozen_insert BEFORE INSERT ON legacy_facts BEGIN SELECT RAISE(ABORT, 'legacy_facts is frozen'); END;
CREATE TRIGGER legacy_facts_frozen_update BEFORE UPDATE ON legacy_facts BEGIN SELECT RAISE(ABORT, 'legacy_facts is frozen'); END;
CREATE TRIGGER legacy_facts_frozen_delete BEFORE DELETE ON legacy_facts BEGIN SELECT RAISE(ABORT, 'legacy_facts is frozen'); END;

DROP TRIGGER case_deadlines_board_insert;
DROP TRIGGER cases_board_stage;
DROP TRIGGER journal_board_insert;
DROP TRIGGER journal_board_responsible;

ALTER TABLE cases ADD COLUMN head_hash TEXT NOT NULL DEFAULT '';

-- A deadline is keyed by the event that started it: the district's 2-day check of a Center package starts again
-- at each re-send, possibly on the same day (before, such a restart collided with the stopped one). The
-- rebuild that follows this migration fills started_seq from the log; a row of a case without a log (none in
-- real use) keeps its old rowid there, and its stage and person as migration 7 projected them.
CREATE TABLE case_deadlines_new (
  case_id         TEXT NOT NULL REFERENCES cases (id),
  started_seq     INTEGER NOT NULL,
  deadline        TEXT NOT NULL,
  started_on      TEXT NOT NULL,
  due             TEXT NOT NULL,
  stopped_on      TEXT,
  met             INTEGER CHECK (met IN (0, 1)),
  stage           TEXT,
  responsible_iin TEXT,
  PRIMARY KEY (case_id, started_seq, deadline)
) STRICT;
INSERT INTO case_deadlines_new (case_id, started_seq, deadline, started_on, due, stopped_on, met, stage, responsible_iin)
  SELECT case_id, rowid, deadline, started_on, due, stopped_on, met, stage, responsible_iin FROM case_deadlines;
DROP TABLE case_deadlines;
ALTER TABLE case_deadlines_new RENAME TO case_deadlines;
CREATE INDEX case_deadlines_open_by_due ON case_deadlines (due) WHERE stopped_on IS NULL;
CREATE INDEX case_deadlines_open_counts ON case_deadlines (stage, responsible_iin, due) WHERE stopped_on IS NULL;
CREATE INDEX case_deadlines_open_by_stage ON case_deadlines (stage, due) WHERE stopped_on IS NULL;
CREATE INDEX case_deadlines_open_by_responsible ON case_deadlines (responsible_iin, due) WHERE stopped_on IS NULL;

CREATE TABLE case_documents (
  case_id           TEXT NOT NULL REFERENCES cases (id),
  event_seq         INTEGER NOT NULL,
  event_type        TEXT NOT NULL,
  form              TEXT NOT NULL,
  blob_sha256       TEXT NOT NULL REFERENCES blobs (sha256),
  signature_sha256  TEXT NOT NULL REFERENCES blobs (sha256),
  verification_code TEXT NOT NULL,
  issued_at         TEXT NOT NULL,
  signer_iin        TEXT NOT NULL,
  PRIMARY KEY (case_id, event_seq)
) STRICT;
CREATE INDEX case_documents_by_form ON case_documents (case_id, form, event_seq);

CREATE TABLE event_sync (
  event_id        TEXT PRIMARY KEY REFERENCES case_events (id),
  case_id         TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'acked', 'refused')),
  server_seq      INTEGER,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT,
  acked_at        TEXT
) STRICT;
CREATE INDEX event_sync_pending ON event_sync (case_id) WHERE state = 'pending';
INSERT INTO event_sync (event_id, case_id, state) SELECT id, case_id, 'pending' FROM case_events;
`;
