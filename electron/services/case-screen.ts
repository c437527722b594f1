/**
 * The case screen in one call: the case's stored view (written in the transaction of each commit, its timeline
 * included) passed on as its text, unparsed (the screen parses it once: shared/contract/case-detail.ts), with this
 * workstation's facts about the case's acts (flags, sync states, acts out of the line) and what the signed-in person
 * may do now. Two statements; the log is replayed only when the view does not stand on the line's last act
 * (counted: the read path should not need it).
 */
import type { CaseScreen } from '../../shared/contract/types';
import type { Role } from '../../shared/roles';
import { AppError } from '../../shared/errors';
import { replayProjection } from '../../db/commit';
import { logReplays, screenRows } from '../../db/repositories/views';
import type { Db } from '../../db/connection';
import { availableActs } from './case-acts';

/** The case screen for a person of `role`; `configured`: whether this workstation syncs at all. */
export function caseScreen(db: Db, caseId: string, role: Role, configured: boolean): CaseScreen {
  const { view, side } = screenRows(db, caseId);
  if (!side.head) throw new AppError('not_found');
  let text: string;
  let place: Parameters<typeof availableActs>[0];
  if (view && view.version === side.head.seq && view.headHash === side.head.hash) {
    text = view.state;
    place = view;
  } else {
    logReplays.add();
    const state = replayProjection(db, caseId);
    if (!state) throw new AppError('not_found');
    text = JSON.stringify(state);
    place = state.case;
  }
  const sample = view?.sample === 1;
  const flags: Record<string, string[]> = {};
  for (const [id, f] of side.flags) flags[id] = JSON.parse(f) as string[];
  return {
    view: text,
    sample,
    outOfLine: side.outOfLine,
    flags,
    // What the signed-in person may do next, from the workflow (the screens show these steps, never re-coded).
    available: availableActs(place, [role]),
    // A sample case of the demo office never goes to the server: it is this computer's only.
    sync: { ...side.sync, configured: configured && !sample },
  };
}
