/**
 * Who may certify which act with an ECP key. The services check it before signing and verification checks it
 * again, so a specialist's key cannot sign a head's decision and a Center key cannot sign a district decision
 *. Sources: regulation.md item 11 (stages as numbered there).
 */
import type { Role } from '../roles';

export const SIGNED_ACTS = {
  /** Each scanned copy of an original, at capture. */
  'page.certified': { roles: ['specialist', 'center', 'secretary'], source: '11.1 stage 1, 11.2 stage 1: scans certified with the specialist’s ECP' },
  'center.request': { roles: ['center'], source: '11.2 stage 2: the electronic request certified by the Center specialist' },
  'notice.missing_documents': { roles: ['specialist'], source: '11.2 stage 3 (Appendix 4)' },
  'notice.bring_originals': { roles: ['specialist'], source: '11.1 stage 2' },
  receipt: { roles: ['specialist', 'center'], source: '11.1 stage 1, 11.2 stage 1: the tear-off receipt' },
  'acceptance.refusal': { roles: ['specialist'], source: '11.1 stage 2 (Appendix 20)' },
  'commission.referral': { roles: ['specialist'], source: '11.1 stage 4: the district sends the case to the precinct commission' },
  'commission.act': { roles: ['secretary', 'specialist'], source: '11.1 stage 4' },
  'decision.draft': { roles: ['specialist'], source: '11.1 stage 5: the responsible specialist signs the draft' },
  decision: { roles: ['head'], source: '11.1 stage 6: the head takes the decision and signs it' },
  notification: { roles: ['head'], source: '11.1 stage 7 (Appendix 22): signed by the head' },
  'center.handover': { roles: ['center'], source: '11.2 stage 5: the Center hands the result over against its receipt' },
} as const satisfies Record<string, { roles: readonly Role[]; source: string }>;

export type SignedAct = keyof typeof SIGNED_ACTS;

/** The act each printed form certifies. */
export const FORM_ACTS = {
  receipt: 'receipt',
  center_receipt: 'receipt',
  notice_originals: 'notice.bring_originals',
  refusal_acceptance: 'acceptance.refusal',
  commission_referral: 'commission.referral',
  commission_act: 'commission.act',
  commission_conclusion: 'commission.act',
  decision: 'decision',
  notification: 'notification',
  missing_documents: 'notice.missing_documents',
  handover_record: 'center.handover',
} as const satisfies Record<string, SignedAct>;

/**
 * Case events that are records rather than steps of the regulation's workflow (pages captured or removed,
 * originals returned). The workflow's transitions say who makes each step; this says who makes each record.
 */
export const CASE_RECORDS = {
  'page.captured': SIGNED_ACTS['page.certified'].roles,
  'page.removed': SIGNED_ACTS['page.certified'].roles,
  'pages.reordered': SIGNED_ACTS['page.certified'].roles,
  'originals.returned': SIGNED_ACTS['page.certified'].roles,
  /** Any certified form printed beside a step (the receipts; the commission's conclusion beside its act): who may
   * sign which form is the act it certifies (FORM_ACTS), checked at signing, at projection and by Verify case. */
  'form.issued': ['specialist', 'center', 'secretary'],
  'application.recorded': ['specialist', 'center'],
  'is.requested_again': ['specialist'],
  /** Item 11.2 stage 1: the Center asks the information systems at its intake; its workflow step is the request to the district. */
  'is.requested_at_center': ['center'],
  /** Item 11.1 stage 7: the head signs the Appendix 22 notification; the specialist then delivers it. */
  'notification.issued': SIGNED_ACTS.notification.roles,
  /** A signed decision is never edited: a correction is a new signed act that names the one it corrects. */
  'decision.corrected': SIGNED_ACTS.decision.roles,
  /** A conflict of sync resolved by a person's signed act (redone on the current version, or withdrawn). */
  'conflict.resolved': ['specialist', 'head', 'center'],
} as const satisfies Record<string, readonly Role[]>;

export function isSignedAct(value: string): value is SignedAct {
  return Object.prototype.hasOwnProperty.call(SIGNED_ACTS, value);
}

/** The first of `roles` that may certify `act`, or null. */
export function roleForAct(roles: readonly Role[], act: SignedAct): Role | null {
  const allowed: readonly Role[] = SIGNED_ACTS[act].roles;
  return roles.find((r) => allowed.includes(r)) ?? null;
}

/**
 * The receipt the applicant gets, and when: the district's tear-off receipt once the information systems confirmed
 * everything (item 11.1 stage 2: accepted, then while it is being registered), the Center's қолхат at its own intake
 * (item 11.2 stage 1). Null: no receipt now.
 */
export function receiptForm(channel: 'district' | 'center', stage: string): 'receipt' | 'center_receipt' | null {
  if (channel === 'district') return stage === 'completeness_check' || stage === 'registered' ? 'receipt' : null;
  return stage === 'center_intake' ? 'center_receipt' : null;
}

export type CertifiedForm = keyof typeof FORM_ACTS;

export function isCertifiedForm(value: string): value is CertifiedForm {
  return Object.prototype.hasOwnProperty.call(FORM_ACTS, value);
}
