import { readSetting, readWorkstation, writeSetting } from '../../db/repositories/settings';
import { correctionDays } from '../../db/repositories/calendar';
import { seedPrecincts } from './precincts';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { loadCrl, type LoadedCrl } from '../../node/pki/crl';
import { AppError } from '../../shared/errors';
import path from 'node:path';
import type { Identity } from '../../shared/contract/types';
import { openDatabase, type Db } from '../../db/open';
import { trustStoreFromPem, type TrustStore } from '../../node/pki/keyfile';
import { seedCalendarYears, WorkCalendar } from '../../shared/domain/calendar';
import type { PushEvent } from '../../shared/contract/push';

export interface Session {
  token: string;
  identity: Identity;
  startedAt: number;
  /** The session ends at the certificate's expiry or after SESSION_HOURS, whichever is first. */
  expiresAt: number;
  /** The key file as chosen, still encrypted by its password: signing moments decrypt it again. */
  keyFile: Buffer;
  /** The decrypted signing key, only while unlocked (at most UNLOCK_MINUTES), never written anywhere. */
  unlocked: { privateKeyPem: string; chainPem: string[]; until: number; oneSignatureLeft: boolean } | null;
  /** Wrong passwords in a row at signing moments; 5 lock the key for a minute. */
  failedUnlocks: number;
  lockedUntil: number;
}

export const SESSION_HOURS = 12;
/** How long a typed password unlocks signing (issue 4: at most N minutes, default 10). */
export const UNLOCK_MINUTES = Number(process.env.JARDEM_UNLOCK_MINUTES ?? 10);

/** Everything a service method may use. One per services process: it owns the only SQLite writer. */
export interface ServicesContext {
  dataDir: string;
  appVersion: string;
  db: Db;
  sessions: Map<string, Session>;
  /** The legal clock: dates of acts and deadlines (runs ahead under the demo's time travel). */
  now: () => Date;
  /** The wall clock: session and key-unlock periods, which time travel must not end. */
  realNow: () => Date;
  trust: () => TrustStore;
  /** The working-day calendar: the reference data plus the administrator's corrections. */
  calendar: () => WorkCalendar;
  /** Drops the cached calendar after a correction. */
  calendarChanged: () => void;
  /** Demo and tests: the clock runs N days ahead (0: today). Kept in settings across restarts. */
  shiftClock: (days: number) => void;
  /** Tells the hosts (and so the screens) what changed: a case, an answer, the scanner. */
  push: (event: PushEvent) => void;
}

export const DATA_FILES = {
  database: 'jardem.sqlite',
  trustDir: 'trust',
  roots: 'trust/roots.pem',
  intermediates: 'trust/intermediates.pem',
  demoOffice: 'demo-office',
  crlDir: 'trust/crl',
  blobsDir: 'blobs',
  deviceDir: 'device',
  /** Relative to deviceDir. */
  deviceCert: 'device.crt.pem',
  deviceKey: 'device.key.pem',
} as const;

/** The revoked serials of the newest CRL of each issuer the workstation trusts (benefit.md §5: CRLs work offline). */
function newestRevocations(dir: string, issuers: X509Certificate[]): Set<string> {
  const newest = new Map<string, LoadedCrl>();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.pem'))) {
      const crl = loadCrl(readFileSync(path.join(dir, name), 'utf8'), issuers);
      if (crl && (!newest.has(crl.issuer) || newest.get(crl.issuer)!.thisUpdate < crl.thisUpdate)) newest.set(crl.issuer, crl);
    }
  }
  return new Set([...newest.values()].flatMap((c) => [...c.revokedSerials]));
}

/**
 * One services process per data folder: it holds the only writer. A second app or browser host on the same
 * folder is refused (the command-line tool is not: SQLite's own locking keeps its short writes safe).
 */
function lockDataDir(dataDir: string): void {
  const file = path.join(dataDir, 'jardem.lock');
  try {
    writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let pid = 0;
  try {
    pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
  } catch {
    // unreadable: treat as stale
  }
  if (pid && pid !== process.pid && processAlive(pid)) throw new AppError('db.in_use', { pid });
  writeFileSync(file, JSON.stringify({ pid: process.pid }));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createContext(opts: { dataDir: string; appVersion: string; now?: () => Date; exclusive?: boolean; push?: (event: PushEvent) => void }): ServicesContext {
  mkdirSync(opts.dataDir, { recursive: true });
  if (opts.exclusive) lockDataDir(opts.dataDir);
  const db = openDatabase(path.join(opts.dataDir, DATA_FILES.database));
  // A workstation set up before the precincts existed (schema 6) gets the seed's commissions once.
  const workstation = readWorkstation(db);
  if (workstation) seedPrecincts(db, workstation.officeCode);
  const read = (rel: string) => {
    const file = path.join(opts.dataDir, rel);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  let calendar: WorkCalendar | null = null;
  let offsetMs = Number(readSetting<number>(db, 'clockOffsetDays') ?? 0) * 86_400_000;
  const baseNow = opts.now ?? (() => new Date());
  return {
    shiftClock: (days: number) => {
      offsetMs = days * 86_400_000;
      writeSetting(db, 'clockOffsetDays', days);
    },
    calendar: () =>
      (calendar ??= new WorkCalendar(seedCalendarYears(), correctionDays(db))),
    calendarChanged: () => {
      calendar = null;
    },
    dataDir: opts.dataDir,
    appVersion: opts.appVersion,
    push: opts.push ?? (() => {}),
    db,
    sessions: new Map(),
    now: () => (offsetMs === 0 ? baseNow() : new Date(baseNow().getTime() + offsetMs)),
    realNow: baseNow,
    // Read on each sign-in: an administrator may add a CA or a newer CRL without restarting the services.
    trust: () => {
      const store = trustStoreFromPem(read(DATA_FILES.roots), read(DATA_FILES.intermediates));
      return { ...store, revoked: newestRevocations(path.join(opts.dataDir, DATA_FILES.crlDir), store.intermediates) };
    },
  };
}
