/** What a backup reads from a database snapshot, and the checks it runs on one (all of it SQL, so here). */
import type { Db } from '../connection';

export interface SnapshotFacts {
  cases: number;
  events: number;
  /** Every blob the database records (the log's scans, signatures and documents), with its size. */
  blobs: { sha256: string; size: number }[];
}

export function snapshotFacts(db: Db): SnapshotFacts {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    cases: count('cases'),
    events: count('case_events'),
    blobs: db.prepare('SELECT sha256, size FROM blobs ORDER BY sha256').all() as { sha256: string; size: number }[],
  };
}

/** SQLite's own check of every page and index: 'ok', or what it found. */
export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}
