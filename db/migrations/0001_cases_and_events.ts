/** Cases, their append-only event log, the workstation settings and offline number sequences. */
export const sql = /* sql */ `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Human numbers are assigned offline: office + workstation + year + sequence never collide between
-- workstations and are never reused (architecture.md, "Data").
CREATE TABLE number_sequences (
  scope TEXT PRIMARY KEY,
  last  INTEGER NOT NULL CHECK (last >= 0)
) STRICT;

-- The current state of a case: a projection of its events, rebuildable from the log.
CREATE TABLE cases (
  id             TEXT PRIMARY KEY,
  case_number    TEXT NOT NULL UNIQUE,
  channel        TEXT NOT NULL CHECK (channel IN ('district', 'center')),
  stage          TEXT NOT NULL,
  applicant_iin  TEXT NOT NULL CHECK (length(applicant_iin) = 12),
  surname        TEXT NOT NULL,
  given_name     TEXT NOT NULL,
  patronymic     TEXT NOT NULL,
  -- "surname given patronymic", folded by shared/text.ts foldName: SQLite folds ASCII only.
  full_name_fold TEXT NOT NULL,
  birth_date     TEXT NOT NULL,
  address        TEXT NOT NULL,
  phone          TEXT NOT NULL,
  doc_language   TEXT NOT NULL CHECK (doc_language IN ('kk', 'ru')),
  office_code    TEXT NOT NULL,
  created_by_iin TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  version        INTEGER NOT NULL CHECK (version >= 1)
) STRICT;
CREATE INDEX cases_by_iin ON cases (applicant_iin);
CREATE INDEX cases_by_name ON cases (full_name_fold);
CREATE INDEX cases_by_created ON cases (created_at);

-- The history of a case. Append-only: triggers refuse UPDATE and DELETE.
-- signature holds the detached CMS signature by the actor's ECP key (filled by the ECP issue).
CREATE TABLE case_events (
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
  signature         BLOB,
  UNIQUE (case_id, seq)
) STRICT;

CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
`;
