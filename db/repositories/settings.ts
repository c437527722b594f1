import type { Db } from '../connection';
import { AppError } from '../../shared/errors';

export interface WorkstationConfig {
  officeCode: string;
  officeName: string;
  /** The office's name in Russian, for forms in Russian (absent in configurations made before it). */
  officeNameRu?: string;
  workstationCode: string;
  /** BINs whose staff may sign in here: the office itself and the Centers that serve it. */
  acceptedBins: string[];
  /** The Centers that serve the office, with their names for the forms they print (absent in older configurations). */
  centers?: { code: string; bin: string; nameKk: string; nameRu: string }[];
  /** A Center's workstation: the districts it takes applications for (offices.json "serves"). */
  serves?: { code: string; nameKk: string; nameRu: string }[];
  /** The city department, whose administrator signs the reference data for every district. */
  city?: { code: string; bin: string };
  /** The offices whose staff registers this workstation holds (its own, its Centers', the city's), each with its BIN and its named first administrator. */
  staffOffices?: { code: string; bin: string; adminIin: string | null }[];
}

const KEY = 'workstation';

// Settings are read on most calls (the screens' every look): the statement is prepared once per connection.
const readStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();
function readValue(db: Db, key: string): string | undefined {
  let statement = readStatements.get(db);
  if (!statement) readStatements.set(db, (statement = db.prepare('SELECT value FROM settings WHERE key = ?').pluck()));
  return statement.get(key) as string | undefined;
}

export function readWorkstation(db: Db): WorkstationConfig | null {
  return readSetting<WorkstationConfig>(db, KEY);
}

export function writeWorkstation(db: Db, config: WorkstationConfig): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify(config),
  );
}

/** Next number in a scope (e.g. office/workstation/year). Call inside the transaction that uses it. */
export function nextInSequence(db: Db, scope: string): number {
  // A workstation restored from a backup does not know the numbers it issued after the backup was made until
  // the server tells it (its next sync enrols it again): until then it issues none, so none is issued twice.
  if (readSetting<{ rejoin?: boolean }>(db, RESTORED_KEY)?.rejoin) throw new AppError('backup.rejoin_first');
  const row = db
    .prepare(
      'INSERT INTO number_sequences (scope, last) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET last = last + 1 RETURNING last',
    )
    .get(scope) as { last: number };
  return row.last;
}

/** A JSON setting of the workstation (e.g. 'scanner'), or null when never set. */
export function readSetting<T>(db: Db, key: string): T | null {
  const value = readValue(db, key);
  return value === undefined ? null : (JSON.parse(value) as T);
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/** A restored workstation's record: from which backup, and whether it still has to enrol again (restore.ts). */
export const RESTORED_KEY = 'backupRestored';

/** The restored workstation has enrolled again: it knows its numbers and may issue more. */
export function rejoined(db: Db): void {
  const r = readSetting<Record<string, unknown>>(db, RESTORED_KEY);
  if (r?.rejoin) writeSetting(db, RESTORED_KEY, { ...r, rejoin: false });
}
