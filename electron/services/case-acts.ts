/**
 * How the services change a case: they read its state once (projected from its log), decide with the
 * regulation's workflow (role, stage, channel, guards; the calendar counts the deadlines a step starts, and the
 * event carries them), build and sign the events, and hand them to the one commit path (db/commit.ts), which
 * checks the version they were made on. Services never write a current-state table themselves.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import { applyEvent, availableTransitions, startCase, RESOLUTION_STEPS, type CaseState, type Channel, type GuardContext } from '../../shared/domain/workflow';
import { EVENT_CATALOGUE, recordAllowedIn, type CatalogueEntry, type EventType } from '../../shared/events/catalogue';
import { workflowState, type CaseProjection } from '../../shared/events/projection';
import type { Role } from '../../shared/roles';
import { officeDate } from '../../shared/local-date';
import { commitEvents, loadProjection, type CommitOptions } from '../../db/commit';
import { signEvents, type ActSigner, type EventDraft } from '../../node/events';
import type { ServicesContext, Session } from './context';
import type { SignedAct } from '../../shared/domain/acts';
import { signerFor } from './signing';

export type { CaseProjection } from '../../shared/events/projection';

/** The case as its log says; not_found when there is none. */
export function loadCase(ctx: ServicesContext, caseId: string): CaseProjection {
  const p = loadProjection(ctx.db, caseId);
  if (!p) throw new AppError('not_found');
  return p;
}

/** Where a case stands, as far as what may be done next depends on it: its rules, stage and channel. */
export type CasePlace = Pick<CaseState, 'rulesVersion' | 'stage' | 'channel'>;

// The catalogue and the rules are data shipped with the app: what a place allows is worked out once per place.
const allowedAt = new Map<string, EventType[]>();

/**
 * What the person may do now: the workflow's steps from this stage for their role (their guards are checked when
 * they try) and the records the catalogue allows in this stage for the role.
 */
export function availableActs(at: CasePlace, roles: readonly Role[]): EventType[] {
  const key = `${at.rulesVersion}|${at.stage}|${at.channel}|${roles.join(',')}`;
  const known = allowedAt.get(key);
  if (known) return [...known];
  // Which steps are offered depends on these alone (availableTransitions); the deadlines are for the guards.
  const state: CaseState = { rulesVersion: at.rulesVersion, stage: at.stage, channel: at.channel, deadlines: [] };
  // A conflict's resolution is made on the Conflicts screen only (conflicts.ts), never as a step of the case view.
  const steps = roles.flatMap((r) => availableTransitions(state, r).map((t) => t.event as EventType)).filter((t) => !RESOLUTION_STEPS.includes(t));
  const records = (Object.values(EVENT_CATALOGUE) as CatalogueEntry[])
    .filter((e) => e.kind === 'record' && e.type !== 'conflict.resolved' && roles.some((r) => e.roles.includes(r)) && recordAllowedIn(e, at.stage))
    .map((e) => e.type);
  const acts = [...new Set([...steps, ...records])];
  allowedAt.set(key, acts);
  return [...acts];
}

export interface Act {
  type: EventType;
  payload: Record<string, unknown>;
  /** Facts the workflow's guards read (for a transition). */
  guards?: GuardContext;
}

/**
 * Checks a step with the workflow before anything is rendered, signed or written (guards included) and adds
 * to its payload the deadlines it starts, counted on this workstation's calendar. A record passes unchanged.
 */
export function planAct(ctx: ServicesContext, session: Session, p: CaseProjection | null, act: Act, now = ctx.now()): Act {
  const entry = EVENT_CATALOGUE[act.type];
  if (entry.kind !== 'transition') return act;
  const on = officeDate(now);
  const role = session.identity.role;
  if (!p) {
    const step = startCase(channelOf(role), { type: act.type, role, on }, ctx.calendar());
    return { ...act, payload: { ...act.payload, starts: step.started } };
  }
  const step = applyEvent(workflowState(p), { type: act.type, role, on }, act.guards ?? {}, ctx.calendar());
  return { ...act, payload: { ...act.payload, starts: step.started } };
}

export function channelOf(role: Role): Channel {
  return role === 'center' ? 'center' : 'district';
}

/**
 * Commits acts made on the state `p` (null: they open the case `caseId`), signed with `signWith` (a signer, or
 * the act whose right the key must carry), in one transaction. Transitions are planned here unless the caller planned them already. Returns the new state.
 */
export function commitActs(
  ctx: ServicesContext,
  session: Session,
  caseId: string,
  p: CaseProjection | null,
  acts: readonly Act[],
  signWith?: ActSigner | SignedAct,
  opts: CommitOptions & { planned?: boolean; now?: Date } = {},
): CaseProjection {
  const now = opts.now ?? ctx.now();
  const planned = opts.planned ? acts : acts.map((a) => planAct(ctx, session, p, a, now));
  // The key is taken only for a step the workflow allows: a refused step does not use up a one-signature unlock.
  const sign = typeof signWith === 'function' ? signWith : signerFor(ctx, session, signWith);
  const at = now.toISOString();
  const drafts: EventDraft[] = planned.map((a) => ({ id: uuidv7(), type: a.type, payload: a.payload, at }));
  const me = session.identity;
  const events = signEvents(caseId, { version: p?.case.version ?? 0, headHash: p?.case.headHash ?? null }, drafts, { iin: me.iin, role: me.role, certSha256: me.certificateSha256 }, sign);
  const after = commitEvents(ctx.db, caseId, p?.case.version ?? 0, events, opts);
  ctx.push({ type: 'case.changed', caseId, version: after.case.version });
  return after;
}
