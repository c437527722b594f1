import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Identity } from '../../shared/contract/types';
import { openDatabase, type Db } from '../../db/open';
import { trustStoreFromPem, type TrustStore } from './pki/keyfile';

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
  return {
    dataDir: opts.dataDir,
    appVersion: opts.appVersion,
    db,
    sessions: new Map(),
    now: opts.now ?? (() => new Date()),
    // Read on each sign-in: an administrator may add a CA without restarting the services.
    trust: () => trustStoreFromPem(read(DATA_FILES.roots), read(DATA_FILES.intermediates)),
  };
}
