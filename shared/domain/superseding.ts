/**
 * Later signed acts that make a printed form no longer current: the paper stays genuine, but it is not the case's
 * last word. (A later copy of the same form is the other way a paper is replaced; the check finds that by itself.)
 */
import type { FormName } from '../forms/texts';

export interface SupersedingRule {
  /** The forms issued before the act that it makes no longer current ('all': every form of the case). */
  forms: readonly FormName[] | 'all';
  source: string;
}

export const SUPERSEDING_ACTS = {
  // A signed decision is never edited: the head's correction is a new signed act naming it, and the decision and
  // the notification printed from it no longer state the case's decision alone.
  'decision.corrected': { forms: ['decision', 'notification'], source: '11.1 stage 6-7: a correction to the signed decision, signed by the head' },
  // The same family taken twice: the case closed as a duplicate, its papers give way to the case kept.
  'case.closed_as_duplicate': { forms: 'all', source: 'the same family taken twice: one application is one case (item 11.1 stage 1), the other closed by a signed act' },
} as const satisfies Record<string, SupersedingRule>;

export type SupersedingAct = keyof typeof SUPERSEDING_ACTS;

export const SUPERSEDING_ACT_TYPES = Object.keys(SUPERSEDING_ACTS) as SupersedingAct[];

/** Whether the act `type`, made after the form, makes the form no longer current. */
export function supersedes(type: string, form: string): boolean {
  const rule = (SUPERSEDING_ACTS as Record<string, SupersedingRule>)[type];
  if (!rule) return false;
  return rule.forms === 'all' || (rule.forms as readonly string[]).includes(form);
}
