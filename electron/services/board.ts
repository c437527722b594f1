/**
 * The deadlines board (regulation.md "Deadlines (item 4 and item 11)"): every open deadline of every
 * open case with its stage, due date, state and legal source, counts per state, stage and responsible person,
 * and each role's "my work today".
 *
 * Fast at 100,000 open cases: "today" and "the next working day" are computed once, the states are ranges of
 * `due` (shared/domain/deadlines.ts deadlineState: overdue < today = due today < due tomorrow ≤ next working day
 * < on time), the page is read along a partial index ordered by `due` from just after the last row shown (a
 * keyset: page 500 costs what the first does), joining only the rows shown, and the counts are read from
 * board_open_counts, kept by triggers as the deadlines change (migration 0017).
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { BoardCounts, BoardList, BoardRow, BoardTotals } from '../../shared/contract/types';
import { calendarChangedSince, DEADLINES, spanHoldsCorrection, type DeadlineState } from '../../shared/domain/deadlines';
import { readWorkstation } from '../../db/repositories/settings';
import { correctionDays } from '../../db/repositories/calendar';
import { seedCalendarYears, WorkCalendar } from '../../shared/domain/calendar';
import type { Stage } from '../../shared/domain/workflow';
import type { Role } from '../../shared/roles';
import { officeDate } from '../../shared/local-date';
import type { ServicesContext, Session } from './context';
import { boardQueries, type BoardCountRow, type BoardCursor, type MineScope } from '../../db/repositories/board';
import { decodePageCursor, encodePageCursor } from '../../db/page-cursor';
import { verifyDetached } from '../../node/pki/cms';
import { subjectAttribute } from '../../node/pki/verdict';

/**
 * Whose work a role's "my work today" is. The head signs the drafted decisions (item 11.1 stage 6) and then the
 * notifications (stage 7); the commission's secretary enters the conclusion (stage 4); everyone else works the
 * cases they are responsible for (the journal's responsible specialist, else who registered the case, else who
 * took the application).
 */
function mineScope(role: Role, iin: string): MineScope {
  if (role === 'head') return { kind: 'stages', stages: ['decision_drafted', 'decided'] };
  if (role === 'secretary') return { kind: 'stages', stages: ['at_commission'] };
  return { kind: 'person', iin };
}

/** Where a page ended, as board.list gives it in `next` and takes it back in `after` (opaque to the screens). */
const cursorText = (c: BoardCursor) => encodePageCursor(c);
const cursorOf = (after: string | undefined) =>
  decodePageCursor<BoardCursor>(after, (c) => (typeof c.due === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.due) && Number.isSafeInteger(c.row) ? { due: c.due, row: c.row as number } : null));

const emptyCounts = (): BoardCounts => ({ overdue: 0, due_today: 0, due_tomorrow: 0, on_time: 0, total: 0 });
/** The states in the order the counts' query numbers them. */
const STATES: readonly DeadlineState[] = ['overdue', 'due_today', 'due_tomorrow', 'on_time'];

/**
 * The board's counts from the kept counts' rows (one per stage and person, with sums by due day): per state, stage
 * and person, and the list's total (the stage's, the person's, both's, or the board's; "my work" leaves out what
 * is on time unless a state is asked for).
 */
function countsOf(rows: BoardCountRow[], input: ParsedInputOf<'board.list'>, mine: boolean, nameOf: (iin: string) => string | null): BoardTotals {
  const byState = emptyCounts();
  const byStage = new Map<Stage, BoardCounts>();
  const byPerson = new Map<string | null, BoardCounts>();
  const filtered = emptyCounts();
  const add = (target: BoardCounts, states: readonly number[]) => {
    for (let i = 0; i < 4; i++) target[STATES[i]!] += states[i]!;
    target.total += states[4]!;
  };
  for (const [stage, person, overdue, dueToday, byNext, open] of rows) {
    const states = [overdue, dueToday, byNext - overdue - dueToday, open - byNext, open];
    add(byState, states);
    add(byStage.get(stage as Stage) ?? byStage.set(stage as Stage, emptyCounts()).get(stage as Stage)!, states);
    add(byPerson.get(person) ?? byPerson.set(person, emptyCounts()).get(person)!, states);
    if (stage === input.stage && person === input.responsibleIin) add(filtered, states);
  }
  const listed = input.stage && input.responsibleIin ? filtered : input.stage ? byStage.get(input.stage as Stage) : input.responsibleIin ? byPerson.get(input.responsibleIin) : byState;
  let total = 0;
  for (const state of STATES) if (input.state ? state === input.state : !mine || state !== 'on_time') total += listed?.[state] ?? 0;
  return {
    total,
    byState,
    byStage: [...byStage].map(([stage, counts]) => ({ stage, counts })).sort((a, b) => b.counts.total - a.counts.total),
    byPerson: [...byPerson].map(([iin, counts]) => ({ iin, name: iin ? nameOf(iin) : null, counts })).sort((a, b) => b.counts.total - a.counts.total),
  };
}

