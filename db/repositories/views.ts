/**
 * Reads of the stored case views (case_views, written only by the commit path and the rebuild through
 * projection.ts): the projection of a case as of its version, so neither a screen nor the next commit replays the
 * log. How many times the log was replayed for a read is counted, for the test that keeps it at none.
 */
import type { CaseProjection } from '../../shared/events/projection';
import type { Db } from '../connection';

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
function prepare(db: Db) {
  return {
    view: db.prepare('SELECT version, state FROM case_views WHERE case_id = ?'),
    // The last event of the case's line (events that lost their place on the server are out of it).
    head: db.prepare('SELECT seq, hash FROM case_events WHERE case_id = ? AND id NOT IN (SELECT event_id FROM event_refusals WHERE case_id = ?) ORDER BY seq DESC LIMIT 1'),
  };
}
function st(db: Db) {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  return s;
}

/** The stored view of a case, null when there is none. */
export function readView(db: Db, caseId: string): { version: number; state: string } | null {
  return (st(db).view.get(caseId) as { version: number; state: string } | undefined) ?? null;
}

/** The last event of the case's line, null for a case with no log here. */
export function lineHead(db: Db, caseId: string): { seq: number; hash: string } | null {
  return (st(db).head.get(caseId, caseId) as { seq: number; hash: string } | undefined) ?? null;
}

/**
 * The case's state from its stored view, when the view stands on the line's last event (its version and head hash);
 * null when there is no such view (a new case, or a line that changed since), and the caller replays the log.
 */
export function viewState(db: Db, caseId: string): CaseProjection | null {
  const v = readView(db, caseId);
  if (!v) return null;
  const head = lineHead(db, caseId);
  const state = JSON.parse(v.state) as CaseProjection;
  return head && head.seq === v.version && state.case.headHash === head.hash ? state : null;
}

let replays = 0;
/** Log replays on the read path since the services started (a test reads it before and after a click). */
export const logReplays = { count: () => replays, add: () => void replays++ };
