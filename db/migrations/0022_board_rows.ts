/**
 * The deadlines board reads a page from its own rows: each deadline row carries what the board shows of its case
 * (the case's number, the journal's number, the applicant's name and IIN) and whose deadline it is (the district's
 * or the Center's, item 11.2), written with the case's projection, so a page is one index range of one table
 * instead of three lookups per row.
 *
 * The kept counts (migration 17) are keyed by that side instead of the deadline: a Center's board counts only its
 * side, a district's every side, and no board counts per kind of deadline, so the key holds a third fewer rows
 * and they are summed per stage and person together in one scan along one index. The sides of the rows already
 * held, and the counts, are filled after the SQL (db/migrations/index.ts).
 */
import { DEADLINE_SIDE } from '../../shared/domain/deadlines';
import type { Db } from '../connection';

export const sql = /* sql */ `
ALTER TABLE case_deadlines ADD COLUMN case_number TEXT;
ALTER TABLE case_deadlines ADD COLUMN journal_number TEXT;
ALTER TABLE case_deadlines ADD COLUMN applicant_name TEXT;
ALTER TABLE case_deadlines ADD COLUMN applicant_iin TEXT;
ALTER TABLE case_deadlines ADD COLUMN side TEXT CHECK (side IN ('district', 'center'));
UPDATE case_deadlines SET
  case_number = c.case_number,
  journal_number = (SELECT j.journal_number FROM journal j WHERE j.case_id = case_deadlines.case_id),
  applicant_name = c.surname || ' ' || c.given_name || CASE WHEN c.patronymic = '' THEN '' ELSE ' ' || c.patronymic END,
  applicant_iin = c.applicant_iin
FROM cases c WHERE c.id = case_deadlines.case_id;

DROP TRIGGER board_open_counts_insert;
DROP TRIGGER board_open_counts_delete;
DROP TRIGGER board_open_counts_update_old;
DROP TRIGGER board_open_counts_update_new;
DROP TABLE board_open_counts;

CREATE TABLE board_open_counts (
  side            TEXT NOT NULL,
  stage           TEXT NOT NULL,
  responsible_iin TEXT NOT NULL,
  due             TEXT NOT NULL,
  n               INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (stage, responsible_iin, due, side)
) STRICT, WITHOUT ROWID;
CREATE INDEX board_open_counts_by_person ON board_open_counts (responsible_iin, due, n);

CREATE TRIGGER board_open_counts_insert AFTER INSERT ON case_deadlines WHEN NEW.stopped_on IS NULL BEGIN
  INSERT INTO board_open_counts (side, stage, responsible_iin, due, n)
    VALUES (coalesce(NEW.side, ''), coalesce(NEW.stage, ''), coalesce(NEW.responsible_iin, ''), NEW.due, 1)
    ON CONFLICT (stage, responsible_iin, due, side) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER board_open_counts_delete AFTER DELETE ON case_deadlines WHEN OLD.stopped_on IS NULL BEGIN
  UPDATE board_open_counts SET n = n - 1
    WHERE side = coalesce(OLD.side, '') AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due;
  DELETE FROM board_open_counts
    WHERE side = coalesce(OLD.side, '') AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due AND n = 0;
END;

-- An update counts only when it opens, closes or moves a deadline between groups (an upsert rewriting the same
-- values changes nothing).
CREATE TRIGGER board_open_counts_update_old AFTER UPDATE ON case_deadlines
  WHEN OLD.stopped_on IS NULL AND (NEW.stopped_on IS NOT NULL OR (NEW.side IS NOT OLD.side OR NEW.stage IS NOT OLD.stage OR NEW.responsible_iin IS NOT OLD.responsible_iin OR NEW.due IS NOT OLD.due)) BEGIN
  UPDATE board_open_counts SET n = n - 1
    WHERE side = coalesce(OLD.side, '') AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due;
  DELETE FROM board_open_counts
    WHERE side = coalesce(OLD.side, '') AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due AND n = 0;
END;

CREATE TRIGGER board_open_counts_update_new AFTER UPDATE ON case_deadlines
  WHEN NEW.stopped_on IS NULL AND (OLD.stopped_on IS NOT NULL OR (NEW.side IS NOT OLD.side OR NEW.stage IS NOT OLD.stage OR NEW.responsible_iin IS NOT OLD.responsible_iin OR NEW.due IS NOT OLD.due)) BEGIN
  INSERT INTO board_open_counts (side, stage, responsible_iin, due, n)
    VALUES (coalesce(NEW.side, ''), coalesce(NEW.stage, ''), coalesce(NEW.responsible_iin, ''), NEW.due, 1)
    ON CONFLICT (stage, responsible_iin, due, side) DO UPDATE SET n = n + 1;
END;
`;

/**
 * Each deadline row's side, from the deadlines' data (shared/domain/deadlines.ts DEADLINE_SIDE, as the projection
 * writes it), then the kept counts from the open rows.
 */
export function after(db: Db): void {
  const setSide = db.prepare('UPDATE case_deadlines SET side = ? WHERE deadline = ?');
  for (const [deadline, side] of Object.entries(DEADLINE_SIDE)) setSide.run(side, deadline);
  db.exec(`DELETE FROM board_open_counts;
    INSERT INTO board_open_counts (side, stage, responsible_iin, due, n)
      SELECT coalesce(side, ''), coalesce(stage, ''), coalesce(responsible_iin, ''), due, count(*) FROM case_deadlines
      WHERE stopped_on IS NULL GROUP BY 1, 2, 3, 4;`);
}
