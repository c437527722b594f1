/**
 * The deadlines board (issue 6; regulation.md "Deadlines (item 4 and item 11)"): every open deadline of every
 * open case with its stage, due date, state and legal source, counts per state, stage and responsible person,
 * and each role's "my work today".
 *
 * Fast at 100,000 open cases: "today" and "the next working day" are computed once, the states are ranges of
 * `due` (shared/domain/deadlines.ts deadlineState: overdue < today = due today < due tomorrow ≤ next working day
 * < on time), the page is read along a partial index ordered by `due` (skipping with OFFSET on the index alone,
 * joining only the rows shown), and the counts are one covering scan of
 * case_deadlines_open_counts (stage and responsible person are projected onto each open deadline, migration 0007).
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { BoardCounts, BoardList, BoardRow } from '../../shared/contract/types';
import { calendarChangedSince, DEADLINES, type DeadlineId, type DeadlineState } from '../../shared/domain/deadlines';
import type { Stage } from '../../shared/domain/workflow';
import type { Role } from '../../shared/roles';
import { officeDate } from '../../shared/local-date';
import type { ServicesContext, Session } from './context';
import { verifyDetached } from '../../node/pki/cms';
import { subjectAttribute } from '../../node/pki/verdict';

/** Each state as a range of `due`, given @today and @next (the next working day). */
const STATE_SQL: Record<DeadlineState, string> = {
  overdue: 'd.due < @today',
  due_today: 'd.due = @today',
  due_tomorrow: 'd.due > @today AND d.due <= @next',
  on_time: 'd.due > @next',
};

/**
 * Whose work a role's "my work today" is. The head signs the drafted decisions (item 11.1 stage 6); the
 * commission's secretary enters the conclusion (stage 4); everyone else works the cases they are responsible for
 * (the journal's responsible specialist, else who registered the case, else who took the application).
 */
function mineFilter(role: Role): { sql: string; byStage?: Stage } {
  // The head signs the decision (stage 6) and then the notification (stage 7).
  if (role === 'head') return { sql: "d.stage IN ('decision_drafted', 'decided')" };
  if (role === 'secretary') return { sql: 'd.stage = @mineStage', byStage: 'at_commission' };
  return { sql: 'd.responsible_iin = @me' };
}

const emptyCounts = (): BoardCounts => ({ overdue: 0, due_today: 0, due_tomorrow: 0, on_time: 0, total: 0 });

