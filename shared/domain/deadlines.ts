/**
 * Every deadline in the regulation's table (regulation.md, "Deadlines (item 4 and item 11)"), with its legal
 * source so the UI can cite it. Counted in working days unless the unit says otherwise; the day the count starts
 * from is not counted.
 */
import type { WorkCalendar } from './calendar';
import { parseDay, type DayNumber } from './dates';
import { DomainError } from './errors';

export type DeadlineId =
  | 'service_total'
  | 'center_queue'
  | 'originals_and_consent'
  | 'send_to_commission'
  | 'commission_conclusion'
  | 'decision'
  | 'notification'
  | 'center_send_request'
  | 'district_check_center_package'
  | 'center_correct_and_resend'
  | 'center_refusal_return';

export interface DeadlineRule {
  limit: number;
  unit: 'working_days' | 'minutes';
  countedFrom: { kk: string; ru: string; en: string };
  /**
   * Where the seed regulation (Almaty akimat resolution No. 4/889 of 18 Oct 2013) says it: item, sub-item or
   * paragraph (азат жол), and for item 11 the stage in the order regulation.md numbers them.
   */
  source: { item: string; subItem?: string; paragraph?: number; stage?: number };
}

export const DEADLINES: Readonly<Record<DeadlineId, DeadlineRule>> = {
  service_total: { limit: 7, unit: 'working_days', countedFrom: { kk: 'толық өтінішті тіркеген күннен', ru: 'с регистрации полного заявления', en: 'registration of the complete application' }, source: { item: '4', subItem: '1)' } },
  center_queue: { limit: 30, unit: 'minutes', countedFrom: { kk: 'келген сәттен', ru: 'с момента прихода', en: 'arrival' }, source: { item: '4', subItem: '2)' } },
  originals_and_consent: { limit: 3, unit: 'working_days', countedFrom: { kk: 'хабарламадан', ru: 'с уведомления', en: 'the notice' }, source: { item: '11', subItem: '1)', stage: 2 } },
  send_to_commission: { limit: 2, unit: 'working_days', countedFrom: { kk: 'тіркеуден', ru: 'с регистрации', en: 'registration' }, source: { item: '11', subItem: '1)', stage: 4 } },
  commission_conclusion: { limit: 3, unit: 'working_days', countedFrom: { kk: 'құжаттарды алғаннан', ru: 'с получения документов', en: 'receipt of the documents' }, source: { item: '11', subItem: '1)', stage: 4 } },
  decision: { limit: 7, unit: 'working_days', countedFrom: { kk: 'құжаттарды тіркеуден', ru: 'с регистрации документов', en: 'registration of the documents' }, source: { item: '11', subItem: '1)', stage: 6 } },
  notification: { limit: 5, unit: 'working_days', countedFrom: { kk: 'шешімнен', ru: 'с решения', en: 'the decision' }, source: { item: '11', subItem: '1)', stage: 7 } },
  center_send_request: { limit: 3, unit: 'working_days', countedFrom: { kk: 'Орталықта қабылдағаннан', ru: 'с приёма в ЦОН', en: 'acceptance at the Center' }, source: { item: '11', subItem: '2)', stage: 2 } },
  district_check_center_package: { limit: 2, unit: 'working_days', countedFrom: { kk: 'электрондық өтінімді алғаннан', ru: 'с получения электронного запроса', en: 'receipt of the electronic request' }, source: { item: '10', paragraph: 10 } },
  center_correct_and_resend: { limit: 3, unit: 'working_days', countedFrom: { kk: 'хабарламаны алғаннан', ru: 'с получения уведомления', en: 'receipt of the notice' }, source: { item: '11', subItem: '2)', stage: 3 } },
  center_refusal_return: { limit: 7, unit: 'working_days', countedFrom: { kk: 'толық топтаманы алғаннан', ru: 'с получения полного пакета', en: 'receipt of the full package' }, source: { item: '10', paragraph: 9 } },
};

/**
 * Who must act to meet each deadline (every deadline of item 11.2 is on the board of the side that must
 * act). The Center sends and corrects its request (item 11 sub-item 2), stages 2 and 3) and serves its queue (item 4
 * sub-item 2)); everything else is the district department's, the refused package's return to the Center included
 * (item 10 paragraph 9).
 */
export const DEADLINE_SIDE: Readonly<Record<DeadlineId, 'center' | 'district'>> = {
  service_total: 'district',
  center_queue: 'center',
  originals_and_consent: 'district',
  send_to_commission: 'district',
  commission_conclusion: 'district',
  decision: 'district',
  notification: 'district',
  center_send_request: 'center',
  district_check_center_package: 'district',
  center_correct_and_resend: 'center',
  center_refusal_return: 'district',
};

