import type { CalendarCorrection } from '../../shared/contract/types';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../connection';

export function listCorrections(db: Db): CalendarCorrection[] {
  return (
    db.prepare('SELECT date, working, reason, corrected_by_iin AS correctedByIin, corrected_at AS correctedAt FROM calendar_corrections ORDER BY date').all() as (Omit<CalendarCorrection, 'working'> & {
      working: number;
    })[]
  ).map((r) => ({ ...r, working: r.working === 1 }));
}

/** One correction per day: a later one replaces it, and says who made it and when. */
export function saveCorrection(db: Db, c: CalendarCorrection): void {
  db.prepare(
    `INSERT INTO calendar_corrections (date, working, reason, corrected_by_iin, corrected_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (date) DO UPDATE SET working = excluded.working, reason = excluded.reason,
       corrected_by_iin = excluded.corrected_by_iin, corrected_at = excluded.corrected_at`,
  ).run(c.date, c.working ? 1 : 0, c.reason, c.correctedByIin, c.correctedAt);
}

/** The corrections as the working-day calendar reads them. */
const correctionStatements = new WeakMap<Db, Statement<[]>>();
export function correctionDays(db: Db): { date: string; working: boolean; reason: string }[] {
  let statement = correctionStatements.get(db);
  // Read on every look at the board: prepared once per connection.
  if (!statement) correctionStatements.set(db, (statement = db.prepare<[]>('SELECT date, working, reason FROM calendar_corrections ORDER BY date')));
  return (statement.all() as { date: string; working: number; reason: string }[]).map((r) => ({ date: r.date, working: r.working === 1, reason: r.reason }));
}