export function boardServices(ctx: ServicesContext) {
  /** People's names by IIN: the signed-in ones from their session, others from a certificate in their signed events. */
  const names = new Map<string, string | null>();
  const signatureOf = ctx.db.prepare(
    `SELECT e.signature FROM case_deadlines d JOIN case_events e ON e.case_id = d.case_id
     WHERE d.stopped_on IS NULL AND d.responsible_iin = ? AND e.actor_iin = d.responsible_iin AND e.signature IS NOT NULL LIMIT 1`,
  );
  const nameOf = (iin: string): string | null => {
    const signedIn = [...ctx.sessions.values()].find((s) => s.identity.iin === iin)?.identity;
    if (signedIn) return [signedIn.surname, signedIn.givenName, signedIn.patronymic].filter(Boolean).join(' ');
    if (!names.has(iin)) {
      const row = signatureOf.get(iin) as { signature: Buffer } | undefined;
      let subject = '';
      try {
        subject = row ? (verifyDetached(Buffer.alloc(0), row.signature).signerCertificate?.subject ?? '') : '';
      } catch {
        // An unreadable signature names nobody; Verify case reports it.
      }
      names.set(iin, [subjectAttribute(subject, 'CN'), subjectAttribute(subject, 'GN')].filter(Boolean).join(' ') || null);
    }
    return names.get(iin)!;
  };

  const countsSql = (scope: string) => `
    SELECT d.stage AS stage, d.responsible_iin AS iin, d.due AS due, count(*) AS n
    FROM case_deadlines d INDEXED BY case_deadlines_open_counts
    WHERE d.stopped_on IS NULL ${scope}
    GROUP BY d.stage, d.responsible_iin, d.due`;
  const pageSql = (filters: string) => `
    SELECT d.case_id AS caseId, c.case_number AS caseNumber, j.journal_number AS journalNumber,
      c.surname || ' ' || c.given_name || CASE WHEN c.patronymic = '' THEN '' ELSE ' ' || c.patronymic END AS applicantName,
      c.applicant_iin AS applicantIin, c.stage AS stage, d.deadline AS deadline, d.started_on AS startedOn, d.due AS due,
      d.responsible_iin AS responsibleIin
    FROM (SELECT d.rowid AS rid FROM case_deadlines d WHERE d.stopped_on IS NULL ${filters} ORDER BY d.due, d.rowid LIMIT @limit OFFSET @offset) page
    JOIN case_deadlines d ON d.rowid = page.rid JOIN cases c ON c.id = d.case_id LEFT JOIN journal j ON j.case_id = d.case_id
    ORDER BY d.due, d.rowid`;
  const statements = new Map<string, ReturnType<typeof ctx.db.prepare>>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = ctx.db.prepare(sql)));
    return s;
  };

  return {
    list(session: Session, input: ParsedInputOf<'board.list'>): BoardList {
      const calendar = ctx.calendar();
      const today = officeDate(ctx.now());
      // "Tomorrow" is the next working day: that is when the work can be done (deadlineState).
      const next = calendar.addWorkingDays(today, 1);
      const stateOf = (due: string): DeadlineState => (due < today ? 'overdue' : due === today ? 'due_today' : due <= next ? 'due_tomorrow' : 'on_time');
      const mine = input.mine ? mineFilter(session.identity.role) : null;
      const scope = mine ? ` AND ${mine.sql}` : '';
      const filters = [scope];
      if (input.stage) filters.push(' AND d.stage = @stage');
      if (input.responsibleIin) filters.push(' AND d.responsible_iin = @responsible');
      // "My work today" is what is overdue, due today or due tomorrow, unless a state is asked for.
      if (input.state) filters.push(` AND ${STATE_SQL[input.state]}`);
      else if (mine) filters.push(' AND d.due <= @next');
      const params = {
        today,
        next,
        me: session.identity.iin,
        mineStage: mine?.byStage ?? null,
        stage: input.stage ?? null,
        responsible: input.responsibleIin ?? null,
        limit: input.limit,
        offset: input.offset,
      };

      // Counted per stage, person and due date (a few hundred groups, cheaper than per-state sums in SQL).
      const groups = prepared(countsSql(scope)).all(params) as { stage: Stage; iin: string | null; due: string; n: number }[];
      const byState = emptyCounts();
      const byStage = new Map<Stage, BoardCounts>();
      const byPerson = new Map<string | null, BoardCounts>();
      let total = 0;
      for (const g of groups) {
        const state = stateOf(g.due);
        for (const target of [byState, byStage.get(g.stage) ?? byStage.set(g.stage, emptyCounts()).get(g.stage)!, byPerson.get(g.iin) ?? byPerson.set(g.iin, emptyCounts()).get(g.iin)!]) {
          target[state] += g.n;
          target.total += g.n;
        }
        // The filtered total comes from the same groups: no second count over the board.
        if ((input.stage && g.stage !== input.stage) || (input.responsibleIin && g.iin !== input.responsibleIin)) continue;
        if (input.state ? state === input.state : !mine || state !== 'on_time') total += g.n;
      }

      const rows = (prepared(pageSql(filters.join(''))).all(params) as Omit<BoardRow, 'state' | 'source' | 'calendarChanged'>[]).map(
        (r): BoardRow => ({
          ...r,
          state: stateOf(r.due),
          source: DEADLINES[r.deadline as DeadlineId].source,
          // Recounted for the rows of this page only (a search per row): the board stays fast at 100,000 deadlines.
          calendarChanged: calendarChangedSince({ id: r.deadline as DeadlineId, startedOn: r.startedOn, due: r.due }, calendar),
        }),
      );
      return {
        today,
        nextWorkingDay: next,
        rows,
        total,
        byState,
        byStage: [...byStage].map(([stage, counts]) => ({ stage, counts })).sort((a, b) => b.counts.total - a.counts.total),
        byPerson: [...byPerson].map(([iin, counts]) => ({ iin, name: iin ? nameOf(iin) : null, counts })).sort((a, b) => b.counts.total - a.counts.total),
      };
    },
  };
}
