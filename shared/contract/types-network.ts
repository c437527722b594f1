/**
 * What the contract answers about the network: the sync status the header and the Sync screen show, a round's
 * outcome, the conflicts a person resolves, and the Center channel's work lists and packages.
 */
import type { Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';

type CaseStage = Stage;

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
