import type { Role } from '../roles';
import type { Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';

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
}

export interface CaseEventView {
  id: string;
  seq: number;
  type: string;
  at: string;
  actorIin: string;
  actorRole: string;
  payload: unknown;
  hash: string;
  prevHash: string | null;
  signed: boolean;
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
  events: CaseEventView[];
  /** The workflow steps the signed-in person may take now (shared/domain/workflow.ts availableTransitions). */
  available: string[];
  /** The case's events by sync state (the badge), and whether this workstation syncs at all. */
  sync: { pending: number; acked: number; refused: number; configured: boolean };
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
  workstation: { officeCode: string; officeName: string; workstationCode: string } | null;
  demo: { keys: DemoKey[] } | null;
  totalCases: number;
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

export type ScannerSettings =
  | { source: 'sane'; device: string | null; dpi: number; mode: 'Color' | 'Gray'; saneConfigDir?: string; testPicture?: string; extraArgs?: string[] }
  | { source: 'naps2'; executable: string; device: string; dpi: number }
  | { source: 'folder'; folder: string }
  | { source: 'none' };

export interface ScannerStatus {
  settings: ScannerSettings;
  devices: { id: string; label: string }[];
  /** Scanning can start: the source answered and names at least one device. */
  ready: boolean;
  /** A folder scanner: the saved files waiting to be taken into a document. */
  waiting?: number;
}

export type PageQualityFlag = 'low_resolution' | 'blank' | 'blurred' | 'too_dark' | 'too_light' | 'not_checked';

/** The signature panel of one signed item: who, when, certificate status, content integrity. */
export interface SignaturePanel {
  valid: boolean;
  signer: { iin: string; name: string; role: string | null } | null;
  signingTime: string | null;
  errors: string[];
}

export interface CasePage {
  pageId: string;
  documentKind: string;
  position: number;
  mediaType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  quality: PageQualityFlag[];
  source: string;
  blobSha256: string;
  /** data: URL of a small JPEG, or null (PDF pages). */
  thumbnail: string | null;
  signature: SignaturePanel;
  /** The page's stored file no longer hashes to what was certified, or is gone: not shown, import it again to repair. */
  damaged: 'changed' | 'missing' | null;
}

/** Pages after an import: `repaired` names the damaged files the same bytes rewrote (nothing new was certified). */
export interface ImportedPages {
  pages: CasePage[];
  repaired: string[];
}

export type Application = Omit<import('./schemas').ApplicationOutput, 'caseId'>;

export interface ApplicationView {
  /** The last recorded application, or null before the first save. */
  application: Application | null;
  checklist: import('../domain/checklist').ChecklistRow[];
}

export interface JournalRow {
  journalNumber: string;
  caseId: string;
  registeredOn: string;
  channel: 'district' | 'center';
  applicantIin: string;
  applicantName: string;
  address: string;
  /** Children under 18 (not "children": antd's Table reads that field as tree rows). */
  childrenCount: number;
  /** JSON: [{kind, pages}]. */
  documents: string;
  /** The Center's request number (its case number) for the Center channel, else null. */
  requestNumber: string | null;
  // Filled by the decision and notification steps (migration 0006); null until then.
  perCapitaTiyn: number | null;
  decision: 'assign' | 'refuse' | null;
  decisionNumber: string | null;
  decidedOn: string | null;
  monthlyAmountTiyn: number | null;
  periodFrom: string | null;
  periodTo: string | null;
  notifiedOn: string | null;
  note: string;
}

/** The deadlines board: one row per open deadline of an open case. */
export interface BoardRow {
  caseId: string;
  caseNumber: string;
  journalNumber: string | null;
  applicantName: string;
  applicantIin: string;
  stage: CaseStage;
  deadline: DeadlineId;
  startedOn: string;
  due: string;
  state: import('../domain/deadlines').DeadlineState;
  /** Where the regulation sets this deadline (cite it with citeDeadline). */
  source: import('../domain/deadlines').DeadlineRule['source'];
  responsibleIin: string | null;
  /** A day inside this deadline's span changed status since `due` was stored (calendarChangedSince); `due` stays as stored. */
  calendarChanged: boolean;
}

/** Open deadlines per state; `total` is their sum. */
export type BoardCounts = Record<import('../domain/deadlines').DeadlineState | 'total', number>;

export interface BoardList {
  /** The office's today and the next working day: the bounds of "due today" and "due tomorrow". */
  today: string;
  nextWorkingDay: string;
  rows: BoardRow[];
  /** Rows matching the filters (the list can be paged to this many). */
  total: number;
  /** Over the whole board, or over "my work" when asked: per state, per stage, per responsible person. */
  byState: BoardCounts;
  byStage: { stage: CaseStage; counts: BoardCounts }[];
  byPerson: { iin: string | null; name: string | null; counts: BoardCounts }[];
}

export interface IssuedForm {
  form: import('../forms/texts').FormName;
  verificationCode: string;
  pdfBase64: string;
  /** The detached CMS signature over the PDF, base64. */
  p7sBase64: string;
}

export interface CapturedPages {
  pages: CasePage[];
}

export interface IsStatus {
  requests: {
    requestId: string;
    purpose: 'check' | 'reconciliation';
    status: 'queued' | 'answered' | 'rejected';
    attempts: number;
    lastError: string | null;
    createdAt: string;
    answeredAt: string | null;
    declared: import('./is-protocol').IsRequest['subjects'];
    answer: import('./is-protocol').IsAnswer | null;
    allConfirmed: boolean | null;
  }[];
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

/** What the header and the sync screen show. */
export interface SyncStatusView {
  configured: boolean;
  serverUrl: string | null;
  enrolled: { officeCode: string; workstationCode: string; at: string } | null;
  /** The last round reached the server and completed. */
  online: boolean;
  /** Events waiting to be sent. */
  waiting: number;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: { code: string; params?: Record<string, unknown> } | null;
  /** Refused events, held pulls and conflicts: each shown on the sync screen with its reason. */
  problems: number;
  /** This device's clock minus the server's (ms), as last measured; a warning beyond 5 minutes. */
  clockOffsetMs: number | null;
  clockSkewWarning: boolean;
  /** Conflicts of the office not yet resolved by a person (the Conflicts screen), and acts the server flagged. */
  conflicts: number;
  flagged: number;
  /** A pull under way that has more than a page to go (a new or restored workstation's first sync). */
  progress?: SyncProgress | null;
  /** The server answered busy (or too many requests): when the next round goes (ISO), else null. */
  busyRetryAt?: string | null;
}

export interface SyncProgress {
  /** Records of the office received this round, of how many there were when it started. */
  received: number;
  total: number;
  blobsReceived: number;
  bytesReceived: number;
  startedAt: string;
  /** Seconds left at the rate so far; null until there is a rate. */
  secondsLeft: number | null;
}

export interface SyncRoundView {
  pushed: number;
  pulled: number;
  refused: number;
  conflicts: number;
  held: number;
  waiting: number;
  completed: boolean;
}

/** One act of a conflict as the Conflicts screen shows it: who (from the signing certificate), when, what, what it would change. */
export interface ConflictSide {
  eventId: string;
  caseId: string;
  caseNumber: string | null;
  type: string;
  actor: { iin: string; name: string; role: string };
  /** The act's signed time (ISO); shown in Almaty time. */
  at: string;
  /** Message keys (change.*) with their parameters. */
  changes: { key: string; params?: Record<string, string | number> }[];
  flags: string[];
}

export type ConflictOption = 'redo' | 'withdraw' | 'close_this' | 'close_other';

export interface ConflictView {
  id: string;
  kind: 'same_version' | 'same_family';
  status: 'open' | 'resolved';
  caseId: string;
  caseNumber: string | null;
  otherCase: { caseId: string; caseNumber: string | null } | null;
  /** The act that holds the place (same_family: the other case's opening), null until the server's word arrives. */
  holding: ConflictSide | null;
  /** The act(s) that lost it, kept signed out of the case's line. */
  losing: ConflictSide[];
  options: ConflictOption[];
  resolution: string | null;
  resolvedBy: { eventId: string; name: string | null; at: string | null } | null;
  detectedAt: string;
}

export interface SyncProblems {
  refused: { eventId: string; caseId: string; caseNumber: string | null; type: string; seq: number; at: string; actorIin: string; error: { code: string; params?: Record<string, unknown> } | null; outOfLine: string | null }[];
  held: { eventId: string; caseId: string; caseNumber: string | null; reason: string; params: Record<string, unknown>; at: string; type: string }[];
  /** Acts the server flagged by the clock: unchanged, for a person to look at. */
  flagged: { eventId: string; caseId: string; caseNumber: string | null; type: string | null; at: string | null; flags: string[] }[];
  /** Reference acts refused (by this workstation at pull, or by the server at push), never applied. */
  reference?: { id: string; kind: string; reason: string; origin: 'here' | 'server'; source: { act: string; date: string; url?: string; assumed: boolean } | null; signerIin: string | null; at: string }[];
}

/** One case in a Center channel work list, with the deadline of the side that must act. */
export interface CenterQueueRow {
  caseId: string;
  caseNumber: string;
  applicantName: string;
  applicantIin: string;
  stage: CaseStage;
  officeCode: string;
  deadline: DeadlineId | null;
  due: string | null;
}

export interface CenterQueue {
  /** District: electronic requests received, to check within 2 working days (item 11.2 stage 3). */
  incoming: CenterQueueRow[];
  /** Center: taken, the request to send within 3 working days (stage 2). */
  toSend: CenterQueueRow[];
  /** Center: returned with the Appendix 4 notice, to correct and re-send within 3 working days (stage 3). */
  returned: CenterQueueRow[];
  /** Center: the notification or the refusal arrived, to hand over against the receipt (stage 5). */
  toHandOver: CenterQueueRow[];
}

/** The district's view of a Center package: the request's act and its signature, every page checked, the checklist. */
export interface CenterPackageView {
  stage: CaseStage;
  request: { seq: number; resent: boolean; sentAt: string; district: string; items: number; missingBlobs: number; actValid: boolean; signer: string | null } | null;
  pages: { pageId: string; documentKind: string; position: number; valid: boolean; errors: string[] }[];
  checklistComplete: boolean;
  deadlines: { id: DeadlineId; due: string }[];
}
