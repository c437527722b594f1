/**
 * From the commission to the notification (regulation item 11.1 stages 4–7). The journal (Appendix 21) gains the
 * columns its printed form has after registration: per-capita income, the decision with its date and number, the
 * monthly amount, the period and the notification date. They are a projection of the signed events
 * (decision.signed, notification.delivered) written in the same transaction. The responsible specialist is the
 * one who registered the case, until the case names another.
 */
export const sql = /* sql */ `
ALTER TABLE journal ADD COLUMN per_capita_tiyn INTEGER;
ALTER TABLE journal ADD COLUMN decision TEXT CHECK (decision IN ('assign', 'refuse'));
ALTER TABLE journal ADD COLUMN decision_number TEXT;
ALTER TABLE journal ADD COLUMN decided_on TEXT;
ALTER TABLE journal ADD COLUMN monthly_amount_tiyn INTEGER;
ALTER TABLE journal ADD COLUMN period_from TEXT;
ALTER TABLE journal ADD COLUMN period_to TEXT;
ALTER TABLE journal ADD COLUMN notified_on TEXT;
ALTER TABLE journal ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN responsible_iin TEXT;
UPDATE journal SET responsible_iin = registered_by_iin;
CREATE INDEX journal_by_responsible ON journal (responsible_iin);

-- The food-basket threshold per region and quarter, as the administrator enters it (benefit.md §2: an editable
-- table; the seed in shared/domain/data/food-basket-kz.json stops at 2017). A row here wins over the seed.
CREATE TABLE benefit_thresholds (
  region          TEXT NOT NULL,
  year            INTEGER NOT NULL,
  quarter         INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  tiyn            INTEGER NOT NULL CHECK (tiyn > 0),
  mark            TEXT NOT NULL CHECK (mark IN ('sourced', 'assumed')),
  derivation      TEXT NOT NULL,
  entered_by_iin  TEXT NOT NULL,
  entered_at      TEXT NOT NULL,
  PRIMARY KEY (region, year, quarter)
) STRICT;

-- The precinct commissions of the office (reference data, editable by the administrator): item 11.1 stage 4.
CREATE TABLE precincts (
  code        TEXT PRIMARY KEY,
  office_code TEXT NOT NULL,
  name_kk     TEXT NOT NULL,
  name_ru     TEXT NOT NULL,
  -- JSON: [{name, role: 'chair' | 'member' | 'secretary'}]
  members     TEXT NOT NULL
) STRICT;
`;
