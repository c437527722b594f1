/**
 * The current-state tables are a projection of the log, written only by db/ (the commit path and the rebuild),
 * and SQL lives in db/ repositories: no service, host or server file writes them or prepares a statement.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECTION_TABLES } from '../db/repositories/projection';

// The workstation's code. The central server maps the same projection onto its own PostgreSQL tables, in server/src.
const CODE = ['electron', 'shared', 'node', 'renderer/src'];
const files = CODE.flatMap((dir) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(ts|tsx)$/.test(f)).map((f) => path.join(dir, f)),
);
const WRITE = new RegExp(`\\b(INSERT\\s+(OR\\s+\\w+\\s+)?INTO|REPLACE\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(${PROJECTION_TABLES.join('|')})\\b`, 'i');

describe('one commit path', () => {
  it('finds the code to check', () => {
    expect(files.length).toBeGreaterThan(60);
    expect(files).toContain(path.join('electron', 'services', 'pages.ts'));
  });

  it('no file outside db/ writes a projection table or prepares SQL', () => {
    const offenders = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const write = text.match(WRITE)?.[0];
      const sql = /\.prepare\(/.test(text) || /\.exec\(\s*['`"](?:CREATE|INSERT|UPDATE|DELETE|DROP)/i.test(text);
      return [...(write ? [`${file}: ${write}`] : []), ...(sql ? [`${file}: SQL outside db/`] : [])];
    });
    expect(offenders).toEqual([]);
  });

  it('would catch a service that does', () => {
    expect(WRITE.test("ctx.db.prepare('UPDATE journal SET notified_on = ? WHERE case_id = ?')")).toBe(true);
    expect(WRITE.test('INSERT INTO case_pages (page_id) VALUES (?)')).toBe(true);
    expect(WRITE.test('DELETE FROM case_deadlines')).toBe(true);
    expect(WRITE.test('SELECT * FROM journal')).toBe(false);
  });
});

// The server's sync paths (push, pull, enrol, blobs, the Center channel) keep their SQL in server/src/store/.
const SERVER_SYNC = path.join('server', 'src', 'sync');
const STATEMENT = /\.query(?:<[^>]*>)?\(\s*[`'"]\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

describe("the server's sync paths", () => {
  it('write and read only through the typed functions of server/src/store/', () => {
    const synced = (readdirSync(SERVER_SYNC) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(SERVER_SYNC, f));
    expect(synced).toContain(path.join(SERVER_SYNC, 'apply.ts'));
    expect(synced.filter((file) => STATEMENT.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('would catch a statement written there', () => {
    expect(STATEMENT.test("await tx.query<{ id: string }>('SELECT id FROM conflicts WHERE office_code = $1', [office])")).toBe(true);
    expect(STATEMENT.test('await tx.query(\n  `INSERT INTO events (office_code) VALUES ($1)`, [office])')).toBe(true);
    expect(STATEMENT.test('const q = request.query as { cursor?: string }')).toBe(false);
  });
});
