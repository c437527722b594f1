/** The demo office's sample cases (migration 18): labelled, kept out of sync, marked on every screen. */
import type { Db } from '../connection';

export function markSampleCase(db: Db, caseId: string, seed: number, at: string): void {
  db.prepare('INSERT OR IGNORE INTO sample_cases (case_id, seed, made_at) VALUES (?, ?, ?)').run(caseId, seed, at);
}

export function isSampleCase(db: Db, caseId: string): boolean {
  return db.prepare('SELECT 1 FROM sample_cases WHERE case_id = ?').get(caseId) !== undefined;
}

export function sampleCaseIds(db: Db): string[] {
  return (db.prepare('SELECT case_id FROM sample_cases ORDER BY case_id').pluck().all() as string[]);
}

export function sampleCaseCount(db: Db): number {
  return db.prepare('SELECT count(*) FROM sample_cases').pluck().get() as number;
}
