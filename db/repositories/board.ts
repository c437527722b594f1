/**
 * The deadlines board's queries (one covering index scan for the counts, a page of the deadline rows along a
 * partial index ordered by due date): see electron/services/board.ts for what the board shows.
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

/**
 * A row of the board's counts, one per stage and responsible person: [stage, IIN, overdue, due today, due by the
 * next working day (overdue and today included), all open]. The states are differences of these sums.
 */
export type BoardCountRow = [stage: string | null, responsibleIin: string | null, overdue: number, dueToday: number, dueByNext: number, open: number];

/** A page row's columns, in BoardPageRow's order: all from the deadline row, which carries its case's (migration 22). */
const PAGE_COLUMNS = 'd.rowid, d.case_id, d.case_number, d.journal_number, d.applicant_name, d.applicant_iin, d.stage, d.deadline, d.started_on, d.due, d.responsible_iin';

/**
 * `side`: only the deadlines this side must meet (a Center's board), as the deadline rows and the kept counts
 * hold it (shared/domain/deadlines.ts DEADLINE_SIDE); null for every side (a district's).
 */
export function boardQueries(db: Db, side: 'center' | 'district' | null = null) {
  const sideSql = side ? ` AND d.side = '${side === 'center' ? 'center' : 'district'}'` : '';
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
     * Open deadlines counted in the scope of "my work", from the kept counts (migration 17), per stage and
     * responsible person together in one scan along their index (migration 22): the caller sums them per stage, per
     * person and for a stage and person filtered on. Three filtered sums and a total: the cheapest form SQLite
     * runs (a CASE per state cost a third more).
     */
    counts(mine: MineScope, params: { today: string; next: string; me: string }): BoardCountRow[] {
      return prepared(`
        SELECT nullif(d.stage, ''), nullif(d.responsible_iin, ''), coalesce(sum(d.n) FILTER (WHERE d.due < @today), 0),
          coalesce(sum(d.n) FILTER (WHERE d.due = @today), 0), coalesce(sum(d.n) FILTER (WHERE d.due <= @next), 0), sum(d.n)
        FROM board_open_counts d WHERE 1 ${scopeSql(mine)} GROUP BY d.stage, d.responsible_iin`)
        .raw()
        .all({ today: params.today, next: params.next, me: params.me }) as BoardCountRow[];
    },
    /**
     * One page of open deadlines by due date, read along the index from just after the last row shown (`after`: its
     * due day and row; none for the first page): no page costs more than the first.
     */
    page(f: BoardFilter, params: { today: string; next: string; me: string; limit: number; after: BoardCursor | null }): BoardPageRow[] {
      const filters: string[] = [];
      if (f.stage) filters.push(' AND d.stage = @stage');
      if (f.responsibleIin) filters.push(' AND d.responsible_iin = @responsible');
      if (f.state) filters.push(` AND ${STATE_SQL[f.state]}`);
      else if (f.nearOnly) filters.push(' AND d.due <= @next');
      if (params.after) filters.push(' AND (d.due, d.rowid) > (@afterDue, @afterRow)');
      const range = (columns: string, scope: string) => `SELECT ${columns} FROM case_deadlines d WHERE d.stopped_on IS NULL ${scope}${filters.join('')} ORDER BY d.due, d.rowid LIMIT @limit`;
      // Several stages ("my work" of the head): one range of the (stage, due) index per stage, merged by due day and
      // row, and only the page's rows read whole (merging whole rows cost a fifth more), rather than walking every
      // open deadline by due date and dropping the other stages' rows.
      const stages = f.mine?.kind === 'stages' && !f.stage ? f.mine.stages : null;
      const merged = stages?.map((st) => `SELECT * FROM (${range('d.rowid AS rid, d.due AS due', `${sideSql} AND d.stage = '${st.replace(/[^a-z_]/g, '')}'`)})`).join(' UNION ALL ');
      const sql = merged
        ? `SELECT ${PAGE_COLUMNS} FROM (SELECT rid FROM (${merged}) ORDER BY due, rid LIMIT @limit) page JOIN case_deadlines d ON d.rowid = page.rid ORDER BY d.due, d.rowid`
        : range(PAGE_COLUMNS, scopeSql(f.mine));
      return prepared(sql)
        .raw()
        .all({ today: params.today, next: params.next, me: params.me, limit: params.limit, afterDue: params.after?.due ?? null, afterRow: params.after?.row ?? null, stage: f.stage ?? null, responsible: f.responsibleIin ?? null }) as BoardPageRow[];
    },
    /** A signature by a responsible person, whose certificate names them (when they are not signed in here). */
    signatureOfResponsible(iin: string): Buffer | null {
      return (signatureOf.get(iin) as { signature: Buffer } | undefined)?.signature ?? null;
    },
  };
}
