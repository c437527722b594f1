/**
 * The regulation's workflow for both channels as a state machine: it applies an event to a case's state by the
 * transitions of the case's rules version (transitions.ts, the regulation as data), checks the guards and counts the
 * deadlines a transition starts on the working-day calendar.
 */
import type { Role } from '../roles';
import type { WorkCalendar } from './calendar';
import { dueDate, type DeadlineId } from './deadlines';
import { DomainError } from './errors';
import { parseDay } from './dates';
import { CURRENT_RULES_VERSION, REFUSAL_GROUNDS, RESOLUTION_STEPS, TERMINAL_STAGES, transitionsOf, type Channel, type Guard, type GuardContext, type RefusalGround, type Stage, type Transition } from './transitions';

// The catalogue's words, where its readers have always found them.
export * from './transitions';

export interface OpenDeadline {
  id: DeadlineId;
  startedOn: string;
  due: string;
}
export interface ClosedDeadline extends OpenDeadline {
  stoppedOn: string;
  met: boolean;
}

export interface CaseState {
  channel: Channel;
  stage: Stage;
  rulesVersion: string;
  deadlines: OpenDeadline[];
  /** The day the district received the (last) full Center package: the 7-day refusal return counts from it. */
  fullPackageOn?: string;
  /** The day of the last event: no event may be dated before it. */
  lastEventOn?: string;
  /** The decision as the head signed it. */
  decision?: { outcome: 'assign' | 'refuse'; refusalGrounds: readonly RefusalGround[] };
}

export interface StepResult {
  state: CaseState;
  emitted: string;
  started: OpenDeadline[];
  stopped: ClosedDeadline[];
}

function checkGuard(guard: Guard, state: CaseState, ctx: GuardContext, on: string): boolean {
  switch (guard) {
    case 'checklist_complete':
      return ctx.checklistComplete === true;
    case 'conclusion_or_reason':
      return ctx.conclusionOrReason === true;
    case 'reuse_allowed':
      return ctx.reuseAllowed === true;
    case 'outcome_refuse':
      return ctx.outcome === 'refuse';
    case 'outcome_assign':
      return ctx.outcome === 'assign';
    // After the head has signed, the outcome is the one signed, kept on the case: never the caller's word.
    case 'signed_refusal':
      return state.decision?.outcome === 'refuse';
    case 'signed_assignment':
      return state.decision?.outcome === 'assign';
    case 'calculation_checked':
      return ctx.calculationChecked === true;
    case 'originals_in_time': {
      const d = state.deadlines.find((x) => x.id === 'originals_and_consent');
      return d !== undefined && on <= d.due;
    }
    case 'outcome_stated':
      return ctx.outcome === 'assign' || ctx.outcome === 'refuse';
    case 'refusal_grounded': {
      // A refusal states at least one ground of its kind; an assignment states none.
      const kind = state.stage === 'awaiting_originals' ? 'acceptance' : 'decision';
      const grounds = ctx.refusalGrounds ?? [];
      if (kind === 'decision' && ctx.outcome !== 'refuse') return grounds.length === 0;
      return grounds.length > 0 && grounds.every((g) => REFUSAL_GROUNDS[g]?.applies === kind);
    }
    case 'originals_overdue': {
      // Refusal only after the 3 working days have passed without the originals (item 11.1 stage 2).
      const d = state.deadlines.find((x) => x.id === 'originals_and_consent');
      return d !== undefined && on > d.due;
    }
  }
}

/** The transitions `role` may try now (guards not yet checked), the regulation's steps of the work. */
export function availableTransitions(state: CaseState, role: Role): Transition[] {
  // A conflict's resolution is not a step of the work: it is offered on the Conflicts screen only.
  return transitionsOf(state.rulesVersion).filter((t) => t.from === state.stage && t.channels.includes(state.channel) && t.roles.includes(role) && !RESOLUTION_STEPS.includes(t.event));
}

/** Starts a case: the first transition of its channel. */
export function startCase(channel: Channel, event: { type: string; role: Role; on: string }, calendar: WorkCalendar, rulesVersion = CURRENT_RULES_VERSION): StepResult {
  const empty: CaseState = { channel, stage: 'intake', rulesVersion, deadlines: [] };
  return step(empty, event, {}, calendar, true);
}

/** Applies one event. Refuses, with a typed error, an event that is not allowed from this stage, channel or role. */
export function applyEvent(state: CaseState, event: { type: string; role: Role; on: string }, ctx: GuardContext, calendar: WorkCalendar): StepResult {
  return step(state, event, ctx, calendar, false);
}

function step(state: CaseState, event: { type: string; role: Role; on: string }, ctx: GuardContext, calendar: WorkCalendar, creating: boolean): StepResult {
  parseDay(event.on, 'on');
  if (state.lastEventOn && event.on < state.lastEventOn) throw new DomainError('workflow.date_before_last_event', 'on', { last: state.lastEventOn });
  const t = transitionFor(state, event, creating);
  for (const guard of t.guards) if (!checkGuard(guard, state, ctx, event.on)) throw new DomainError(`workflow.guard.${guard}`, 'event', { event: event.type });
  return applyTransition(state, t, event.on, startedDeadlines(t, state, event.on, ctx.outcome, calendar), ctx.outcome, ctx.refusalGrounds);
}

