/**
 * Reference data the decision rests on, kept as data with its source (no legal constant in code): the
 * food-basket thresholds (the seed table, overridden by what the administrator enters, benefit.md §2), the MRP
 * table, and the office's precinct commissions (regulation item 11.1 stage 4).
 */
import { X509Certificate } from 'node:crypto';
import type { ParsedInputOf } from '../../shared/contract/methods';
import { describeRoot, normalizeFingerprint } from '../../node/pki/trust-roots';
import type { Precinct, ThresholdRow } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { seedTables, type FoodBasketRow, type ReferenceTables } from '../../shared/domain/benefit';
import type { Db } from '../../db/connection';
import { readWorkstation } from '../../db/repositories/settings';
import { enteredThresholds, listPrecincts, saveThreshold } from '../../db/repositories/reference';
import type { ServicesContext, Session } from './context';
import { officeRegion } from './precincts';
import { enterReferenceAct, isCityAdmin } from './reference-sync';

export { officeRegion } from './precincts';

/** The tables a calculation uses: the seed's rows, each replaced by the administrator's row for its quarter. */
export function benefitTables(db: Db): ReferenceTables {
  const seed = seedTables();
  const entered = enteredThresholds(db);
  const key = (r: FoodBasketRow) => `${r.region}/${r.year}/${r.quarter}`;
  const mine = new Set(entered.map(key));
  return { mrp: seed.mrp, foodBasket: [...seed.foodBasket.filter((r) => !mine.has(key(r))), ...entered] };
}

export function referenceServices(ctx: ServicesContext) {
  return {
    precincts(): Precinct[] {
      const code = readWorkstation(ctx.db)?.officeCode ?? null;
      return listPrecincts(ctx.db, code);
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
      // Entered by the city department's administrator: a signed reference act for every workstation of the city.
      if (isCityAdmin(ctx, session)) {
        const act = enterReferenceAct(ctx, session, 'threshold', { region: row.region, year: row.year, quarter: row.quarter, tiyn: row.tiyn }, { act: row.derivation, ...(input.sourceUrl ? { url: input.sourceUrl } : {}), assumed: false });
        return { ...row, derivation: enteredThresholds(ctx.db).find((r) => r.region === row.region && r.year === row.year && r.quarter === row.quarter)?.derivation ?? act.source.act };
      }
      saveThreshold(ctx.db, row, { iin: session.identity.iin, at: ctx.now().toISOString() });
      return row;
    },
    /** The offices of the city, published by the city department's administrator for every workstation. */
    publishOffices(session: Session, input: ParsedInputOf<'reference.publishOffices'>): { offices: number } {
      enterReferenceAct(ctx, session, 'offices', { offices: input.offices }, { act: input.source, ...(input.sourceUrl ? { url: input.sourceUrl } : {}), assumed: false });
      return { offices: input.offices.length };
    },
    /**
     * A root CA for the whole city, its fingerprint confirmed by the city department's administrator: refused here
     * by name (a GOST key, not a root, another fingerprint) before anything is signed, then a reference act.
     */
    addTrustRoot(session: Session, input: ParsedInputOf<'reference.addTrustRoot'>): { sha256: string; subject: string; intermediates: number } {
      const root = describeRoot(input.pem);
      if (normalizeFingerprint(input.sha256) !== root.sha256) throw new AppError('trust.fingerprint_mismatch', { sha256: root.sha256 });
      const intermediates = input.intermediates.map((pem) => {
        try {
          return new X509Certificate(pem).toString();
        } catch {
          throw new AppError('trust.not_certificate');
        }
      });
      enterReferenceAct(ctx, session, 'trust_root', { pem: root.pem, sha256: root.sha256, intermediates }, { act: input.source, ...(input.sourceUrl ? { url: input.sourceUrl } : {}), assumed: false });
      return { sha256: root.sha256, subject: root.subject, intermediates: intermediates.length };
    },
    /** A precinct commission set by the city department's administrator (a reference act for every workstation). */
    setPrecinct(session: Session, input: ParsedInputOf<'reference.setPrecinct'>): Precinct {
      const office = input.office ?? readWorkstation(ctx.db)?.officeCode ?? '';
      enterReferenceAct(ctx, session, 'precinct', { office, code: input.code, nameKk: input.nameKk, nameRu: input.nameRu, members: input.members }, { act: input.source, ...(input.sourceUrl ? { url: input.sourceUrl } : {}), assumed: false });
      return { code: input.code, nameKk: input.nameKk, nameRu: input.nameRu, members: input.members };
    },
  };
}
