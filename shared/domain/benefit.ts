/**
 * The state benefit to families with children under 18 (benefit.md §1). Pure: reference tables and the
 * assumed rules come in as parameters, so every figure in the result can be traced to a table row or a named
 * rule. Money is integer tiyn (1 ₸ = 100 tiyn); the threshold test is exact integer arithmetic.
 */
import { DomainError } from './errors';
import { parseDay, formatDay } from './dates';
import type { Mark } from './calendar-rules';
import mrpSeed from './data/mrp-kz.json';
import foodBasketSeed from './data/food-basket-kz.json';

export type Relation = 'applicant' | 'spouse' | 'child' | 'other';

export interface FamilyMember {
  id: string;
  name: string;
  relation: Relation;
  birthDate: string;
}

export interface IncomeLine {
  memberId: string;
  kind: string;
  /** The month the income is for, YYYY-MM. */
  month: string;
  /** Integer tiyn (1 ₸ = 100 tiyn). */
  amountTiyn: number;
}

export interface BenefitInput {
  applicationDate: string;
  region: string;
  members: FamilyMember[];
  income: IncomeLine[];
}

export interface MrpRow {
  from: string;
  tenge: number;
  mark: Mark;
  /** The law or the public pages the value was read in (data/mrp-kz.json). */
  source: string;
}
export interface FoodBasketRow {
  region: string;
  year: number;
  quarter: number;
  /** Exact, in tiyn: 60% of a subsistence minimum need not be whole tenge. */
  tiyn: number;
  mark: Mark;
  derivation: string;
}

/** The assumed rules, each named and overridable (benefit.md marks them [assumed]). */
export interface BenefitRules {
  version: string;
  /** Which quarter the income is taken from: the one before the quarter of application [assumed]. */
  incomeQuarterOffset: number;
  /** Which quarter's food basket is the threshold: the quarter of application ('application') [assumed]. */
  thresholdQuarter: 'application' | 'income';
  /** Income kinds not counted [assumed, low confidence]. */
  excludedIncomeKinds: readonly string[];
  /** Relations counted as family members: parents and children [sourced]. */
  countedRelations: readonly Relation[];
  /** Income of minor children is not counted: "income of both parents and adult children" [sourced reading]. */
  countMinorChildrenIncome: boolean;
  /** Age under which a child brings the benefit [sourced]. */
  childAgeLimit: number;
  /** Months of income summed [sourced]. */
  incomeMonths: number;
  /** The benefit runs from the month of application to the end of: its quarter (re-confirmed quarterly) [assumed]. */
  assignmentPeriodEnd: 'end_of_application_quarter' | 'end_of_application_month';
}

export const DEFAULT_RULES: BenefitRules = {
  version: 'benefit-2013.1',
  incomeQuarterOffset: -1,
  thresholdQuarter: 'application',
  excludedIncomeKinds: ['targeted_social_assistance', 'housing_assistance', 'child_benefit', 'birth_allowance_one_off', 'local_social_assistance_one_off'],
  countedRelations: ['applicant', 'spouse', 'child'],
  countMinorChildrenIncome: false,
  childAgeLimit: 18,
  incomeMonths: 3,
  assignmentPeriodEnd: 'end_of_application_quarter',
};

export interface ReferenceTables {
  mrp: readonly MrpRow[];
  foodBasket: readonly FoodBasketRow[];
}

export function seedTables(): ReferenceTables {
  return { mrp: mrpSeed.rows as MrpRow[], foodBasket: foodBasketSeed.rows as FoodBasketRow[] };
}

export type RefusalReason = 'income_not_below_threshold' | 'no_child_under_18';

export interface BenefitResult {
  eligible: boolean;
  refusalReasons: RefusalReason[];
  monthlyAmountTiyn: number;
  period: { from: string; to: string } | null;
  explanation: {
    rulesVersion: string;
    applicationDate: string;
    incomeQuarter: { year: number; quarter: number; from: string; to: string };
    members: { id: string; name: string; relation: Relation; counted: boolean; reason: string }[];
    incomeLines: (IncomeLine & { counted: boolean; reason: string })[];
    totalIncomeTiyn: number;
    divisor: { months: number; members: number; value: number };
    /** Per-capita monthly income, rounded down to the tiyn for display; the test below is exact. */
    perCapitaTiyn: number;
    threshold: FoodBasketRow;
    /** totalIncome < threshold × divisor, i.e. per-capita income strictly below the threshold. */
    belowThreshold: boolean;
    mrp: MrpRow & { tiyn: number };
    children: { id: string; name: string; birthDate: string; ageOnApplication: number; counted: boolean }[];
  };
}

