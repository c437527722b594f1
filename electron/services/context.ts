import { readSetting, readWorkstation, writeSetting } from '../../db/repositories/settings';
import { correctionDays } from '../../db/repositories/calendar';
import { seedPrecincts } from './precincts';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { AppError } from '../../shared/errors';
import path from 'node:path';
import type { Identity } from '../../shared/contract/types';
import { openDatabase, type Db } from '../../db/open';
import type { TrustStore } from '../../node/pki/keyfile';
import { seedCalendarYears, WorkCalendar } from '../../shared/domain/calendar';
import type { PushEvent } from '../../shared/contract/push';
import { DATA_FILES } from './data-files';
import { finishPendingSwitch } from './backup/switch';
import { workstationTrust } from './trust-store';
import { prepareDataFolder, type DataFolderReport } from './data-folder';

import type { NcalayerSettings } from './keys/source';

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
  /** The key file's name for its lockout (node/pki/keyfile.ts keyFileId): wrong passwords count per key file. */
  keyId: string;
  /** Where the key is: a file the services open, or NCALayer (nothing of the key is held here then). */
  keySource: 'file' | 'ncalayer';
  /** NCALayer's address and the storage the person chose at sign-in: acts are signed there too. */
  ncalayer?: NcalayerSettings;
  /** SHA-256 of the signing certificate (RSA256_…) NCALayer signs this session's acts with, once learned. */
  ncalayerSigningCert?: string;
  /** The last call the person made (wall clock): the idle timeout counts from it. */
  lastSeenAt: number;
  /** Set when the screen locked (idle, or asked): every call but resume and sign-out waits for the password. */
  lockedAt: number | null;
  /** The cases this session opened, and when last written to the audit trail (one line per case per while). */
  opened: Map<string, number>;
}

export const SESSION_HOURS = 12;
/** How long a typed password unlocks signing (at most N minutes, default 10). */
export const UNLOCK_MINUTES = Number(process.env.JARDEM_UNLOCK_MINUTES ?? 10);

/** Idle minutes after which the screen locks, drafts kept (JARDEM_IDLE_MINUTES, default 30). */
export const IDLE_MINUTES = Number(process.env.JARDEM_IDLE_MINUTES ?? 30);
/** Live sessions per workstation; a new sign-in beyond it ends the longest idle one (JARDEM_MAX_SESSIONS, default 10). */
export const MAX_SESSIONS = Number(process.env.JARDEM_MAX_SESSIONS ?? 10);

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
  /** What the start changed in the data folder (modes tightened, temporary files removed), to tell the person. */
  dataFolder: DataFolderReport;
  /** Session limits: idle minutes before the screen locks, and live sessions at most. */
  limits: { idleMinutes: number; maxSessions: number };
  /** This computer's name, for the audit trail. */
  hostName: string;
}


/** The revoked serials of the newest CRL of each issuer the workstation trusts (benefit.md §5: CRLs work offline). */
/**
 * One services process per data folder: it holds the only writer. A second app or browser host on the same
 * folder is refused (the command-line tool is not: SQLite's own locking keeps its short writes safe).
 */
function lockDataDir(dataDir: string): void {
  const file = path.join(dataDir, 'jardem.lock');
  try {
    writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
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
  writeFileSync(file, JSON.stringify({ pid: process.pid }), { mode: 0o600 });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createContext(opts: {
  dataDir: string;
  appVersion: string;
  now?: () => Date;
  exclusive?: boolean;
  push?: (event: PushEvent) => void;
  limits?: Partial<ServicesContext['limits']>;
}): ServicesContext {
  // A restore made by the last run takes the data folder's place now, before anything opens it (backup/switch.ts).
  if (opts.exclusive) finishPendingSwitch(opts.dataDir);
  const dataFolder = prepareDataFolder(opts.dataDir, path.join(opts.dataDir, DATA_FILES.database), { first: [path.join(DATA_FILES.deviceDir, DATA_FILES.deviceKey)], blobs: DATA_FILES.blobsDir });
  if (dataFolder.tightenedCount > 0) console.warn(`[services] data folder ${opts.dataDir}: tightened the modes of ${dataFolder.tightenedCount} files and folders (${dataFolder.tightened.join(', ')})`);
  if (opts.exclusive) lockDataDir(opts.dataDir);
  const db = openDatabase(path.join(opts.dataDir, DATA_FILES.database));
  // A workstation set up before the precincts existed (schema 6) gets the seed's commissions once.
  const workstation = readWorkstation(db);
  if (workstation) seedPrecincts(db, workstation.officeCode);

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
    dataFolder,
    limits: { idleMinutes: opts.limits?.idleMinutes ?? IDLE_MINUTES, maxSessions: opts.limits?.maxSessions ?? MAX_SESSIONS },
    hostName: os.hostname(),
    push: opts.push ?? (() => {}),
    db,
    sessions: new Map(),
    now: () => (offsetMs === 0 ? baseNow() : new Date(baseNow().getTime() + offsetMs)),
    realNow: baseNow,
    trust: workstationTrust(opts.dataDir),
  };
}
