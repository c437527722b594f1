/**
 * The blobs' rows, and this instance's content-addressed disk cache of their bytes. A blob's bytes never change (they
 * are stored under their own SHA-256), so a copy on disk needs no invalidation; reading a bytea from PostgreSQL costs
 * its hex decoding (about 9 ms for a 200 KB scan), a cached file a read. Whether a device may have a blob is still
 * asked of the database (which offices hold it), in a statement that reads no bytes; the answers that it may are
 * kept in memory, since a blob is never taken away from an office.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../store';

const KNOWN_LIMIT = 100_000;

/** What `known` is keyed by: a blob as the set of offices asking for it may see it. */
const knownKey = (offices: readonly string[], sha: string) => `${[...offices].sort().join(',')}/${sha}`;

export class BlobStore {
  private readonly known = new Map<string, string>();

  /** `cacheDir`: the cache folder, or null for none (instances on one host may share it: files are named by hash, written whole). */
  constructor(
    private readonly q: Queryable,
    private readonly cacheDir: string | null,
  ) {
    if (cacheDir) mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  }

  /** Which of these blobs every one of `offices` holds. */
  async heldByAll(offices: readonly string[], shas: readonly string[]): Promise<Set<string>> {
    const have = await this.q.query<{ sha256: string; n: number }>('SELECT sha256, count(*)::int AS n FROM blobs WHERE office_code = ANY($1::text[]) AND sha256 = ANY($2::text[]) GROUP BY sha256', [offices, shas]);
    return new Set(have.filter((h) => Number(h.n) === offices.length).map((h) => h.sha256));
  }

  /**
   * Stores a blob (already checked against its hash) in each office's partition, and in this instance's cache: `file`,
   * when the upload's file holds exactly these bytes, is moved there (else the bytes are written).
   */
  async put(offices: readonly string[], sha: string, mediaType: string, bytes: Buffer, file?: string): Promise<void> {
    for (const office of offices) {
      await this.q.query('INSERT INTO blobs (office_code, sha256, media_type, size, bytes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [office, sha, mediaType, bytes.length, bytes]);
    }
    if (file && this.cacheDir && (await this.adopt(sha, file))) return;
    await this.keep(sha, bytes);
  }

  /** Moves a file of the blob's bytes into the cache (one rename on the same disk); false when it cannot. */
  private async adopt(sha: string, file: string): Promise<boolean> {
    try {
      mkdirSync(path.dirname(this.file(sha)), { recursive: true, mode: 0o700 });
      await rename(file, this.file(sha));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Asks the database at once which of `shas` one of `offices` holds, for the reads that follow (a first pull's answer
   * of many scans: one statement, not one per scan). What it holds is kept like get's answers; the rest is asked again.
   */
  async learn(offices: readonly string[], shas: readonly string[]): Promise<void> {
    if (!this.cacheDir) return;
    const unknown = shas.filter((sha) => !this.known.has(knownKey(offices, sha)));
    if (unknown.length === 0) return;
    const rows = await this.q.query<{ sha256: string; media_type: string }>('SELECT DISTINCT ON (sha256) sha256, media_type FROM blobs WHERE office_code = ANY($1::text[]) AND sha256 = ANY($2::text[]) ORDER BY sha256', [offices, unknown]);
    for (const r of rows) this.remember(knownKey(offices, r.sha256), r.media_type);
  }

  /** The blob's media type and bytes, when one of `offices` holds it; else null. */
  async get(offices: readonly string[], sha: string): Promise<{ mediaType: string; bytes: Buffer } | null> {
    const key = knownKey(offices, sha);
    let mediaType = this.known.get(key);
    if (mediaType === undefined && this.cacheDir) {
      const row = await this.q.query<{ media_type: string }>('SELECT media_type FROM blobs WHERE office_code = ANY($1::text[]) AND sha256 = $2 LIMIT 1', [offices, sha]);
      if (!row[0]) return null;
      mediaType = row[0].media_type;
    }
    const cached = mediaType !== undefined ? await this.cached(sha) : null;
    if (cached && mediaType !== undefined) {
      this.remember(key, mediaType);
      return { mediaType, bytes: cached };
    }
    const row = await this.q.query<{ media_type: string; bytes: Uint8Array }>('SELECT media_type, bytes FROM blobs WHERE office_code = ANY($1::text[]) AND sha256 = $2 LIMIT 1', [offices, sha]);
    if (!row[0]) return null;
    const bytes = Buffer.from(row[0].bytes);
    this.remember(key, row[0].media_type);
    await this.keep(sha, bytes);
    return { mediaType: row[0].media_type, bytes };
  }

  private file(sha: string): string {
    return path.join(this.cacheDir!, sha.slice(0, 2), sha);
  }

  private async cached(sha: string): Promise<Buffer | null> {
    if (!this.cacheDir) return null;
    try {
      return await readFile(this.file(sha));
    } catch {
      return null;
    }
  }

  /** Written under a temporary name and renamed: a reader never sees half a file. A full disk only costs the cache. */
  private async keep(sha: string, bytes: Buffer): Promise<void> {
    if (!this.cacheDir) return;
    const file = this.file(sha);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, file);
    } catch {
      // The database still has it: the next read goes there.
    }
  }

  private remember(key: string, mediaType: string): void {
    if (this.known.size >= KNOWN_LIMIT) this.known.clear();
    this.known.set(key, mediaType);
  }
}
