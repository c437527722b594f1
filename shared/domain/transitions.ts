/**
 * The regulation's line of work as data: the stages of both channels (item 11.1 district, item 11.2 Center) and
 * each transition with who may make it, its preconditions, the event it emits, the deadlines it starts and stops,
 * and its source. Versioned: a case keeps the version it started under until it closes. The engine is workflow.ts.
 */
import type { Role } from '../roles';
import type { DeadlineId } from './deadlines';
import { DomainError } from './errors';
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
/** The stages before the application is registered in the journal: the commission comes after it (item 11.1, stage 4). */
export const BEFORE_REGISTRATION: readonly Stage[] = ALL_STAGES.slice(0, ALL_STAGES.indexOf('registered'));
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
