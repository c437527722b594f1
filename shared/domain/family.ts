/**
 * The family as the applicant declares it at the counter: the checks that must pass
 * before the application is stored. Pure, so the form shows the same message live that the services give.
 */
import { checkIin } from './iin';
import { parseDay } from './dates';

/** Children count while under 18 on the application date (benefit.md §1; the Law on state benefits). */
export const CHILD_AGE_LIMIT = 18;

export interface DeclaredMember {
  iin: string;
  relation: 'applicant' | 'spouse' | 'child' | 'other';
  birthDate: string;
}

export interface FamilyIssue {
  /** The form field, e.g. 'members.2.iin'. */
  field: string;
  /** A message key of shared/i18n. */
  code: string;
  params?: Record<string, string | number>;
}

/** Full years between two ISO days (a person born on 29 February turns a year older on 1 March). */
export function ageOn(birthDate: string, on: string): number {
  parseDay(birthDate, 'birthDate');
  parseDay(on, 'on');
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function checkFamily(members: readonly DeclaredMember[], applicationDate: string): FamilyIssue[] {
  const issues: FamilyIssue[] = [];
  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    const iin = checkIin(m.iin ?? '', { birthDate: m.birthDate });
    if (!iin.valid) issues.push({ field: `members.${i}.iin`, code: iin.errors[0]! });
    const first = seen.get(m.iin);
    if (first !== undefined) issues.push({ field: `members.${i}.iin`, code: 'family.duplicate_iin', params: { n: first + 1 } });
    else seen.set(m.iin, i);
    // A date still being typed is the form's business; the age rules need a whole date.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(m.birthDate ?? '')) {
      issues.push({ field: `members.${i}.birthDate`, code: 'field.required' });
      return;
    }
    if (m.relation === 'child' && ageOn(m.birthDate, applicationDate) >= CHILD_AGE_LIMIT) {
      issues.push({ field: `members.${i}.birthDate`, code: 'family.child_not_under_18', params: { age: ageOn(m.birthDate, applicationDate) } });
    }
    if (ageOn(m.birthDate, applicationDate) < 0) issues.push({ field: `members.${i}.birthDate`, code: 'family.born_after_application' });
  });
  if (members.filter((m) => m.relation === 'applicant').length !== 1) issues.push({ field: 'members', code: 'family.one_applicant' });
  if (!members.some((m) => m.relation === 'child')) issues.push({ field: 'members', code: 'family.no_child' });
  return issues;
}
