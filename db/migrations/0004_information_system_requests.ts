/**
 * The outbox of information-system requests: each request is queued with its own retry
 * state and sent until answered; its id travels with it, so a retry after a lost reply is answered once.
 */
export const sql = /* sql */ `
CREATE TABLE is_requests (
  request_id       TEXT PRIMARY KEY,
  case_id          TEXT NOT NULL REFERENCES cases (id),
  purpose          TEXT NOT NULL CHECK (purpose IN ('check', 'reconciliation')),
  -- The application.recorded event the request was built from: an answer about older data is not used.
  application_seq  INTEGER NOT NULL,
  request          TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'answered', 'rejected')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_error       TEXT,
  answer_sha256    TEXT REFERENCES blobs (sha256),
  signature_sha256 TEXT REFERENCES blobs (sha256),
  created_at       TEXT NOT NULL,
  answered_at      TEXT
) STRICT;
CREATE INDEX is_requests_due ON is_requests (next_attempt_at) WHERE status = 'queued';
CREATE INDEX is_requests_by_case ON is_requests (case_id, created_at);
`;
