/**
 * The regulation's workflow for both channels (item 11.1 district, item 11.2 Center) as a state machine.
 * Each transition states who may make it, its preconditions, the event it emits, and the deadlines it starts
 * and stops. The machine is versioned: a case keeps the version it started under until it closes.
 */
import type { Role } from '../roles';
import type { WorkCalendar } from './calendar';
import { dueDate, type DeadlineId } from './deadlines';
import { DomainError } from './errors';
import { parseDay } from './dates';
import { REFUSAL_GROUNDS, type RefusalGround } from './refusal-grounds';
import type { EventType } from '../events/payloads';

export type Channel = 'district' | 'center';

export { REFUSAL_GROUNDS, type RefusalGround };

export type Stage =
  | 'center_intake'
  | 'center_sent'
  | 'returned_to_center'
  | 'intake'
  | 'is_check'
  | 'awaiting_originals'
  | 'completeness_check'
  | 'registered'
  | 'at_commission'
  | 'conclusion_received'
  | 'decision_drafted'
  | 'decided'
  | 'notification_at_center'
  | 'refused_to_accept'
  | 'closed';

export const TERMINAL_STAGES: readonly Stage[] = ['refused_to_accept', 'closed'];

export const ALL_STAGES: readonly Stage[] = [
  'center_intake',
  'center_sent',
  'returned_to_center',
  'intake',
  'is_check',
  'awaiting_originals',
  'completeness_check',
  'registered',
  'at_commission',
  'conclusion_received',
  'decision_drafted',
  'decided',
  'notification_at_center',
  'refused_to_accept',
  'closed',
];
/** Each stage by its name, for code that must name one (the renderer imports these, never a string). */
export const STAGE = Object.fromEntries(ALL_STAGES.map((s) => [s, s])) as { readonly [S in Stage]: S };
export const OPEN_STAGES: readonly Stage[] = ALL_STAGES.filter((s) => !TERMINAL_STAGES.includes(s));

/** Workflow steps that are not the regulation's line of work: no one is "next to act" because of them. */
export const RESOLUTION_STEPS: readonly string[] = ['case.closed_as_duplicate'];

/** Facts the caller knows when asking for a transition; the guards read them. */
export interface GuardContext {
  /** Item 13 checklist complete and every scan compared with its original (item 11.1 stage 3). */
  checklistComplete?: boolean;
  /** A commission conclusion is recorded, or the recorded reason why no inspection was needed. */
  conclusionOrReason?: boolean;
  /** The repeat-application rule allows reusing the last act (see inspectionNeeded). */
  reuseAllowed?: boolean;
  /** The decision's outcome, when signing or returning it. */
  outcome?: 'assign' | 'refuse';
  /** The grounds of a refusal (to accept, or to assign). */
  refusalGrounds?: readonly RefusalGround[];
  /** The head re-computed the benefit and it matches the draft (item 11.1 stage 6: "the correctness of the amount"). */
  calculationChecked?: boolean;
}

export type Guard =
  | 'checklist_complete'
  | 'conclusion_or_reason'
  | 'originals_overdue'
  | 'reuse_allowed'
  | 'outcome_refuse'
  | 'outcome_assign'
  | 'outcome_stated'
  | 'refusal_grounded'
  | 'originals_in_time'
  | 'calculation_checked'
  | 'signed_refusal'
  | 'signed_assignment';

export interface Transition {
  /** The catalogue entry it makes (shared/events/payloads.ts): its payload schema and projection. */
  event: EventType;
  from: Stage | null;
  to: Stage;
  channels: readonly Channel[];
  roles: readonly Role[];
  guards: readonly Guard[];
  starts: readonly DeadlineId[];
  stops: readonly DeadlineId[] | 'all';
  /** Item and stage of the regulation. */
  source: string;
}

const BOTH: readonly Channel[] = ['district', 'center'];
const DISTRICT: readonly Role[] = ['specialist'];

const T = (t: Omit<Transition, 'guards' | 'starts' | 'stops' | 'channels'> & Partial<Pick<Transition, 'guards' | 'starts' | 'stops' | 'channels'>>): Transition => ({
  guards: [],
  starts: [],
  stops: [],
  channels: BOTH,
  ...t,
});