export function deadlinesOfSide(side: 'center' | 'district'): DeadlineId[] {
  return (Object.keys(DEADLINE_SIDE) as DeadlineId[]).filter((id) => DEADLINE_SIDE[id] === side);
}

/**
 * The regulation's item, sub-item or paragraph, as the act itself is cited (glossary.md): "Регламенттің
 * 11-тармағының 1) тармақшасы" / "подпункт 1) пункта 11 Регламента" / "Regulation, item 11, sub-item 1)". The act
 * numbers no stages, so none is cited (the stage is regulation.md's reading order, kept in the data only).
 */
export function citeDeadline(id: DeadlineId, lang: 'kk' | 'ru' | 'en'): string {
  const { item, subItem, paragraph } = DEADLINES[id].source;
  if (lang === 'kk') {
    if (subItem) return `Регламенттің ${item}-тармағының ${subItem} тармақшасы`;
    if (paragraph) return `Регламенттің ${item}-тармағының ${paragraph}-азат жолы`;
    return `Регламенттің ${item}-тармағы`;
  }
  if (lang === 'ru') {
    if (subItem) return `подпункт ${subItem} пункта ${item} Регламента`;
    if (paragraph) return `абзац ${paragraph} пункта ${item} Регламента`;
    return `пункт ${item} Регламента`;
  }
  return `Regulation, item ${item}${subItem ? `, sub-item ${subItem}` : ''}${paragraph ? `, paragraph ${paragraph}` : ''}`;
}

export function dueDate(id: DeadlineId, startedOn: string, calendar: WorkCalendar): string {
  const rule = DEADLINES[id];
  if (rule.unit !== 'working_days') throw new DomainError('deadline.not_in_days', 'id', { id });
  return calendar.addWorkingDays(startedOn, rule.limit);
}

/**
 * Whether the calendar changed inside an open deadline's span since its due date was stored: true when the due
 * date counted now, on `calendar` (the reference data plus the administrator's corrections), differs from the
 * stored one. That is "a day between the start and the due date changed status" (a decree entered later, a
 * correction), unless two changes cancel out. The stored due date itself is never rewritten. A deadline that can
 * no longer be counted (its years left the calendar) is flagged too: a person has to look at it.
 */
export function calendarChangedSince(deadline: { id: DeadlineId; startedOn: string; due: string }, calendar: WorkCalendar): boolean {
  if (DEADLINES[deadline.id]?.unit !== 'working_days') return false;
  try {
    return dueDate(deadline.id, deadline.startedOn, calendar) !== deadline.due;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'calendar.year_missing') return true;
    throw e;
  }
}

/**
 * Whether a corrected day (a transfer decree, a day made working) falls within a deadline's span, after its start and
 * up to its due date: the stored due date is not changed, the board flags it so that a person decides.
 */
export function spanHoldsCorrection(deadline: { startedOn: string; due: string }, correctedDays: readonly string[]): boolean {
  return correctedDays.some((d) => d > deadline.startedOn && d <= deadline.due);
}

export type DeadlineState = 'overdue' | 'due_today' | 'due_tomorrow' | 'on_time';

/** How a deadline stands on `today`. "Tomorrow" is the next working day: that is when the work can be done. */
export function deadlineState(due: string, today: string, calendar: WorkCalendar): DeadlineState {
  parseDay(due, 'due');
  parseDay(today, 'today');
  if (today > due) return 'overdue';
  if (today === due) return 'due_today';
  return calendar.addWorkingDays(today, 1) >= due ? 'due_tomorrow' : 'on_time';
}

export interface CaseDeadlineInput {
  caseId: string;
  deadlines: { id: DeadlineId; startedOn: string }[];
}

/**
 * The current deadlines of many cases at once (the deadlines board): each due date and its state on `today`.
 * "Today" and "the next working day" are computed once for the whole batch.
 */
export function currentDeadlines(cases: readonly CaseDeadlineInput[], today: string, calendar: WorkCalendar) {
  const todayDay = parseDay(today, 'today');
  const nextWorkingDay = calendar.addWorkingDaysToDay(todayDay, 1);
  const stateOf = (due: DayNumber): DeadlineState =>
    todayDay > due ? 'overdue' : todayDay === due ? 'due_today' : nextWorkingDay >= due ? 'due_tomorrow' : 'on_time';
  return cases.map((c) => ({
    caseId: c.caseId,
    deadlines: c.deadlines.map((d) => {
      if (DEADLINES[d.id]?.unit !== 'working_days') throw new DomainError('deadline.not_in_days', 'id', { id: String(d.id) });
      const due = calendar.addWorkingDaysToDay(parseDay(d.startedOn, 'startedOn'), DEADLINES[d.id].limit);
      return { id: d.id, due, state: stateOf(due) };
    }),
  }));
}
