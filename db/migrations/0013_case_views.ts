/**
 * The stored view of each case: the projection of its log (the case, its pages, documents, deadlines, journal row
 * and the facts the workflow decides on) with the case's version, written in the transaction of every commit. The
 * case screen and the commit path read it instead of replaying the log; `jardem db rebuild` writes it again from
 * the log, and Verify case compares it with the log's projection.
 */
export const sql = /* sql */ `
CREATE TABLE case_views (
  case_id TEXT PRIMARY KEY REFERENCES cases (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  state   TEXT NOT NULL
) STRICT;
`;
