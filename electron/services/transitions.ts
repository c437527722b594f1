/**
 * One step of the regulation's workflow on a stored case: the case's state rebuilt from its row, its open
 * deadlines and its log; the workflow decides (role, stage, channel, guards, deadlines); then, in one
 * transaction, the signed event, the new stage and the deadlines stopped and started. A refused step changes
 * nothing.
 */
import { AppError } from '../../shared/errors';
import { applyEvent, type CaseState, type GuardContext, type OpenDeadline, type Stage } from '../../shared/domain/workflow';
import type { DeadlineId } from '../../shared/domain/deadlines';
import { officeDate } from '../../shared/local-date';
import { insertDeadline } from '../../db/repositories/cases';
import type { ServicesContext, Session } from './context';
import { appendSignedEvent } from './cases';
import type { ActSigner } from './signing';
import type { SignedAct } from '../../shared/domain/acts';
import { signerFor } from './signing';

export function caseState(ctx: ServicesContext, caseId: string): CaseState {
  const row = ctx.db.prepare('SELECT channel, stage, rules_version FROM cases WHERE id = ?').get(caseId) as { channel: CaseState['channel']; stage: Stage; rules_version: string } | undefined;
  if (!row) throw new AppError('not_found');
  const deadlines = ctx.db.prepare('SELECT deadline AS id, started_on AS startedOn, due FROM case_deadlines WHERE case_id = ? AND stopped_on IS NULL').all(caseId) as OpenDeadline[];
  const events = ctx.db.prepare('SELECT type, at, payload FROM case_events WHERE case_id = ? ORDER BY seq').all(caseId) as { type: string; at: string; payload: string }[];
  const last = events[events.length - 1];
  const sent = events.filter((e) => e.type === 'center.request_sent' || e.type === 'center.request_resent').pop();
  const decided = events.filter((e) => e.type === 'decision.signed').pop();
  return {
    channel: row.channel,
    stage: row.stage,
    rulesVersion: row.rules_version,
    deadlines: deadlines.map((d) => ({ ...d, id: d.id as DeadlineId })),
    lastEventOn: last ? officeDate(new Date(last.at)) : undefined,
    fullPackageOn: sent ? officeDate(new Date(sent.at)) : undefined,
    decision: decided ? (JSON.parse(decided.payload) as { decision: CaseState['decision'] }).decision : undefined,
  };
}

/**
 * Makes `event` on the case for the signed-in person. `before` runs inside the transaction before the event is
 * appended (to store what the event names); the returned value of `payload` is what is signed.
 */
export function makeTransition(
  ctx: ServicesContext,
  session: Session,
  caseId: string,
  event: string,
  guards: GuardContext,
  payload: Record<string, unknown>,
  sign?: ActSigner | SignedAct,
) {
  const state = caseState(ctx, caseId);
  const on = officeDate(ctx.now());
  const step = applyEvent(state, { type: event, role: session.identity.role, on }, guards, ctx.calendar());
  // The key is taken only for a step the workflow allows: a refused step does not use up a one-signature unlock.
  const signer = typeof sign === 'function' ? sign : signerFor(ctx, session, sign);
  return ctx.db
    .transaction(() => {
      const row = appendSignedEvent(ctx, caseId, step.emitted, payload, session.identity, signer);
      ctx.db.prepare('UPDATE cases SET stage = ? WHERE id = ?').run(step.state.stage, caseId);
      for (const d of step.stopped) {
        ctx.db.prepare('UPDATE case_deadlines SET stopped_on = ?, met = ? WHERE case_id = ? AND deadline = ? AND started_on = ?').run(d.stoppedOn, d.met ? 1 : 0, caseId, d.id, d.startedOn);
      }
      for (const d of step.started) insertDeadline(ctx.db, caseId, d);
      return { row, step };
    })
    .immediate();
}
