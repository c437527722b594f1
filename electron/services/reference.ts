/**
 * Reference data the decision rests on, kept as data with its source (no legal constant in code): the
 * food-basket thresholds (the seed table, overridden by what the administrator enters, benefit.md §2), the MRP
 * table, and the office's precinct commissions (regulation item 11.1 stage 4).
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { Precinct, ThresholdRow } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { seedTables, type FoodBasketRow, type ReferenceTables } from '../../shared/domain/benefit';
import precinctSeed from '../../shared/domain/data/precincts-aue.json';
import type { Db } from '../../db/open';
import { readWorkstation } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';

/** The region whose food basket is the office's threshold (the seed names it with the precincts). */
export function officeRegion(): string {
  return precinctSeed.region;
}

/** The seed's precinct commissions of an office, written when the office has none yet (setup, or an older database). */
export function seedPrecincts(db: Db, officeCode: string) {
  if (db.prepare('SELECT 1 FROM precincts WHERE office_code = ? LIMIT 1').get(officeCode)) return;
  const insert = db.prepare('INSERT OR IGNORE INTO precincts (code, office_code, name_kk, name_ru, members) VALUES (?, ?, ?, ?, ?)');
  for (const p of precinctSeed.rows.filter((r) => r.office === officeCode)) insert.run(p.code, p.office, p.nameKk, p.nameRu, JSON.stringify(p.members));
}

/** The tables a calculation uses: the seed's rows, each replaced by the administrator's row for its quarter. */
export function benefitTables(db: Db): ReferenceTables {
  const seed = seedTables();
  const entered = db.prepare('SELECT region, year, quarter, tiyn, mark, derivation FROM benefit_thresholds').all() as FoodBasketRow[];
  const key = (r: FoodBasketRow) => `${r.region}/${r.year}/${r.quarter}`;
  const mine = new Set(entered.map(key));
  return { mrp: seed.mrp, foodBasket: [...seed.foodBasket.filter((r) => !mine.has(key(r))), ...entered] };
}

export function referenceServices(ctx: ServicesContext) {
  return {
    precincts(): Precinct[] {
      const code = readWorkstation(ctx.db)?.officeCode ?? null;
      return (ctx.db.prepare('SELECT code, name_kk AS nameKk, name_ru AS nameRu, members FROM precincts WHERE office_code = ? ORDER BY code').all(code) as (Omit<Precinct, 'members'> & { members: string })[]).map((p) => ({
        ...p,
        members: JSON.parse(p.members) as Precinct['members'],
      }));
    },
    thresholds(): ThresholdRow[] {
      return benefitTables(ctx.db)
        .foodBasket.filter((r) => r.region === officeRegion())
        .sort((a, b) => b.year - a.year || b.quarter - a.quarter)
        .map((r) => ({ region: r.region, year: r.year, quarter: r.quarter, tiyn: r.tiyn, mark: r.mark, derivation: r.derivation }));
    },
    /** The administrator enters a quarter's official threshold with its source; it wins over the seed's row. */
    setThreshold(session: Session, input: ParsedInputOf<'reference.setThreshold'>): ThresholdRow {
      if (!input.source.trim()) throw new AppError('validation', undefined, { source: 'field.required' });
      const row = { region: officeRegion(), year: input.year, quarter: input.quarter, tiyn: input.tiyn, mark: 'sourced' as const, derivation: input.source.trim() };
      ctx.db
        .prepare(
          `INSERT INTO benefit_thresholds (region, year, quarter, tiyn, mark, derivation, entered_by_iin, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (region, year, quarter) DO UPDATE SET tiyn = excluded.tiyn, mark = excluded.mark, derivation = excluded.derivation,
             entered_by_iin = excluded.entered_by_iin, entered_at = excluded.entered_at`,
        )
        .run(row.region, row.year, row.quarter, row.tiyn, row.mark, row.derivation, session.identity.iin, ctx.now().toISOString());
      return row;
    },
  };
}
