import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';

export type Db = Database.Database;

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
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
  }).immediate();
  return LATEST_SCHEMA_VERSION;
}
