/** The precinct commissions of the seed (shared/domain/data/precincts-aue.json [assumed]) and the office's region. */
import precinctSeed from '../../shared/domain/data/precincts-aue.json';
import type { Db } from '../../db/connection';
import { hasPrecincts, insertPrecincts } from '../../db/repositories/reference';

/** The region whose food basket is the office's threshold (the seed names it with the precincts). */
export function officeRegion(): string {
  return precinctSeed.region;
}

/** The seed's precinct commissions of an office, written when the office has none yet (setup, or an older database). */
export function seedPrecincts(db: Db, officeCode: string): void {
  if (hasPrecincts(db, officeCode)) return;
  insertPrecincts(db, precinctSeed.rows.filter((r) => r.office === officeCode));
}
