/**
 * Rebuilds every projection table from the log, in one transaction, and reports what differed from the tables
 * it replaced. Signatures are not re-verified here (Verify case does that); the number sequences never go back.
 */
import { projectEvent, type CaseProjection } from '../shared/events/projection';
import { parseNumber, sequenceScope } from '../shared/numbers';
import type { Db } from './connection';
import { legacyFactsInMemory } from './repositories/events';
import { clearProjections, insertProjection, PROJECTION_KEYS, PROJECTION_TABLES, type ProjectionTable } from './repositories/projection';
import { rederiveReportFacts } from './repositories/report-facts';

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
  // A larger page cache while millions of index entries are written (SQLite's default is 2 MB).
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  try {
    return rebuild(db, compare, opts.scope ?? 'all', started);
  } finally {
    db.pragma(`cache_size = ${cache}`);
  }
}

function rebuild(db: Db, compare: boolean, scope: 'all' | 'logged', started: number): RebuildReport {
  return db.transaction((): RebuildReport => {
    // The log names its case rows: checked at commit, once everything is back.
    db.pragma('defer_foreign_keys = ON');
    if (compare) for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE IF EXISTS temp.before_${t}; CREATE TEMP TABLE before_${t} AS SELECT * FROM main.${t}`);
    // A full rebuild writes millions of rows: the secondary indexes are dropped and made again once, from the very
    // SQL the migrations wrote (what the integrity check at open compares), rather than kept row by row.
    const indexes = scope === 'all' ? projectionIndexes(db) : [];
    for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
    clearProjections(db, scope);
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
    const insert = insertProjection(db);
    const flush = () => {
      if (!state) return;
      insert(state);
      seen(state.case.caseNumber);
      seen(state.journal?.journalNumber);
      seen(state.journal?.decisionNumber);
      cases++;
    };
    // The log in pages along its key (a statement cannot be iterated while this connection writes).
    // Without the signatures: a rebuild does not verify them (Verify case does).
    const columns = 'id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash';
    // Each case's line: the events that left it (a conflict lost on the server) are not projected.
    const line = 'id NOT IN (SELECT event_id FROM event_refusals)';
    const first = db.prepare(`SELECT ${columns} FROM case_events WHERE ${line} ORDER BY case_id, seq LIMIT ?`).raw();
    const next = db.prepare(`SELECT ${columns} FROM case_events WHERE (case_id, seq) > (?, ?) AND ${line} ORDER BY case_id, seq LIMIT ?`).raw();
    const PAGE = 20_000;
    type Raw = [string, string, number, number, string, string, string, string, string, string, string | null, string];
    let page = first.all(PAGE) as Raw[];
    while (page.length > 0) {
      for (const [id, caseId, seq, caseVersion, type, payload, iin, role, certSha256, at, prevHash, hash] of page) {
        if (state && state.case.id !== caseId) {
          flush();
          state = null;
        }
        // The payloads were checked against the catalogue when they were appended; Verify case checks them again.
        state = projectEvent(state, { id, caseId, seq, caseVersion, type, payload, actor: { iin, role, certSha256 }, at, prevHash, hash }, legacy, { trusted: true });
        events++;
      }
      const last = page[page.length - 1]!;
      page = page.length < PAGE ? [] : (next.all(last[1], last[2], PAGE) as Raw[]);
    }
    flush();
    for (const ix of indexes) db.exec(ix.sql);
    rederiveReportFacts(db);
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

/**
 * The secondary indexes of the projection tables, with the SQL that made them, except those that lead with case_id:
 * SQLite looks child rows up through them when a case row comes back (the foreign keys are deferred meanwhile).
 */
function projectionIndexes(db: Db): { name: string; sql: string }[] {
  const all = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${PROJECTION_TABLES.map((t) => `'${t}'`).join(', ')})`)
    .all() as { name: string; sql: string }[];
  return all.filter((ix) => (db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').pluck().get(ix.name) as string) !== 'case_id');
}