function quarterOf(iso: string) {
  const [y, m] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
  return { year: y, quarter: Math.floor((m - 1) / 3) + 1 };
}

function shiftQuarter(q: { year: number; quarter: number }, by: number) {
  const index = q.year * 4 + (q.quarter - 1) + by;
  return { year: Math.floor(index / 4), quarter: (index % 4) + 1 };
}

function quarterBounds(q: { year: number; quarter: number }) {
  const firstMonth = (q.quarter - 1) * 3 + 1;
  const from = `${q.year}-${String(firstMonth).padStart(2, '0')}-01`;
  const next = shiftQuarter(q, 1);
  const to = formatDay(parseDay(`${next.year}-${String((next.quarter - 1) * 3 + 1).padStart(2, '0')}-01`) - 1);
  return { ...q, from, to };
}

/**
 * The quarter whose income an application declares (the quarter before the one of application, DEFAULT_RULES
 * incomeQuarterOffset [assumed]) and its months (YYYY-MM): the columns of the income grid, the act's income.
 */
export function incomeQuarterOf(applicationDate: string, rules: BenefitRules = DEFAULT_RULES): { year: number; quarter: number; from: string; to: string; months: string[] } {
  const q = quarterBounds(shiftQuarter(quarterOf(applicationDate), rules.incomeQuarterOffset));
  const first = (q.quarter - 1) * 3 + 1;
  const months = Array.from({ length: rules.incomeMonths }, (_, i) => `${q.year}-${String(first + i).padStart(2, '0')}`);
  return { ...q, months };
}

function endOfMonth(iso: string): string {
  const [y, m] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return formatDay(parseDay(next) - 1);
}

function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

