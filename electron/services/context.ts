import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Identity } from '../../shared/contract/types';
import { openDatabase, type Db } from '../../db/open';
import { trustStoreFromPem, type TrustStore } from './pki/keyfile';
import { seedCalendarYears, WorkCalendar, type DayCorrection } from '../../shared/domain/calendar';

export interface Session {
  token: string;
  identity: Identity;
  startedAt: number;
  /** The session ends at the certificate's expiry or after SESSION_HOURS, whichever is first. */
  expiresAt: number;
}

export const SESSION_HOURS = 12;

/** Everything a service method may use. One per services process: it owns the only SQLite writer. */
export interface ServicesContext {
  dataDir: string;
  appVersion: string;
  db: Db;
  sessions: Map<string, Session>;
  now: () => Date;
  trust: () => TrustStore;
  /** The working-day calendar: the reference data plus the administrator's corrections. */
  calendar: () => WorkCalendar;
  /** Drops the cached calendar after a correction. */
  calendarChanged: () => void;
}

export const DATA_FILES = {
  database: 'jardem.sqlite',
  trustDir: 'trust',
  roots: 'trust/roots.pem',
  intermediates: 'trust/intermediates.pem',
  demoOffice: 'demo-office',
} as const;

export function createContext(opts: { dataDir: string; appVersion: string; now?: () => Date }): ServicesContext {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = openDatabase(path.join(opts.dataDir, DATA_FILES.database));
  const read = (rel: string) => {
    const file = path.join(opts.dataDir, rel);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  let calendar: WorkCalendar | null = null;
  return {
    calendar: () =>
      (calendar ??= new WorkCalendar(
        seedCalendarYears(),
        (db.prepare('SELECT date, working, reason FROM calendar_corrections ORDER BY date').all() as { date: string; working: number; reason: string }[]).map(
          (r): DayCorrection => ({ date: r.date, working: r.working === 1, reason: r.reason }),
        ),
      )),
    calendarChanged: () => {
      calendar = null;
    },
    dataDir: opts.dataDir,
    appVersion: opts.appVersion,
    db,
    sessions: new Map(),
    now: opts.now ?? (() => new Date()),
    // Read on each sign-in: an administrator may add a CA without restarting the services.
    trust: () => trustStoreFromPem(read(DATA_FILES.roots), read(DATA_FILES.intermediates)),
  };
}