/** The regulation as amended by Almaty akimat resolution No. 4/889 of 18 Oct 2013. */
const TRANSITIONS_2013: readonly Transition[] = [
  // Item 11.2: the Center's intake and its electronic request.
  T({ event: 'center.intake_registered', from: null, to: 'center_intake', channels: ['center'], roles: ['center'], starts: ['center_send_request'], source: '11.2 stage 1' }),
  T({ event: 'center.request_sent', from: 'center_intake', to: 'center_sent', channels: ['center'], roles: ['center'], stops: ['center_send_request'], starts: ['district_check_center_package'], source: '11.2 stage 2' }),
  T({ event: 'center.returned_incomplete', from: 'center_sent', to: 'returned_to_center', channels: ['center'], roles: DISTRICT, stops: ['district_check_center_package'], starts: ['center_correct_and_resend'], source: '11.2 stage 3 (Appendix 4)' }),
  T({ event: 'center.request_resent', from: 'returned_to_center', to: 'center_sent', channels: ['center'], roles: ['center'], stops: ['center_correct_and_resend'], starts: ['district_check_center_package'], source: '11.2 stage 3' }),
  T({ event: 'center.package_accepted', from: 'center_sent', to: 'completeness_check', channels: ['center'], roles: DISTRICT, guards: ['checklist_complete'], stops: ['district_check_center_package'], source: '11.2 stage 4' }),
  // Item 11.1: the district's intake and the information-system checks.
  T({ event: 'intake.registered', from: null, to: 'intake', channels: ['district'], roles: DISTRICT, source: '11.1 stage 1' }),
  T({ event: 'is.requested', from: 'intake', to: 'is_check', channels: ['district'], roles: DISTRICT, source: '11.1 stage 2' }),
  T({ event: 'is.all_confirmed', from: 'is_check', to: 'completeness_check', channels: ['district'], roles: DISTRICT, source: '11.1 stage 2' }),
  T({ event: 'is.mismatch_notified', from: 'is_check', to: 'awaiting_originals', channels: ['district'], roles: DISTRICT, starts: ['originals_and_consent'], source: '11.1 stage 2' }),
  T({ event: 'originals.brought', from: 'awaiting_originals', to: 'is_check', channels: ['district'], roles: DISTRICT, guards: ['originals_in_time'], stops: ['originals_and_consent'], source: '11.1 stage 2' }),
  T({ event: 'acceptance.refused', from: 'awaiting_originals', to: 'refused_to_accept', channels: ['district'], roles: DISTRICT, guards: ['originals_overdue', 'refusal_grounded'], stops: 'all', source: '11.1 stage 2 (Appendix 20)' }),
  // Both channels from registration in the journal.
  T({ event: 'journal.registered', from: 'completeness_check', to: 'registered', roles: DISTRICT, guards: ['checklist_complete'], starts: ['service_total', 'decision', 'send_to_commission'], source: '11.1 stage 3 (Appendix 21)' }),
  T({ event: 'commission.referred', from: 'registered', to: 'at_commission', roles: DISTRICT, stops: ['send_to_commission'], starts: ['commission_conclusion'], source: '11.1 stage 4' }),
  T({ event: 'commission.concluded', from: 'at_commission', to: 'conclusion_received', roles: ['secretary', 'specialist'], stops: ['commission_conclusion'], source: '11.1 stage 4' }),
  T({ event: 'commission.act_reused', from: 'registered', to: 'conclusion_received', roles: DISTRICT, guards: ['reuse_allowed'], stops: ['send_to_commission'], source: '11.1 stage 4 (repeat application)' }),
  T({ event: 'decision.drafted', from: 'conclusion_received', to: 'decision_drafted', roles: DISTRICT, guards: ['conclusion_or_reason', 'outcome_stated', 'refusal_grounded'], source: '11.1 stage 5' }),
  T({ event: 'decision.returned', from: 'decision_drafted', to: 'conclusion_received', roles: ['head'], source: '11.1 stage 6' }),
  T({ event: 'decision.signed', from: 'decision_drafted', to: 'decided', roles: ['head'], guards: ['outcome_stated', 'refusal_grounded', 'calculation_checked'], stops: ['decision', 'service_total'], starts: ['notification'], source: '11.1 stage 6' }),
  T({ event: 'notification.delivered', from: 'decided', to: 'closed', channels: ['district'], roles: DISTRICT, stops: ['notification'], source: '11.1 stage 7 (Appendix 22)' }),
  T({ event: 'notification.passed_to_center', from: 'decided', to: 'notification_at_center', channels: ['center'], roles: DISTRICT, guards: ['signed_assignment'], stops: ['notification'], source: '11.2 stage 5' }),
  T({ event: 'refusal.returned_to_center', from: 'decided', to: 'notification_at_center', channels: ['center'], roles: DISTRICT, guards: ['signed_refusal'], stops: ['notification', 'center_refusal_return'], source: 'item 10 paragraph 9' }),
  T({ event: 'center.notification_handed_over', from: 'notification_at_center', to: 'closed', channels: ['center'], roles: ['center'], source: '11.2 stage 5' }),
  // The same family taken twice while apart (two workstations offline): a person closes one of the two
  // cases as a duplicate of the other, from any open stage; every deadline of the closed one stops.
  ...OPEN_STAGES.map((from) => T({ event: 'case.closed_as_duplicate', from, to: 'closed', roles: ['specialist', 'head', 'center'], stops: 'all', source: 'the same family taken twice, closed as a duplicate' })),
];

export const CURRENT_RULES_VERSION = 'regulation-4-889-2013';
const VERSIONS: Readonly<Record<string, readonly Transition[]>> = { [CURRENT_RULES_VERSION]: TRANSITIONS_2013 };

export function transitionsOf(version: string): readonly Transition[] {
  const t = VERSIONS[version];
  if (!t) throw new DomainError('workflow.unknown_version', 'rulesVersion', { version });
  return t;
}

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
