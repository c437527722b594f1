/** What the Reports screen shows: the district's figures for a period, and the cases behind one figure. */
import type { Channel, Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';
import type { RefusalGround } from '../domain/refusal-grounds';

/** A count per channel (the district's own counter, and the Center's packages). */
export interface ByChannel {
  district: number;
  center: number;
}

export interface ReportMonth {
  /** YYYY-MM, Almaty time. */
  month: string;
  received: ByChannel;
  accepted: ByChannel;
  assigned: ByChannel;
  refused: ByChannel;
  /** Families assigned the benefit in the month and the sum of their monthly amounts (tiyn). */
  families: number;
  children: number;
  amountTiyn: number;
}

export interface ReportDeadline {
  deadline: DeadlineId;
  /** The regulation's item as cited, in kk, ru and en. */
  source: { kk: string; ru: string; en: string };
  limit: number;
  met: number;
  missed: number;
  /** Still open and past due today. */
  overdueNow: number;
}

export interface DistrictReport {
  office: string;
  from: string;
  to: string;
  /** The office date the queue was counted on, and when the figures were computed (ISO). */
  today: string;
  computedAt: string;
  received: ByChannel;
  /** Accepted and registered in the journal (Rules, Appendix 21). */
  accepted: ByChannel;
  /** Refused to accept (Appendix 20), by case. */
  refusedToAccept: ByChannel;
  /** Packages returned to the Center (Appendix 4): each return counts. */
  returnedToCenter: number;
  assigned: ByChannel;
  refused: ByChannel;
  refusedByReason: { reason: RefusalGround; channel: Channel; n: number }[];
  deadlines: ReportDeadline[];
  /** Working days from the application to the decision (the calendar with its corrections). */
  decisionDays: { decisions: number; median: number | null; p90: number | null };
  families: number;
  children: number;
  /** Sum of the monthly amounts assigned in the period (tiyn). */
  amountTiyn: number;
  months: ReportMonth[];
  referrals: { precinct: string; nameKk: string; nameRu: string; n: number }[];
  queue: { stage: Stage; channel: Channel; open: number; overdue: number }[];
  /** The demo office's sample cases on this workstation (counted in the figures): exports say so on their face. */
  sampleCases: number;
}

export type ReportFigure =
  | 'received'
  | 'accepted'
  | 'refused_to_accept'
  | 'returned_to_center'
  | 'assigned'
  | 'refused'
  | 'refused_reason'
  | 'deadline_met'
  | 'deadline_missed'
  | 'deadline_overdue'
  | 'referrals'
  | 'queue_open'
  | 'queue_overdue';

export interface ReportCaseRow {
  caseId: string;
  caseNumber: string;
  applicantName: string;
  channel: Channel;
  stage: Stage;
  /** One of the demo office's sample cases: the list marks it. */
  sample?: boolean;
}

export interface ReportCases {
  rows: ReportCaseRow[];
  /** All the cases behind the figure; rows holds the first REPORT_CASES_LIMIT. */
  total: number;
}

export const REPORT_CASES_LIMIT = 500;
