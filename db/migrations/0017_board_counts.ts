/**
 * The deadlines board's counts kept as they change: open deadlines counted per deadline, stage, responsible person
 * and due day, maintained by triggers on case_deadlines in the transaction that changes it (the commit path, the
 * rebuild), so the board reads a few hundred rows instead of grouping every open deadline on each look. A derived
 * table like the projections: a rebuild rewrites case_deadlines and the triggers follow. '' stands for "none" in
 * the key (a stage or a person not yet known), since NULLs would never match each other there.
 */
export const sql = /* sql */ `
CREATE TABLE board_open_counts (
  deadline        TEXT NOT NULL,
  stage           TEXT NOT NULL,
  responsible_iin TEXT NOT NULL,
  due             TEXT NOT NULL,
  n               INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (deadline, stage, responsible_iin, due)
) STRICT, WITHOUT ROWID;

INSERT INTO board_open_counts (deadline, stage, responsible_iin, due, n)
  SELECT deadline, coalesce(stage, ''), coalesce(responsible_iin, ''), due, count(*) FROM case_deadlines
  WHERE stopped_on IS NULL GROUP BY 1, 2, 3, 4;

CREATE TRIGGER board_open_counts_insert AFTER INSERT ON case_deadlines WHEN NEW.stopped_on IS NULL BEGIN
  INSERT INTO board_open_counts (deadline, stage, responsible_iin, due, n)
    VALUES (NEW.deadline, coalesce(NEW.stage, ''), coalesce(NEW.responsible_iin, ''), NEW.due, 1)
    ON CONFLICT (deadline, stage, responsible_iin, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER board_open_counts_delete AFTER DELETE ON case_deadlines WHEN OLD.stopped_on IS NULL BEGIN
  UPDATE board_open_counts SET n = n - 1
    WHERE deadline = OLD.deadline AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due;
  DELETE FROM board_open_counts
    WHERE deadline = OLD.deadline AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due AND n = 0;
END;

-- An update counts only when it opens, closes or moves a deadline between groups (an upsert rewriting the same
-- values changes nothing).
CREATE TRIGGER board_open_counts_update_old AFTER UPDATE ON case_deadlines
  WHEN OLD.stopped_on IS NULL AND (NEW.stopped_on IS NOT NULL OR (NEW.deadline IS NOT OLD.deadline OR NEW.stage IS NOT OLD.stage OR NEW.responsible_iin IS NOT OLD.responsible_iin OR NEW.due IS NOT OLD.due)) BEGIN
  UPDATE board_open_counts SET n = n - 1
    WHERE deadline = OLD.deadline AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due;
  DELETE FROM board_open_counts
    WHERE deadline = OLD.deadline AND stage = coalesce(OLD.stage, '') AND responsible_iin = coalesce(OLD.responsible_iin, '') AND due = OLD.due AND n = 0;
END;

CREATE TRIGGER board_open_counts_update_new AFTER UPDATE ON case_deadlines
  WHEN NEW.stopped_on IS NULL AND (OLD.stopped_on IS NOT NULL OR (NEW.deadline IS NOT OLD.deadline OR NEW.stage IS NOT OLD.stage OR NEW.responsible_iin IS NOT OLD.responsible_iin OR NEW.due IS NOT OLD.due)) BEGIN
  INSERT INTO board_open_counts (deadline, stage, responsible_iin, due, n)
    VALUES (NEW.deadline, coalesce(NEW.stage, ''), coalesce(NEW.responsible_iin, ''), NEW.due, 1)
    ON CONFLICT (deadline, stage, responsible_iin, due) DO UPDATE SET n = n + 1;
END;
`;
