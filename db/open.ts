import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import type { Db } from './connection';

export type { Db };

/**
 * Opens the workstation database: WAL, foreign keys, fully synchronous commits (a crash or power cut loses
 * nothing that was committed), then migrates. A database written by a newer app is refused untouched.
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    // Refuse a newer database before touching it: even switching on WAL rewrites the file header.
    refuseNewer(db);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db);
    else refuseNewer(db);
    refuseDamaged(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(db: Db): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError('db.newer_than_app', { db: current, app: LATEST_SCHEMA_VERSION });
  }
}

/** Applies every pending migration in one transaction: all of them or none. */
export function migrate(db: Db): number {
  refuseNewer(db);
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  // A migration may rebuild a table (SQLite cannot drop a constraint): foreign keys are off while it runs, as
  // SQLite's own procedure asks, and every key is checked before the transaction commits.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) db.exec(m.sql);
      // Code that follows a migration (a rebuild of the projections) runs on the schema they all made.
      for (const m of pending) m.after?.(db);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration left ${broken.length} broken foreign keys`);
      db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
    }).immediate();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return LATEST_SCHEMA_VERSION;
}

/** The tables, indexes and triggers the migrations create, by name, with their SQL (computed once). */
let expected: Map<string, string> | null = null;
function expectedSchema(): Map<string, string> {
  if (!expected) {
    const blank = new Database(':memory:');
    for (const m of migrations) blank.exec(m.sql);
    expected = schemaObjects(blank);
    blank.close();
  }
  return expected;
}

function schemaObjects(db: Db): Map<string, string> {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL").all() as { type: string; name: string; sql: string }[];
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, r.sql.replace(/\s+/g, ' ').trim()]));
}

/**
 * At open: every table, index and trigger the migrations made is there, unchanged, and no trigger was added. A
 * database whose append-only triggers were dropped (or whose tables were altered by hand) is refused with the
 * names of what is missing or changed, and is not repaired: a person must look at it.
 */
export function schemaDamage(db: Db): string[] {
  const want = expectedSchema();
  const have = schemaObjects(db);
  const damage: string[] = [];
  for (const [name, sql] of want) {
    if (!have.has(name)) damage.push(`${name}: missing`);
    else if (have.get(name) !== sql) damage.push(`${name}: changed`);
  }
  for (const name of have.keys()) if (!want.has(name) && name.startsWith('trigger ')) damage.push(`${name}: added`);
  return damage;
}

function refuseDamaged(db: Db): void {
  if (schemaVersion(db) !== LATEST_SCHEMA_VERSION) return;
  const damage = schemaDamage(db);
  if (damage.length > 0) throw new AppError('db.schema_damaged', { objects: damage.join('; ') });
}
