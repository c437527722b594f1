/**
 * The one method contract. Electron's IPC bridge, the browser host and the CLI are built from this table;
 * the services validate every input with its schema and check the caller's role before running a method.
 */
import type { z } from 'zod';
import type { Role } from '../roles';
import * as s from './schemas';
import type {
  CaseDetail,
  DemoKey,
  OfficeStatus,
  RegisterResult,
  SearchResult,
  SessionInfo,
  Identity,
  CalendarCorrection,
  CaseVerification,
  CapturedPages,
  ScannerSettings,
  ScannerStatus,
  IssuedForm,
  ApplicationView,
  IsStatus,
  JournalRow,
  BoardList,
  Precinct,
  ThresholdRow,
  CommissionStatus,
  DecisionDraft,
  DecisionReview,
  AuditList,
  ImportedPages,
  SyncStatusView,
  SyncRoundView,
  SyncProblems,
  ConflictView,
  CenterPackageView,
  CenterQueue,
} from './types';
import type { BenefitResult } from '../domain/benefit';

/** 'public' methods need no sign-in (status, demo office, sign-in itself). */
export type Access = 'public' | readonly Role[];

export interface MethodDef<S extends z.ZodType = z.ZodType, R = unknown> {
  input: S;
  access: Access;
  summary: string;
  /** Phantom: the result type, for typed clients. */
  readonly _result?: R;
}

function method<R>() {
  return <S extends z.ZodType>(def: { input: S; access: Access; summary: string }): MethodDef<S, R> => def;
}

const STAFF: readonly Role[] = ['specialist', 'head', 'center', 'secretary', 'admin'];
/** Who certifies copies of originals (shared/domain/acts.ts, 'page.certified'). */
const CERTIFIERS: readonly Role[] = ['specialist', 'center', 'secretary'];