/**
 * The transition an event makes from this state, checked for stage, channel and role only (no guards, no
 * calendar): what both the workstation and the central server check at append.
 */
export function transitionFor(state: Pick<CaseState, 'channel' | 'stage' | 'rulesVersion'>, event: { type: string; role: Role }, creating: boolean): Transition {
  if (TERMINAL_STAGES.includes(state.stage) && !creating) throw new DomainError('workflow.case_closed', 'event', { stage: state.stage });
  const candidates = transitionsOf(state.rulesVersion).filter((t) => t.event === event.type && (creating ? t.from === null : t.from === state.stage));
  if (candidates.length === 0) throw new DomainError('workflow.not_allowed_now', 'event', { event: event.type, stage: creating ? 'new' : state.stage });
  const t = candidates.find((c) => c.channels.includes(state.channel));
  if (!t) throw new DomainError('workflow.wrong_channel', 'event', { event: event.type, channel: state.channel });
  if (!t.roles.includes(event.role)) throw new DomainError('workflow.role_not_allowed', 'role', { event: event.type, role: event.role });
  return t;
}

/** The deadlines a transition starts on `on`, their due dates counted on the calendar (the decider's work, not the projection's). */
export function startedDeadlines(t: Transition, state: Pick<CaseState, 'channel' | 'fullPackageOn'>, on: string, outcome: GuardContext['outcome'], calendar: WorkCalendar): OpenDeadline[] {
  const started: OpenDeadline[] = t.starts.map((id) => ({ id, startedOn: on, due: dueDate(id, on, calendar) }));
  // The refusal return through the Center counts from the full package, which is known only once refused.
  const fullPackageOn = t.event === 'center.request_sent' || t.event === 'center.request_resent' ? on : state.fullPackageOn;
  if (t.event === 'decision.signed' && state.channel === 'center' && outcome === 'refuse' && fullPackageOn) {
    started.push({ id: 'center_refusal_return', startedOn: fullPackageOn, due: dueDate('center_refusal_return', fullPackageOn, calendar) });
  }
  return started;
}

/**
 * Applies a checked transition with the deadlines it starts (as the event carries them): pure, no calendar and no
 * clock, so the workstation and the server project the same state from the same event.
 */
export function applyTransition(
  state: CaseState,
  t: Transition,
  on: string,
  started: readonly OpenDeadline[],
  outcome?: 'assign' | 'refuse',
  refusalGrounds?: readonly RefusalGround[],
): StepResult {
  const stopIds = t.stops === 'all' ? state.deadlines.map((d) => d.id) : t.stops;
  const stopped: ClosedDeadline[] = state.deadlines
    .filter((d) => stopIds.includes(d.id))
    .map((d) => ({ ...d, stoppedOn: on, met: on <= d.due }));
  const remaining = state.deadlines.filter((d) => !stopIds.includes(d.id));
  // Item 10 paragraph 9 counts from the day the full package was received: the last request sent to the district.
  const fullPackageOn = t.event === 'center.request_sent' || t.event === 'center.request_resent' ? on : state.fullPackageOn;
  const decision = t.event === 'decision.signed' ? { outcome: outcome!, refusalGrounds: refusalGrounds ?? [] } : state.decision;
  return {
    state: { ...state, stage: t.to, deadlines: [...remaining, ...started], fullPackageOn, lastEventOn: on, decision },
    emitted: t.event,
    started: [...started],
    stopped,
  };
}

/**
 * The repeat-application rule (item 11.1 stage 4): within the same calendar year the commission inspects only if
 * the residence (within one administrative unit), the family composition or the income changed; otherwise the
 * last act is reused and the reuse is recorded.
 */
export function inspectionNeeded(input: {
  applicationDate: string;
  previous: { applicationDate: string; actId: string; residence: string; composition: string[]; incomeTiyn: number } | null;
  current: { residence: string; composition: string[]; incomeTiyn: number };
}): { needed: true; reason: 'first_application' | 'earlier_year' | 'residence_changed' | 'composition_changed' | 'income_changed' } | { needed: false; reuseActId: string } {
  const p = input.previous;
  if (!p) return { needed: true, reason: 'first_application' };
  if (p.applicationDate.slice(0, 4) !== input.applicationDate.slice(0, 4)) return { needed: true, reason: 'earlier_year' };
  if (p.residence.trim() !== input.current.residence.trim()) return { needed: true, reason: 'residence_changed' };
  const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  if (!same(p.composition, input.current.composition)) return { needed: true, reason: 'composition_changed' };
  if (p.incomeTiyn !== input.current.incomeTiyn) return { needed: true, reason: 'income_changed' };
  return { needed: false, reuseActId: p.actId };
}
