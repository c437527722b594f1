/**
 * The deadlines board's queries (one covering index scan for the counts, a page along a partial index ordered by
 * due date): see electron/services/board.ts for what the board shows.
 */
import type { DeadlineId, DeadlineState } from '../../shared/domain/deadlines';
import type { Stage } from '../../shared/domain/workflow';
import type { Db } from '../connection';

/** Each state as a range of `due`, given @today and @next (the next working day). */
const STATE_SQL: Record<DeadlineState, string> = {
  overdue: 'd.due < @today',
  due_today: 'd.due = @today',
  due_tomorrow: 'd.due > @today AND d.due <= @next',
  on_time: 'd.due > @next',
};

/** Whose work "my work today" is: the drafts and notifications to sign, the cases at the commission, or a person's. */
export type MineScope = { kind: 'stages'; stages: readonly Stage[] } | { kind: 'person'; iin: string } | null;

export interface BoardFilter {
  mine: MineScope;
  stage?: string;
  responsibleIin?: string;
  state?: DeadlineState;
  /** Only what is overdue, due today or due tomorrow ("my work today" without a state). */
  nearOnly?: boolean;
}

/** Where a page ends: the due day and row of its last deadline (the next page starts just after it). */
export interface BoardCursor {
  due: string;
  row: number;
}

/** A row of a page, as an array (the caller builds the screen's row from it; an object per row first cost a third more). */
export type BoardPageRow = [
  row: number,
  caseId: string,
  caseNumber: string,
  journalNumber: string | null,
  applicantName: string,
  applicantIin: string,
  stage: Stage,
  deadline: DeadlineId,
  startedOn: string,
  due: string,
  responsibleIin: string | null,
];

/** A row of the board's counts: [part (0: per stage, 1: per person, 2: the stage and person filtered on), stage or IIN, overdue, due today, due tomorrow, on time]. */
export type BoardCountRow = [0 | 1 | 2, string | null, number, number, number, number];

/** The four states' sums of open deadlines, in STATE_SQL's ranges (a part with no rows sums to null). */
const BY_STATE = (['overdue', 'due_today', 'due_tomorrow', 'on_time'] as const).map((st) => `coalesce(sum(CASE WHEN ${STATE_SQL[st]} THEN d.n END), 0)`).join(', ');

/** `side`: only the deadlines this side must meet (shared/domain/deadlines.ts DEADLINE_SIDE; a Center's board, a district's). */
export function boardQueries(db: Db, side: readonly DeadlineId[] | null = null) {
  const sideSql = side ? ` AND d.deadline IN (${side.map((id) => `'${id.replace(/[^a-z_]/g, '')}'`).join(', ')})` : '';
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const scopeSql = (mine: MineScope) => sideSql + (!mine ? '' : mine.kind === 'person' ? ' AND d.responsible_iin = @me' : ` AND d.stage IN (${mine.stages.map((s) => `'${s.replace(/[^a-z_]/g, '')}'`).join(', ')})`);
  const signatureOf = db.prepare(
    `SELECT e.signature FROM case_deadlines d JOIN case_events e ON e.case_id = d.case_id
     WHERE d.stopped_on IS NULL AND d.responsible_iin = ? AND e.actor_iin = d.responsible_iin AND e.signature IS NOT NULL LIMIT 1`,
  );
  return {
    /**
     * Open deadlines counted in the scope of "my work", from the kept counts (migration 17): per stage and per
     * responsible person (and, when the list is filtered on both, for that stage and person); each row's four sums
     * are the states of its due days against @today and @next. Each part streams along an index (migration 21).
     */
    counts(mine: MineScope, params: { today: string; next: string; me: string }, filter: { stage?: string; responsibleIin?: string }): BoardCountRow[] {
      const scope = scopeSql(mine);
      const both = Boolean(filter.stage && filter.responsibleIin);
      return prepared(`
        SELECT 0, nullif(d.stage, ''), ${BY_STATE} FROM board_open_counts d WHERE 1 ${scope} GROUP BY d.stage
        UNION ALL SELECT 1, nullif(d.responsible_iin, ''), ${BY_STATE} FROM board_open_counts d WHERE 1 ${scope} GROUP BY d.responsible_iin
        ${both ? `UNION ALL SELECT 2, NULL, ${BY_STATE} FROM board_open_counts d WHERE 1 ${scope} AND d.stage = @stage AND d.responsible_iin = @responsible` : ''}`)
        .raw()
        .all({ today: params.today, next: params.next, me: params.me, ...(both ? { stage: filter.stage, responsible: filter.responsibleIin } : {}) }) as BoardCountRow[];
    },
    /**
     * One page of open deadlines by due date, read along the index from just after the last row shown (`after`: its
     * due day and row; none for the first page), joining only the rows shown: no page costs more than the first.
     */
    page(f: BoardFilter, params: { today: string; next: string; me: string; limit: number; after: BoardCursor | null }): BoardPageRow[] {
      const filters: string[] = [];
      if (f.stage) filters.push(' AND d.stage = @stage');
      if (f.responsibleIin) filters.push(' AND d.responsible_iin = @responsible');
      if (f.state) filters.push(` AND ${STATE_SQL[f.state]}`);
      else if (f.nearOnly) filters.push(' AND d.due <= @next');
      if (params.after) filters.push(' AND (d.due, d.rowid) > (@afterDue, @afterRow)');
      const range = (scope: string) => `SELECT d.rowid AS rid, d.due AS due FROM case_deadlines d WHERE d.stopped_on IS NULL ${scope}${filters.join('')} ORDER BY d.due, d.rowid LIMIT @limit`;
      // Several stages ("my work" of the head): one range of the (stage, due) index per stage, merged, rather than
      // walking every open deadline by due date and dropping the other stages' rows.
      const stages = f.mine?.kind === 'stages' && !f.stage ? f.mine.stages : null;
      const ids = stages
        ? `SELECT rid FROM (${stages.map((st) => `SELECT * FROM (${range(`${sideSql} AND d.stage = '${st.replace(/[^a-z_]/g, '')}'`)})`).join(' UNION ALL ')}) ORDER BY due, rid LIMIT @limit`
        : range(scopeSql(f.mine));
      return prepared(`
        SELECT d.rowid AS row, d.case_id AS caseId, c.case_number AS caseNumber, j.journal_number AS journalNumber,
          c.surname || ' ' || c.given_name || CASE WHEN c.patronymic = '' THEN '' ELSE ' ' || c.patronymic END AS applicantName,
          c.applicant_iin AS applicantIin, c.stage AS stage, d.deadline AS deadline, d.started_on AS startedOn, d.due AS due,
          d.responsible_iin AS responsibleIin
        FROM (${ids}) page
        JOIN case_deadlines d ON d.rowid = page.rid JOIN cases c ON c.id = d.case_id LEFT JOIN journal j ON j.case_id = d.case_id
        ORDER BY d.due, d.rowid`)
        .raw()
        .all({ today: params.today, next: params.next, me: params.me, limit: params.limit, afterDue: params.after?.due ?? null, afterRow: params.after?.row ?? null, stage: f.stage ?? null, responsible: f.responsibleIin ?? null }) as BoardPageRow[];
    },
    /** A signature by a responsible person, whose certificate names them (when they are not signed in here). */
    signatureOfResponsible(iin: string): Buffer | null {
      return (signatureOf.get(iin) as { signature: Buffer } | undefined)?.signature ?? null;
    },
  };
}
