/**
 * Reads of the stored case views (case_views, written only by the commit path and the rebuild through
 * projection.ts): the projection of a case as of its version, so neither a screen nor the next commit replays the
 * log. How many times the log was replayed for a read is counted, for the test that keeps it at none.
 */
import type { CaseProjection } from '../../shared/events/projection';
import type { Channel, Stage } from '../../shared/domain/workflow';
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

/** What the case screen reads beside the stored view: this workstation's own facts about the case's acts. */
export interface ScreenSide {
  /** The line's last act (the view must stand on it). */
  head: { seq: number; hash: string } | null;
  /** The clock flags the server gave acts, by event id (JSON arrays). */
  flags: Map<string, string>;
  sync: { pending: number; acked: number; refused: number };
  /** Acts that lost their place on the server: shown on the timeline, out of the line. */
  outOfLine: { id: string; seq: number; type: string; at: string; actorIin: string; actorRole: string }[];
}

const screenStatements = new WeakMap<Db, ReturnType<typeof prepareScreen>>();
function prepareScreen(db: Db) {
  return {
    // What the services decide on (the acts allowed now, whether the view is current) from the case row; the
    // view's text is passed on unparsed.
    view: db.prepare(
      `SELECT v.version, v.state, c.stage, c.channel, c.rules_version AS rulesVersion, c.head_hash AS headHash,
              EXISTS (SELECT 1 FROM sample_cases s WHERE s.case_id = v.case_id) AS sample
       FROM case_views v JOIN cases c ON c.id = v.case_id WHERE v.case_id = ?`,
    ),
    // One statement, each part by its index on the case: the line's head, the flags, the counts by sync state,
    // and the acts out of the line (usually none).
    side: db
      .prepare(
        `SELECT 'head' AS kind, NULL AS id, seq AS n, hash AS value FROM (
           SELECT seq, hash FROM case_events WHERE case_id = ?1 AND id NOT IN (SELECT event_id FROM event_refusals WHERE case_id = ?1) ORDER BY seq DESC LIMIT 1)
         UNION ALL SELECT 'flags', event_id, NULL, flags FROM event_flags WHERE case_id = ?1
         UNION ALL SELECT 'sync', state, count(*), NULL FROM event_sync WHERE case_id = ?1 GROUP BY state
         UNION ALL SELECT 'out', e.id, e.seq, json_array(e.type, e.at, e.actor_iin, e.actor_role)
           FROM event_refusals r JOIN case_events e ON e.id = r.event_id WHERE r.case_id = ?1`,
      )
      .raw(),
  };
}

/** A case's stored view with its place (stage, channel, rules) and head from the case row. */
export interface ScreenView {
  version: number;
  state: string;
  stage: Stage;
  channel: Channel;
  rulesVersion: string;
  headHash: string;
  sample: 0 | 1;
}

/** The case's stored view (null: none), and this workstation's facts about its acts. */
export function screenRows(db: Db, caseId: string): { view: ScreenView | null; side: ScreenSide } {
  let s = screenStatements.get(db);
  if (!s) screenStatements.set(db, (s = prepareScreen(db)));
  const view = (s.view.get(caseId) as ScreenView | undefined) ?? null;
  const side: ScreenSide = { head: null, flags: new Map(), sync: { pending: 0, acked: 0, refused: 0 }, outOfLine: [] };
  for (const [kind, id, n, value] of s.side.all({ 1: caseId }) as [string, string | null, number | null, string | null][]) {
    if (kind === 'head') side.head = { seq: n!, hash: value! };
    else if (kind === 'flags') side.flags.set(id!, value!);
    else if (kind === 'sync') side.sync[id as keyof ScreenSide['sync']] = n!;
    else {
      const [type, at, actorIin, actorRole] = JSON.parse(value!) as string[];
      side.outOfLine.push({ id: id!, seq: n!, type: type!, at: at!, actorIin: actorIin!, actorRole: actorRole! });
    }
  }
  return { view, side };
}
