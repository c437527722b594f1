/** The case at the counter: registration, search, the case view, pages and scans, the application, the information systems. */
import * as s from '../schemas';
import type { CaseScreen, RegisterResult, SearchResult, CaseVerification, CapturedPages, IssuedForm, ApplicationView, IsStatus, ImportedPages } from '../types';
import { method, STAFF, CERTIFIERS } from '../method-def';

export const intakeMethods = {
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
  'cases.get': method<CaseScreen>()({
    input: s.caseIdInput,
    access: STAFF,
    summary: 'One case: its stored view (the screen parses it: caseDetailOf), the acts the person may do now, its sync state',
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
} as const;
