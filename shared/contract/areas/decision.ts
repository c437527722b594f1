/** From the journal to the notification: the commission, the draft and the decision, the forms, the journal and the board. */
import * as s from '../schemas';
import type { IssuedForm, JournalRow, BoardList, CommissionStatus, DecisionDraft, DecisionReview } from '../types';
import type { BenefitResult } from '../../domain/benefit';
import { method, STAFF } from '../method-def';

export const decisionMethods = {
  'journal.register': method<JournalRow>()({
    input: s.registerInJournalInput,
    access: ['specialist'],
    summary: 'Register the case in the journal (Appendix 21): scans compared, flagged pages reviewed, package complete',
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
} as const;
