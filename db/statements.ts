/**
 * A statement prepared once per connection and kept: preparing costs more than running a keyed read, and the sync's
 * pull runs some reads once per event.
 */
import type { Statement as SqliteStatement } from 'better-sqlite3';
import type { Db } from './connection';

type Statement = SqliteStatement<unknown[]>;
const kept = new WeakMap<Db, Map<string, Statement>>();

export function statement(db: Db, sql: string): Statement {
  let byText = kept.get(db);
  if (!byText) kept.set(db, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) byText.set(sql, (s = db.prepare(sql)));
  return s;
}
