import type { Role } from '../roles';
import type { Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';
import type { SignaturePanel } from './types-casework';
import type { TimelineEntry } from '../events/projection-types';

export interface Identity {
  /** CN: surname and given name. */
  commonName: string;
  surname: string;
  givenName: string;
  patronymic: string;
  iin: string;
  role: Role;
  roles: Role[];
  office: string;
  /** The office's name in each language, from the office list (the certificate's `office` is in one language). */
  officeNames?: { kk: string; ru: string };
  officeBin: string;
  certificateSerial: string;
  certificateSha256: string;
  validTo: string;
}

export interface SessionInfo {
  token: string;
  identity: Identity;
}

export type CaseStage = Stage;

export interface CaseSummary {
  id: string;
  caseNumber: string;
  stage: CaseStage;
  channel: 'district' | 'center';
  iin: string;
  surname: string;
  givenName: string;
  patronymic: string;
  birthDate: string;
  docLanguage: 'kk' | 'ru';
  createdAt: string;
  /** The nearest open deadline (the case list as a work queue), null when none is open. */
  nextDeadline?: { id: DeadlineId; due: string } | null;
  /** Who must act at this stage (the workflow's roles for it), for the case list. */
  actingRoles?: string[];
  /** One of the demo office's sample cases (made as an example, never synced): every screen marks it. */
  sample?: boolean;
}

/** An act on the case screen's timeline (the view's entry), with what the server flagged on it. */
export interface CaseEventView extends TimelineEntry {
  /** The clock flags the server gave the act: shown beside it, the act unchanged. */
  flags?: string[];
}

export interface CaseDetail extends CaseSummary {
  /** The rules the case started under, and finishes under. */
  rulesVersion: string;
  deadlines: { id: DeadlineId; startedOn: string; due: string; stoppedOn: string | null; met: number | null }[];
  address: string;
  phone: string;
  officeCode: string;
  version: number;
  /** The case's log as its timeline shows it: each act, never its payload. */
  events: CaseEventView[];
  /** The forms issued on the case (the certified documents of its line), each once. */
  forms: string[];
  /** What the Center's last notice of an incomplete package says is missing; empty when none was returned. */
  returnedIncomplete: { documentKind: string; note: string }[];
  /** The workflow steps the signed-in person may take now (shared/domain/workflow.ts availableTransitions). */
  available: string[];
  /** The case's events by sync state (the badge), and whether this workstation syncs at all. */
  sync: { pending: number; acked: number; refused: number; configured: boolean };
}

/**
 * What `cases.get` answers: the case's stored view as the commit wrote it (JSON of its projection, passed through
 * unparsed: the screen parses it once, caseDetailOf), and what this workstation and the person add to it.
 */
export interface CaseScreen {
  /** JSON of the case's projection (shared/events/projection-types.ts CaseProjection), its timeline included. */
  view: string;
  sample: boolean;
  /** Acts that lost their place on the server: shown on the timeline, out of the case's line. */
  outOfLine: CaseEventView[];
  /** The clock flags the server gave acts, by event id. */
  flags: Record<string, string[]>;
  available: string[];
  sync: CaseDetail['sync'];
}

export interface RegisterResult {
  case: CaseSummary;
  /** Message keys: e.g. the declared birth date disagrees with the IIN digits. Not errors. */
  warnings: string[];
}

export interface SearchResult {
  items: CaseSummary[];
  /** Matches, counted up to a cap: an exact total over a million cases would cost a full scan. */
  total: number;
  /** True when there are more matches than `total` says. */
  capped: boolean;
  kind: 'recent' | 'iin' | 'case_number' | 'name';
  /** Give as `after` for the page after this one; null when this page is the last. */
  next: string | null;
}

export interface DemoKey {
  role: 'specialist' | 'head' | 'center' | 'admin';
  fileName: string;
  path: string;
  password: string;
  holder: string;
  /** The office the key is of: the city department's administrator signs the reference data (absent in older demo offices). */
  office?: string;
}

export interface CaseVerification {
  caseId: string;
  valid: boolean;
  events: {
    seq: number;
    type: string;
    hashOk: boolean;
    chainOk: boolean;
    signature: { valid: boolean; signer: { iin: string; name: string; role: string | null } | null; signingTime: string | null; errors: string[] } | null;
    /** The signer's role may make this event (the workflow's table). */
    roleAllowed: boolean;
  }[];
  /** Every page of the case: its bytes re-hashed and its own signature verified. */
  pages: { pageId: string; seq: number; blobOk: boolean; signature: SignaturePanel | null }[];
  /** Every issued form (receipt, notices…): its PDF re-hashed and its signature verified. */
  documents: { form: string; seq: number; blobOk: boolean; signature: SignaturePanel | null }[];
  /** Each problem named: "event 1: payload changed", "event 2: not signed", … as stable codes. */
  problems: string[];
  /** The signatures of the events after this sequence were checked now; those up to it by the last check, in the same trust store (0: all now). */
  checkedFrom?: number;
}

export interface CalendarCorrection {
  date: string;
  working: boolean;
  reason: string;
  correctedByIin: string;
  correctedAt: string;
}

export interface OfficeStatus {
  appVersion: string;
  schemaVersion: number;
  /** `city`: the city department, whose administrator also sees every district's figures (Reports → Город). */
  workstation: { officeCode: string; officeName: string; workstationCode: string; city?: { code: string; bin: string } } | null;
  demo: { keys: DemoKey[] } | null;
  totalCases: number;
  /** The demo office's sample cases (a year of examples, kept on this workstation); 0 when none. */
  sampleCases: number;
  /** The legal clock: how far the demo's time travel moved it, and today at the office. */
  clock: { offsetDays: number; today: string; timeTravelAllowed: boolean };
  /** What the start changed that the person should know (e.g. the data folder's modes tightened): message keys. */
  notices: { key: string; params?: Record<string, string | number> }[];
  /** Idle minutes before the screen locks (0: never). */
  idleMinutes: number;
}

export interface AuditRow {
  seq: number;
  at: string;
  kind: 'signin' | 'signin_failed' | 'case_opened' | 'signout' | 'session_locked' | 'session_resumed';
  actorIin: string | null;
  actorName: string | null;
  actorRole: string | null;
  certSha256: string | null;
  /** The key file's lockout name (a wrong password tells no certificate). */
  keyId: string | null;
  caseId: string | null;
  caseNumber: string | null;
  /** An error code (a refusal) or why a session ended or locked. */
  reason: string | null;
  workstation: string;
  hostName: string;
}

export interface AuditList {
  rows: AuditRow[];
  total: number;
}

/** A precinct commission of the office (reference data; regulation item 11.1 stage 4). */
export interface Precinct {
  code: string;
  nameKk: string;
  nameRu: string;
  members: { name: string; role: 'chair' | 'member' | 'secretary' }[];
}

/** A food-basket threshold row with its source (benefit.md §2). */
export interface ThresholdRow {
  region: string;
  year: number;
  quarter: number;
  tiyn: number;
  mark: 'sourced' | 'assumed';
  derivation: string;
}

export type CommissionAct = import('./schemas').CommissionConclusionOutput['act'];
export type CommissionConclusion = import('./schemas').CommissionConclusionOutput['conclusion'];

export interface CommissionStatus {
  stage: string;
  /** The repeat-application rule for this case, or null before the application is recorded. */
  rule: { needed: boolean; reason: string; previous: { caseId: string; caseNumber: string; eventSeq: number } | null } | null;
  precincts: Precinct[];
  referral: { seq: number; precinct: string; reason: string; due: string } | null;
  conclusion:
    | { seq: number; type: string; act?: CommissionAct; conclusion?: CommissionConclusion; onPapersBehalf?: boolean; previous?: { caseId: string; caseNumber: string; eventSeq: number } }
    | null;
}

export interface DecisionDraft {
  seq: number;
  at: string;
  outcome: 'assign' | 'refuse';
  refusalGrounds: import('../domain/workflow').RefusalGround[];
  note: string;
  calculation: import('../domain/benefit').BenefitResult;
  drafter: { name: string; iin: string };
}

export interface DecisionReview {
  stage: string;
  draft: DecisionDraft | null;
  /** The benefit computed again now, from the application and the reference tables, independently of the draft. */
  recomputed: import('../domain/benefit').BenefitResult | null;
  recomputeError: string | null;
  matches: boolean;
  flaggedPages: { pageId: string; documentKind: string; position: number; quality: string[]; reviewedAtRegistration: boolean }[];
  pages: number;
  returned: { seq: number; at: string; comment: string }[];
  conclusion: Record<string, unknown> | null;
  decision: { decisionNumber: string; decision: { outcome: 'assign' | 'refuse'; refusalGrounds: string[] }; monthlyAmountTiyn: number; period: { from: string; to: string } | null } | null;
  notificationIssued: boolean;
}

// The counter's screens' answers besides the case, in a file of their own.
export type * from './types-casework';
// The network's answers (sync, conflicts, the Center channel), in a file of their own.
export type * from './types-network';