export function boardServices(ctx: ServicesContext) {
  /** People's names by IIN: the signed-in ones from their session, others from a certificate in their signed events. */
  const names = new Map<string, string | null>();
  // The seed's calendar is data shipped with the app: built once (about a millisecond), not on every look.
  let seedCalendar: WorkCalendar | null = null;
  // A Center's workstation shows only what the Center must meet (item 11.2); a district's shows all its
  // partition's deadlines, since the Center's staff may also work at the district's own counter.
  const all = boardQueries(ctx.db);
  let centerSide: ReturnType<typeof boardQueries> | null = null;
  const queriesNow = () => (readWorkstation(ctx.db)?.serves ? (centerSide ??= boardQueries(ctx.db, 'center')) : all);
  const nameOf = (iin: string): string | null => {
    const signedIn = [...ctx.sessions.values()].find((s) => s.identity.iin === iin)?.identity;
    if (signedIn) return [signedIn.surname, signedIn.givenName, signedIn.patronymic].filter(Boolean).join(' ');
    if (!names.has(iin)) {
      const signature = all.signatureOfResponsible(iin);
      let subject = '';
      try {
        subject = signature ? (verifyDetached(Buffer.alloc(0), signature).signerCertificate?.subject ?? '') : '';
      } catch {
        // An unreadable signature names nobody; Verify case reports it.
      }
      names.set(iin, [subjectAttribute(subject, 'CN'), subjectAttribute(subject, 'GN')].filter(Boolean).join(' ') || null);
    }
    return names.get(iin)!;
  };

  return {
    list(session: Session, input: ParsedInputOf<'board.list'>): BoardList {
      const queries = queriesNow();
      const calendar = ctx.calendar();
      const today = officeDate(ctx.now());
      // "Tomorrow" is the next working day: that is when the work can be done (deadlineState).
      const next = calendar.addWorkingDays(today, 1);
      const stateOf = (due: string): DeadlineState => STATES[due < today ? 0 : due === today ? 1 : due <= next ? 2 : 3]!;
      const mine = input.mine ? mineScope(session.identity.role, session.identity.iin) : null;
      const params = { today, next, me: session.identity.iin, limit: input.limit, after: cursorOf(input.after) };

      const counts = params.after ? null : countsOf(queries.counts(mine, params), input, mine !== null, nameOf);
      // "My work today" is what is overdue, due today or due tomorrow, unless a state is asked for.
      const filter = { mine, stage: input.stage, responsibleIin: input.responsibleIin, state: input.state, nearOnly: mine !== null };
      // The days a correction made other than the seed's calendar has them (a correction undone no longer counts).
      const seed = (seedCalendar ??= new WorkCalendar(seedCalendarYears()));
      const corrected = correctionDays(ctx.db)
        .filter((c) => {
          try {
            return seed.isWorkingDay(c.date) !== c.working;
          } catch {
            return true;
          }
        })
        .map((c) => c.date);
      const page = queries.page(filter, params);
      const last = page.at(-1);
      // Rows of one kind of deadline started on one day share their recount (a page holds a few such pairs).
      const recounted = new Map<string, boolean>();
      const calendarChanged = (deadline: BoardRow['deadline'], startedOn: string, due: string) => {
        const key = `${deadline}|${startedOn}|${due}`;
        let changed = recounted.get(key);
        if (changed === undefined) {
          changed = calendarChangedSince({ id: deadline, startedOn, due }, calendar) || (DEADLINES[deadline].unit === 'working_days' && spanHoldsCorrection({ startedOn, due }, corrected));
          recounted.set(key, changed);
        }
        return changed;
      };
      const rows = page.map(([, caseId, caseNumber, journalNumber, applicantName, applicantIin, stage, deadline, startedOn, due, responsibleIin]): BoardRow => ({
        caseId,
        caseNumber,
        journalNumber,
        applicantName,
        applicantIin,
        stage,
        deadline,
        startedOn,
        due,
        state: stateOf(due),
        source: DEADLINES[deadline].source,
        responsibleIin,
        // Recounted for the rows of this page only (a search per row): the board stays fast at 100,000 deadlines.
        calendarChanged: calendarChanged(deadline, startedOn, due),
      }));
      return {
        today,
        nextWorkingDay: next,
        rows,
        // A full page may have more after it: the next one starts after its last row.
        next: last && page.length === input.limit ? cursorText({ due: last[9], row: last[0] }) : null,
        counts,
      };
    },
  };
}
