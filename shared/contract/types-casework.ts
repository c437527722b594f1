/**
 * What the counter's screens get besides the case: the scanner and the pages, the application, the journal, the
 * deadlines board, the issued forms and the information systems' status.
 */
import type { Stage } from '../domain/workflow';
import type { DeadlineId } from '../domain/deadlines';

type CaseStage = Stage;

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

/** The board's counts over the whole board, or over "my work" when asked. */
export interface BoardTotals {
  /** Rows matching the filters (the list can be paged to this many). */
  total: number;
  /** Per state, per stage, per responsible person. */
  byState: BoardCounts;
  byStage: { stage: CaseStage; counts: BoardCounts }[];
  byPerson: { iin: string | null; name: string | null; counts: BoardCounts }[];
}

export interface BoardList {
  /** The office's today and the next working day: the bounds of "due today" and "due tomorrow". */
  today: string;
  nextWorkingDay: string;
  rows: BoardRow[];
  /** Give as `after` for the page after this one; null when this page is the last. */
  next: string | null;
  /**
   * With the first page only: a page after it (`after`) carries its rows, and the screen keeps the first page's
   * counts while it scrolls (counting them again for each page cost as much as reading the page).
   */
  counts: BoardTotals | null;
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
    /** A queued request waits because the gateway could not be reached (it is sent again by itself). */
    unreachable: boolean;
    createdAt: string;
    answeredAt: string | null;
    declared: import('./is-protocol').IsRequest['subjects'];
    answer: import('./is-protocol').IsAnswer | null;
    allConfirmed: boolean | null;
  }[];
}

