/**
 * Rebuilds every projection table from the log, in one transaction, and reports what differed from the tables
 * it replaced. Signatures are not re-verified here (Verify case does that); the number sequences never go back.
 */
import { projectEvent, type CaseProjection } from '../shared/events/projection';
import { parseNumber, sequenceScope } from '../shared/numbers';
import type { Db } from './open';
import { legacyFactsInMemory, toCaseEvent, type EventRow } from './repositories/events';
import { clearProjections, PROJECTION_KEYS, PROJECTION_TABLES, writeProjection, type ProjectionTable } from './repositories/projection';

export interface RebuildReport {
  cases: number;
  events: number;
  /** Per table: rows only in the old tables (missing after the rebuild) and rows only in the new ones. */
  differences: { table: ProjectionTable; onlyBefore: number; onlyAfter: number; examples: string[] }[];
  ms: number;
}

/**
 * `scope: 'all'` (the CLI's rebuild) replaces every projection row, dropping rows the log does not explain (the
 * report names them); 'logged' (a migration) replaces only the rows of cases that have a log.
 */
export function rebuildProjections(db: Db, opts: { compare?: boolean; scope?: 'all' | 'logged' } = {}): RebuildReport {
  const compare = opts.compare ?? true;
  const started = performance.now();
  return db.transaction((): RebuildReport => {
    // The log names its case rows: checked at commit, once everything is back.
    db.pragma('defer_foreign_keys = ON');
    if (compare) for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE IF EXISTS temp.before_${t}; CREATE TEMP TABLE before_${t} AS SELECT * FROM main.${t}`);
    clearProjections(db, opts.scope ?? 'all');
    const legacy = legacyFactsInMemory(db);
    const numbers = new Map<string, number>();
    const seen = (n: string | null | undefined) => {
      const p = n ? parseNumber(n) : null;
      if (!p) return;
      const scope = sequenceScope(p.kind, p.office, p.workstation, p.year);
      numbers.set(scope, Math.max(numbers.get(scope) ?? 0, p.seq));
    };
    let cases = 0;
    let events = 0;
    let state: CaseProjection | null = null;
    const flush = () => {
      if (!state) return;
      writeProjection(db, null, state);
      seen(state.case.caseNumber);
      seen(state.journal?.journalNumber);
      seen(state.journal?.decisionNumber);
      cases++;
    };
    // The log in pages along its key (a statement cannot be iterated while this connection writes).
    const first = db.prepare('SELECT * FROM case_events ORDER BY case_id, seq LIMIT ?');
    const next = db.prepare('SELECT * FROM case_events WHERE (case_id, seq) > (?, ?) ORDER BY case_id, seq LIMIT ?');
    const PAGE = 20_000;
    let page = first.all(PAGE) as EventRow[];
    while (page.length > 0) {
      for (const row of page) {
        if (state && state.case.id !== row.case_id) {
          flush();
          state = null;
        }
        state = projectEvent(state, toCaseEvent(row), legacy);
        events++;
      }
      const last = page[page.length - 1]!;
      page = page.length < PAGE ? [] : (next.all(last.case_id, last.seq, PAGE) as EventRow[]);
    }
    flush();
    // A rebuild never lowers a sequence: a number once issued is never issued again.
    const raise = db.prepare('INSERT INTO number_sequences (scope, last) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET last = max(last, excluded.last)');
    for (const [scope, last] of numbers) raise.run(scope, last);
    const differences: RebuildReport['differences'] = [];
    if (compare) {
      for (const t of PROJECTION_TABLES) {
        const cols = (db.prepare(`SELECT name FROM pragma_table_info('${t}') ORDER BY cid`).all() as { name: string }[]).map((c) => c.name).join(', ');
        const only = (a: string, b: string) => db.prepare(`SELECT ${PROJECTION_KEYS[t]} FROM (SELECT ${cols} FROM ${a} EXCEPT SELECT ${cols} FROM ${b}) ORDER BY ${PROJECTION_KEYS[t]}`).raw().all() as unknown[][];
        const before = only(`temp.before_${t}`, `main.${t}`);
        const after = only(`main.${t}`, `temp.before_${t}`);
        if (before.length || after.length) differences.push({ table: t, onlyBefore: before.length, onlyAfter: after.length, examples: [...before, ...after].slice(0, 5).map((k) => k.join('/')) });
        db.exec(`DROP TABLE temp.before_${t}`);
      }
    }
    return { cases, events, differences, ms: Math.round(performance.now() - started) };
  }).immediate();
}