export function calculateBenefit(input: BenefitInput, tables: ReferenceTables = seedTables(), rules: BenefitRules = DEFAULT_RULES): BenefitResult {
  // Validate everything first: a bad input is an error naming its field, never a wrong answer.
  const application = parseDay(input.applicationDate, 'applicationDate');
  if (!input.region) throw new DomainError('field.required', 'region');
  if (!Array.isArray(input.members) || input.members.length === 0) throw new DomainError('benefit.no_members', 'members');
  const ids = new Set<string>();
  input.members.forEach((m, i) => {
    if (!m.id || ids.has(m.id)) throw new DomainError('benefit.member_id_invalid', `members.${i}.id`);
    ids.add(m.id);
    parseDay(m.birthDate, `members.${i}.birthDate`);
    if (m.birthDate > input.applicationDate) throw new DomainError('field.date_in_future', `members.${i}.birthDate`);
    if (!['applicant', 'spouse', 'child', 'other'].includes(m.relation)) throw new DomainError('field.invalid', `members.${i}.relation`);
  });
  if (!input.members.some((m) => m.relation === 'child')) throw new DomainError('benefit.no_child', 'members');
  if (!Array.isArray(input.income)) throw new DomainError('field.required', 'income');
  input.income.forEach((line, i) => {
    if (!ids.has(line.memberId)) throw new DomainError('benefit.unknown_member', `income.${i}.memberId`);
    if (!Number.isSafeInteger(line.amountTiyn)) throw new DomainError('benefit.amount_not_integer', `income.${i}.amountTiyn`);
    if (line.amountTiyn < 0) throw new DomainError('benefit.negative_income', `income.${i}.amountTiyn`);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(line.month)) throw new DomainError('date.invalid', `income.${i}.month`, { value: line.month });
  });

  const applicationQuarter = quarterOf(input.applicationDate);
  const incomeQuarter = quarterBounds(shiftQuarter(applicationQuarter, rules.incomeQuarterOffset));
  const thresholdQ = rules.thresholdQuarter === 'application' ? applicationQuarter : incomeQuarter;
  const threshold = tables.foodBasket.find((r) => r.region === input.region && r.year === thresholdQ.year && r.quarter === thresholdQ.quarter);
  if (!threshold) throw new DomainError('benefit.threshold_missing', 'region', { region: input.region, year: thresholdQ.year, quarter: thresholdQ.quarter });
  const mrp = [...tables.mrp].filter((r) => r.from <= input.applicationDate).sort((a, b) => (a.from < b.from ? 1 : -1))[0];
  if (!mrp) throw new DomainError('benefit.mrp_missing', 'applicationDate', { date: input.applicationDate });

  const members = input.members.map((m) => {
    const counted = rules.countedRelations.includes(m.relation);
    return { id: m.id, name: m.name, relation: m.relation, counted, reason: counted ? `counted:${m.relation}` : 'not_counted:relation' };
  });
  const byId = new Map(input.members.map((m) => [m.id, m]));
  const countedIds = new Set(members.filter((m) => m.counted).map((m) => m.id));
  const incomeMonthFrom = incomeQuarter.from.slice(0, 7);
  const incomeMonthTo = incomeQuarter.to.slice(0, 7);

  const incomeLines = input.income.map((line) => {
    const member = byId.get(line.memberId)!;
    let reason = 'counted';
    if (!countedIds.has(line.memberId)) reason = 'not_counted:member_not_in_family';
    else if (line.month < incomeMonthFrom || line.month > incomeMonthTo) reason = 'not_counted:outside_income_quarter';
    else if (rules.excludedIncomeKinds.includes(line.kind)) reason = 'not_counted:excluded_kind';
    else if (member.relation === 'child' && !rules.countMinorChildrenIncome && ageOn(member.birthDate, input.applicationDate) < rules.childAgeLimit) {
      reason = 'not_counted:minor_child_income';
    }
    return { ...line, counted: reason === 'counted', reason };
  });

  const totalIncomeTiyn = incomeLines.filter((l) => l.counted).reduce((s, l) => s + l.amountTiyn, 0);
  if (!Number.isSafeInteger(totalIncomeTiyn * 10)) throw new DomainError('benefit.amount_too_large', 'income');
  const divisorMembers = countedIds.size;
  const divisor = rules.incomeMonths * divisorMembers;
  const thresholdTiyn = threshold.tiyn;
  // Exact: total / divisor < threshold  ⇔  total < threshold × divisor (all integers).
  const belowThreshold = totalIncomeTiyn < thresholdTiyn * divisor;

  const children = input.members
    .filter((m) => m.relation === 'child')
    .map((m) => {
      const age = ageOn(m.birthDate, input.applicationDate);
      return { id: m.id, name: m.name, birthDate: m.birthDate, ageOnApplication: age, counted: age < rules.childAgeLimit };
    });
  const eligibleChildren = children.filter((c) => c.counted).length;

  const refusalReasons: RefusalReason[] = [];
  if (!belowThreshold) refusalReasons.push('income_not_below_threshold');
  if (eligibleChildren === 0) refusalReasons.push('no_child_under_18');
  const eligible = refusalReasons.length === 0;
  const appQuarter = quarterBounds(applicationQuarter);

  return {
    eligible,
    refusalReasons,
    monthlyAmountTiyn: eligible ? eligibleChildren * mrp.tenge * 100 : 0,
    // From the month of application to the end of that calendar quarter [assumed].
    period: eligible ? { from: `${input.applicationDate.slice(0, 7)}-01`, to: rules.assignmentPeriodEnd === 'end_of_application_quarter' ? appQuarter.to : endOfMonth(input.applicationDate) } : null,
    explanation: {
      rulesVersion: rules.version,
      applicationDate: formatDay(application),
      incomeQuarter,
      members,
      incomeLines,
      totalIncomeTiyn,
      divisor: { months: rules.incomeMonths, members: divisorMembers, value: divisor },
      perCapitaTiyn: Math.floor(totalIncomeTiyn / divisor),
      threshold,
      belowThreshold,
      mrp: { ...mrp, tiyn: mrp.tenge * 100 },
      children,
    },
  };
}
