import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../db/open';
import { LATEST_SCHEMA_VERSION, migrations } from '../db/migrations';
import { AppError } from '../shared/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('workstation database', () => {
  it('migrates a new file to the latest user_version, in WAL mode, with STRICT tables', () => {
    const db = openDatabase(path.join(dir, 'a.sqlite'));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all() as { name: string; strict: number }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['audit_trail', 'benefit_thresholds', 'blobs', 'board_open_counts', 'calendar_corrections', 'case_deadlines', 'case_documents', 'case_events', 'case_members', 'case_pages', 'case_views', 'cases', 'event_anchors', 'event_flags', 'event_refusals', 'event_sync', 'is_requests', 'journal', 'legacy_facts', 'number_sequences', 'precincts', 'reference_acts', 'report_referrals', 'report_refusal_grounds', 'sample_cases', 'settings', 'signin_lockouts', 'staff_acts', 'staff_register', 'sync_conflicts', 'sync_held']);
    for (const t of tables) expect(t.strict, t.name).toBe(1);
    expect(() => db.prepare("INSERT INTO number_sequences (scope, last) VALUES ('x', 'many')").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const file = path.join(dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = readFileSync(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('db.newer_than_app');
    expect((error as AppError).params).toEqual({ db: LATEST_SCHEMA_VERSION + 5, app: LATEST_SCHEMA_VERSION });
    // Not one byte changed: not even the journal-mode bytes of the header.
    expect(readFileSync(file).equals(before)).toBe(true);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'cases'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('keeps the event log append-only', () => {
    const db = openDatabase(path.join(dir, 'b.sqlite'));
    db.prepare(
      `INSERT INTO cases (id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold, birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version, rules_version)
       VALUES ('c1','N-1','district','intake','850615300012','А','Б','','а б','1985-06-15','addr','+77015551234','kk','AUE','900512400018','2026-01-01T00:00:00Z',1,'regulation-4-889-2013')`,
    ).run();
    db.prepare(
      `INSERT INTO case_events (id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash)
       VALUES ('e1','c1',1,0,'intake.registered','{}','900512400018','specialist','ab','2026-01-01T00:00:00Z',NULL,'h')`,
    ).run();
    expect(() => db.prepare("UPDATE case_events SET payload = '{\"x\":1}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM case_events').run()).toThrow(/append-only/);
    db.close();
  });
});

describe('migrations', () => {
  it('bring a version-1 database with cases to the latest version in one step, keeping its rows', () => {
    const file = path.join(dir, 'v1.sqlite');
    const raw = new Database(file);
    raw.exec(migrations[0]!.sql);
    raw.pragma('user_version = 1');
    raw.prepare(
      `INSERT INTO cases VALUES ('c1','N-1','district','intake','850615300012','А','Б','','а б','1985-06-15','addr','+77015551234','kk','AUE','900512400018','2026-01-01T00:00:00Z',1)`,
    ).run();
    raw.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT case_number, rules_version FROM cases').get()).toEqual({ case_number: 'N-1', rules_version: 'regulation-4-889-2013' });
    db.close();
  });

  it('roll back every pending migration when one fails, leaving the version as it was', () => {
    const file = path.join(dir, 'broken.sqlite');
    const raw = new Database(file);
    raw.exec(migrations[0]!.sql);
    // A table the next migration creates already exists: migration 2 must fail, and nothing of it may stay.
    raw.exec('CREATE TABLE calendar_corrections (x TEXT)');
    raw.pragma('user_version = 1');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/already exists/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(check.prepare("SELECT count(*) AS n FROM pragma_table_info('cases') WHERE name = 'rules_version'").get()).toEqual({ n: 0 });
    check.close();
  });
});
