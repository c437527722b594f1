/** The list of content-addressed blobs (their bytes are files: electron/services/blob-store.ts). */
import type { Db } from '../connection';

/** Records a blob whose file is written. Inside the caller's transaction. */
export function recordBlob(db: Db, sha256: string, mediaType: string, size: number, at: string): void {
  db.prepare('INSERT OR IGNORE INTO blobs (sha256, media_type, size, stored_at) VALUES (?, ?, ?, ?)').run(sha256, mediaType, size, at);
}

export function blobKnown(db: Db, sha256: string): boolean {
  return db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256) !== undefined;
}

export function blobMediaType(db: Db, sha256: string): string | null {
  return (db.prepare('SELECT media_type FROM blobs WHERE sha256 = ?').pluck().get(sha256) as string | undefined) ?? null;
}
