/**
 * Hardening the workstation.
 * - signin_lockouts: wrong passwords per key file, kept across restarts (point 4). A key file is named by the
 *   SHA-256 of its MAC-protected contents (node/pki/keyfile.ts keyFileId), which no one can change without the
 *   password; the certificate inside is encrypted, so the name cannot be the certificate's own.
 * - audit_trail: who signed in, who failed to, who opened which case, when and at which workstation (point 15).
 *   Append-only like case_events (triggers refuse UPDATE and DELETE; db/open.ts refuses a database without them).
 *   It holds no payload: a case is named by its id and number only, never by the applicant's data.
 * - case_members: the IINs of the family of each case's last recorded application, a projection of the log, so
 *   that a child counted in another open case is found by an index (point 10).
 */
export const sql = /* sql */ `
CREATE TABLE signin_lockouts (
  key_id          TEXT PRIMARY KEY CHECK (length(key_id) = 64),
  failures        INTEGER NOT NULL CHECK (failures >= 0),
  -- Milliseconds since 1970 (the wall clock, never the demo's moved clock).
  locked_until    INTEGER NOT NULL DEFAULT 0,
  last_failure_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_trail (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('signin', 'signin_failed', 'case_opened', 'signout', 'session_locked', 'session_resumed')),
  actor_iin   TEXT,
  actor_name  TEXT,
  actor_role  TEXT,
  cert_sha256 TEXT,
  key_id      TEXT,
  case_id     TEXT,
  case_number TEXT,
  -- For a refusal: its error code (e.g. signin.wrong_password), never what was typed.
  reason      TEXT,
  workstation TEXT NOT NULL,
  host_name   TEXT NOT NULL
) STRICT;
CREATE INDEX audit_trail_by_at ON audit_trail (at);
CREATE INDEX audit_trail_by_case ON audit_trail (case_id, seq) WHERE case_id IS NOT NULL;
CREATE INDEX audit_trail_by_actor ON audit_trail (actor_iin, seq) WHERE actor_iin IS NOT NULL;
CREATE TRIGGER audit_trail_append_only_update BEFORE UPDATE ON audit_trail
BEGIN SELECT RAISE(ABORT, 'audit_trail is append-only'); END;
CREATE TRIGGER audit_trail_append_only_delete BEFORE DELETE ON audit_trail
BEGIN SELECT RAISE(ABORT, 'audit_trail is append-only'); END;

CREATE TABLE case_members (
  case_id         TEXT NOT NULL REFERENCES cases (id),
  iin             TEXT NOT NULL,
  relation        TEXT NOT NULL CHECK (relation IN ('applicant', 'spouse', 'child', 'other')),
  application_seq INTEGER NOT NULL,
  PRIMARY KEY (case_id, iin)
) STRICT;
CREATE INDEX case_members_by_iin ON case_members (iin, relation);
`;
