/**
 * Scanned pages and signed documents. Their bytes live as content-addressed files (blobs/ab/<sha256>, written
 * before the row that names them is committed, never changed); this table lists them. case_pages is a
 * projection of the page.captured / page.removed events: the order and the quality flags the screens show.
 */
export const sql = /* sql */ `
CREATE TABLE blobs (
  sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL CHECK (size >= 0),
  stored_at  TEXT NOT NULL
) STRICT;
CREATE TRIGGER blobs_immutable BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'blobs are immutable'); END;

CREATE TABLE case_pages (
  page_id          TEXT PRIMARY KEY,
  case_id          TEXT NOT NULL REFERENCES cases (id),
  document_kind    TEXT NOT NULL,
  position         INTEGER NOT NULL,
  blob_sha256      TEXT NOT NULL REFERENCES blobs (sha256),
  signature_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
  thumbnail_sha256 TEXT REFERENCES blobs (sha256),
  media_type       TEXT NOT NULL,
  width            INTEGER,
  height           INTEGER,
  dpi              INTEGER,
  -- JSON array of quality flags (low_resolution, blank, blurred, too_dark, too_light, not_checked).
  quality          TEXT NOT NULL,
  source           TEXT NOT NULL,
  event_seq        INTEGER NOT NULL,
  removed          INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1))
) STRICT;
CREATE INDEX case_pages_by_case ON case_pages (case_id, document_kind, position);
`;
