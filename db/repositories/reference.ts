/** Reference data kept on the workstation: precinct commissions, food-basket thresholds entered by the administrator. */
import type { Precinct } from '../../shared/contract/types';
import type { FoodBasketRow } from '../../shared/domain/benefit';
import type { Db } from '../connection';

export function hasPrecincts(db: Db, officeCode: string): boolean {
  return db.prepare('SELECT 1 FROM precincts WHERE office_code = ? LIMIT 1').get(officeCode) !== undefined;
}

export function insertPrecincts(db: Db, rows: readonly { code: string; office: string; nameKk: string; nameRu: string; members: unknown }[]): void {
  const insert = db.prepare('INSERT OR IGNORE INTO precincts (code, office_code, name_kk, name_ru, members) VALUES (?, ?, ?, ?, ?)');
  for (const p of rows) insert.run(p.code, p.office, p.nameKk, p.nameRu, JSON.stringify(p.members));
}

export function listPrecincts(db: Db, officeCode: string | null): Precinct[] {
  return (db.prepare('SELECT code, name_kk AS nameKk, name_ru AS nameRu, members FROM precincts WHERE office_code = ? ORDER BY code').all(officeCode) as (Omit<Precinct, 'members'> & { members: string })[]).map((p) => ({
    ...p,
    members: JSON.parse(p.members) as Precinct['members'],
  }));
}

export function enteredThresholds(db: Db): FoodBasketRow[] {
  return db.prepare('SELECT region, year, quarter, tiyn, mark, derivation FROM benefit_thresholds').all() as FoodBasketRow[];
}

export function saveThreshold(db: Db, row: FoodBasketRow, by: { iin: string; at: string }): void {
  db.prepare(
    `INSERT INTO benefit_thresholds (region, year, quarter, tiyn, mark, derivation, entered_by_iin, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (region, year, quarter) DO UPDATE SET tiyn = excluded.tiyn, mark = excluded.mark, derivation = excluded.derivation,
       entered_by_iin = excluded.entered_by_iin, entered_at = excluded.entered_at`,
  ).run(row.region, row.year, row.quarter, row.tiyn, row.mark, row.derivation, by.iin, by.at);
}