export const methods = {
  'office.status': method<OfficeStatus>()({
    input: s.emptyInput,
    access: 'public',
    summary: 'Workstation, schema version, demo office and case count',
  }),
  'demo.createOffice': method<OfficeStatus>()({
    input: s.emptyInput,
    access: 'public',
    summary: 'Create the demo office: simulated PKI, one district department, three staff key files',
  }),
  'demo.keyFile': method<DemoKey & { p12Base64: string }>()({
    input: s.demoKeyInput,
    access: 'public',
    summary: "A demo office key file, so a newcomer need not look for it on disk",
  }),
  'session.signIn': method<SessionInfo>()({
    input: s.signInInput,
    access: 'public',
    summary: 'Sign in with a PKCS#12 signing key file and its password',
  }),
  'session.current': method<Identity>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The signed-in person, from the certificate',
  }),
  'session.unlock': method<{ until: string }>()({
    input: s.unlockInput,
    access: STAFF,
    summary: 'Unlock the signing key for a while (at most UNLOCK_MINUTES) with its password',
  }),
  'session.lock': method<{ locked: true }>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Lock the screen now (the idle timeout does it too): the key is dropped, drafts are kept, the password resumes',
  }),
  'session.resume': method<SessionInfo>()({
    input: s.resumeInput,
    access: STAFF,
    summary: 'Resume a locked session with the same key file’s password',
  }),
  'audit.list': method<AuditList>()({
    input: s.auditListInput,
    access: ['head'],
    summary: 'The audit trail: sign-ins, failed sign-ins and case opens, with who, when and which workstation (no payloads)',
  }),
  'session.signOut': method<{ signedOut: true }>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'End the session',
  }),
  'cases.registerApplicant': method<RegisterResult>()({
    input: s.registerApplicantInput,
    access: ['specialist', 'center'],
    summary: 'Register an applicant: creates a case at the intake stage',
  }),
  'cases.search': method<SearchResult>()({
    input: s.searchCasesInput,
    access: STAFF,
    summary: 'Find cases by IIN, name prefix or case number',
  }),
  'cases.get': method<CaseDetail>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'One case with its event log',
  }),
  'cases.verify': method<CaseVerification>()({
    input: s.verifyCaseInput,
    access: STAFF,
    summary: 'Re-verify every event of a case: hashes, the hash chain, each CMS signature and the signer’s role',
  }),
  'pages.list': method<CapturedPages>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'The pages of a case, each with its quality flags, thumbnail and signature panel',
  }),
  'pages.import': method<ImportedPages>()({
    input: s.importPageInput,
    access: CERTIFIERS,
    summary: 'Import an image or PDF file as pages of a document: checked, stored once and certified with ECP (the same bytes as a damaged page repair its file)',
  }),
  'pages.scan': method<CapturedPages>()({
    input: s.scanPageInput,
    access: CERTIFIERS,
    summary: 'Scan a page from the configured scanner: checked, stored once and certified with ECP',
  }),
  'pages.rotate': method<CapturedPages>()({
    input: s.rotatePageInput,
    access: CERTIFIERS,
    summary: 'Turn a page: a new certified page replaces it (the old one stays in the log)',
  }),
  'pages.move': method<CapturedPages>()({
    input: s.movePageInput,
    access: CERTIFIERS,
    summary: 'Move a page up or down within its document (a signed event)',
  }),
  'pages.remove': method<{ removed: true }>()({
    input: s.pageInput,
    access: CERTIFIERS,
    summary: 'Remove a page from its document (a signed event; the page stays in the log)',
  }),
  'pages.originalsReturned': method<{ returned: true; pages: number }>()({
    input: s.caseIdInput,
    access: CERTIFIERS,
    summary: 'Record that the originals went back to the applicant after their copies were certified',
  }),
  'pages.image': method<{ mediaType: string; base64: string }>()({
    input: s.pageInput,
    access: STAFF,
    summary: 'The page as scanned, for the preview',
  }),
  'application.record': method<ApplicationView>()({
    input: s.applicationInput,
    access: ['specialist', 'center'],
    summary: 'Record the application (documents, account, representative, family, income) as a signed event; returns the checklist',
  }),
  'application.get': method<ApplicationView>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'The last recorded application of a case, with the item 13 checklist and the pages received',
  }),
  'intake.requestChecks': method<{ requestId: string }>()({
    input: s.caseIdInput,
    // The Center checks the information-system documents at its own intake too (item 11.2 stage 1).
    access: ['specialist', 'center'],
    summary: 'Ask the information systems about the applicant and every family member (queued, sent and retried in the background)',
  }),
  'intake.status': method<IsStatus>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'The information-system requests of a case and their answers beside what was declared',
  }),
  'intake.accept': method<{ stage: string }>()({
    input: s.caseIdInput,
    access: ['specialist'],
    summary: 'Accept the application: every field confirmed and the item 13 package complete',
  }),
  'intake.notifyMismatch': method<IssuedForm>()({
    input: s.caseIdInput,
    access: ['specialist'],
    summary: 'Print the notice to bring the originals and the consent to reconcile (3 working days)',
  }),
  'intake.originalsBrought': method<{ requestId: string }>()({
    input: s.caseIdInput,
    access: ['specialist'],
    summary: 'The originals and the consent were brought in time: the reconciliation request is sent',
  }),
  'intake.refuseAcceptance': method<IssuedForm>()({
    input: s.caseIdInput,
    access: ['specialist'],
    summary: 'Refuse to accept the application (Appendix 20) after the 3 working days passed',
  }),
  'demo.timeTravel': method<{ days: number; today: string }>()({
    input: s.timeTravelInput,
    // Issue 14 point 11: the legal clock is the administrator's, and only in the demo office.
    access: ['admin'],
    summary: 'Demo and tests only: move the services’ clock forward by N days (0 returns to today); the administrator',
  }),
  'journal.register': method<JournalRow>()({
    input: s.registerInJournalInput,
    access: ['specialist'],
    summary: 'Register the case in the journal (Appendix 21): scans compared, flagged pages reviewed, package complete',
  }),
  'reference.precincts': method<Precinct[]>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The precinct commissions of the office (reference data)',
  }),
  'reference.thresholds': method<ThresholdRow[]>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The food-basket thresholds of the office’s region, newest first, with their source',
  }),
  'reference.setThreshold': method<ThresholdRow>()({
    input: s.setThresholdInput,
    access: ['admin'],
    summary: 'Enter the official food-basket threshold of a quarter, with its source',
  }),
  'reference.setPrecinct': method<Precinct>()({
    input: s.setPrecinctInput,
    access: ['admin'],
    summary: 'Set a precinct commission (the city department’s administrator: a signed reference act for the city)',
  }),
  'reference.publishOffices': method<{ offices: number }>()({
    input: s.publishOfficesInput,
    access: ['admin'],
    summary: 'Publish the offices of the city (the city department’s administrator: a signed reference act)',
  }),
  'commission.status': method<CommissionStatus>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'The commission stage of a case: the repeat-application rule, the referral, the act and conclusion',
  }),
  'commission.refer': method<IssuedForm>()({
    input: s.referToCommissionInput,
    access: ['specialist'],
    summary: 'Refer the case to the precinct commission (item 11.1 stage 4), with the signed referral PDF',
  }),
  'commission.conclude': method<{ stage: string }>()({
    input: s.commissionConclusionInput,
    access: ['secretary', 'specialist'],
    summary: 'Record the act on the family’s material situation and the conclusion on need',
  }),
  'commission.reuse': method<{ stage: string }>()({
    input: s.caseIdInput,
    access: ['specialist'],
    summary: 'Repeat application in the same year with nothing changed: reference the last act, no inspection',
  }),
  'decision.calculate': method<BenefitResult>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'The benefit for the case’s application, with its whole working',
  }),
  'decision.draft': method<DecisionDraft>()({
    input: s.decisionDraftInput,
    access: ['specialist'],
    summary: 'Draft the decision (assign or refuse) with the calculation; signed by the responsible specialist',
  }),
  'decision.review': method<DecisionReview>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'What the head needs to sign: the draft, an independent re-computation, flags, conclusion, returns',
  }),
  'decision.sign': method<IssuedForm>()({
    input: s.decisionSignInput,
    access: ['head'],
    summary: 'The head’s decision, signed with the head’s key, with the decision PDF',
  }),
  'decision.return': method<{ stage: string }>()({
    input: s.decisionReturnInput,
    access: ['head'],
    summary: 'Return the drafted case to the specialist with a comment',
  }),
  'decision.correct': method<{ corrects: number }>()({
    input: s.decisionCorrectInput,
    access: ['head'],
    summary: 'A correction of a signed decision: a new signed act naming the one it corrects (the decision is never edited)',
  }),
  'notification.issue': method<IssuedForm>()({
    input: s.caseIdInput,
    access: ['head'],
    summary: 'The Appendix 22 notification in the applicant’s language, signed by the head',
  }),
  'notification.centerHandedOver': method<{ stage: string }>()({
    input: s.centerHandoverInput,
    access: ['center'],
    summary: 'The Center handed the notification to the applicant against its receipt; the case closes',
  }),
  'center.sendRequest': method<{ stage: string; items: number; due: string | null }>()({
    input: s.centerSendInput,
    access: ['center'],
    summary: 'Send (or, after a return, re-send) the electronic request to the district, certified with the Center specialist’s ECP',
  }),
  'center.inspect': method<CenterPackageView>()({
    input: s.caseIdInput,
    access: ['specialist', 'head', 'center'],
    summary: 'The Center’s request as received: its act and signature, every page and its signature, the item 13 checklist',
  }),
  'center.returnIncomplete': method<IssuedForm>()({
    input: s.centerReturnInput,
    access: ['specialist'],
    summary: 'Return an incomplete Center package with the missing-document notice (Appendix 4 to the Rules), signed',
  }),
  'center.acceptPackage': method<{ stage: string }>()({
    input: s.centerAcceptInput,
    access: ['specialist'],
    summary: 'Accept a complete Center package (every page and signature checked) for registration in the journal',
  }),
  'center.handover': method<IssuedForm>()({
    input: s.centerHandoverRecordInput,
    access: ['center'],
    summary: 'Hand the result over at the Center against its receipt; the handover record is signed and the case closes',
  }),
  'center.queue': method<CenterQueue>()({
    input: s.emptyInput,
    access: ['specialist', 'head', 'center'],
    summary: 'The Center channel’s work lists: incoming requests, requests to send, returns to correct, results to hand over',
  }),
  'notification.deliver': method<{ stage: string }>()({
    input: s.notificationDeliverInput,
    access: ['specialist'],
    summary: 'Record the delivery of the notification (in person, by post, or passed to the Center); the case closes',
  }),
  'journal.list': method<JournalRow[]>()({
    input: s.journalListInput,
    access: STAFF,
    summary: 'The journal for a period, filtered by channel or by IIN / journal number',
  }),
  'board.list': method<BoardList>()({
    input: s.boardListInput,
    access: STAFF,
    summary: 'The deadlines board: every open deadline by due date with its state and legal source; counts per state, stage and person; "my work today"',
  }),
  'journal.pdf': method<{ pdfBase64: string; rows: number }>()({
    input: s.journalPdfInput,
    access: STAFF,
    summary: 'The printed journal (Appendix 21) for a period, landscape PDF in kk or ru, unsigned',
  }),
  'forms.issueReceipt': method<IssuedForm>()({
    input: s.issueReceiptInput,
    access: ['specialist', 'center'],
    summary: 'Print the receipt for the applicant (tear-off receipt, or the Center’s қолхат), certified with ECP',
  }),
  'forms.reprint': method<IssuedForm>()({
    input: s.reprintFormInput,
    access: STAFF,
    summary: 'The last issued copy of a form, exactly as certified',
  }),
  'scanner.status': method<ScannerStatus>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The configured scanner source and the devices it finds now',
  }),
  'scanner.configure': method<ScannerSettings>()({
    input: s.scannerSettingsInput,
    // The source names a program to run (NAPS2) and folders to read and move: the administrator's setting.
    access: ['admin'],
    summary: 'Choose the scanner source: SANE, NAPS2, a watched folder, or none (administrator)',
  }),
  'sync.status': method<SyncStatusView>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Sync with the central server: online or not, items waiting, the last successful sync, problems, clock offset',
  }),
  'sync.now': method<SyncRoundView>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Sync now: one round (push what waits, pull what the office did)',
  }),
  'sync.problems': method<SyncProblems>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'Refused items with the server’s reason, pulled events held back, and conflicts',
  }),
  'conflicts.list': method<ConflictView[]>()({
    input: s.emptyInput,
    access: ['specialist', 'head', 'center'],
    summary: 'The office’s conflicts of sync: the case, both acts side by side (who, when, what each would change), the options',
  }),
  'conflicts.resolve': method<ConflictView>()({
    input: s.resolveConflictInput,
    access: ['specialist', 'head', 'center'],
    summary: 'Resolve a conflict by a signed act: redo the act on the current version, withdraw it, or close one case as a duplicate',
  }),
  'calendar.addWorkingDays': method<{ date: string }>()({
    input: s.addWorkingDaysInput,
    access: STAFF,
    summary: 'The n-th working day after a date, on this workstation’s calendar',
  }),
  'calendar.corrections': method<CalendarCorrection[]>()({
    input: s.emptyInput,
    access: STAFF,
    summary: 'The administrator’s corrections of the working-day calendar',
  }),
  'calendar.correctDay': method<CalendarCorrection>()({
    input: s.correctCalendarDayInput,
    access: ['admin'],
    summary: 'Make a day a working day or a day off (e.g. a Government transfer decree)',
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['_result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** What crosses every transport: the method, its raw input, and the session token from sign-in. */
export interface CallEnvelope {
  method: string;
  input: unknown;
  session?: string;
}
