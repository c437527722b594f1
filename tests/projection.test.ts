/**
 * The event catalogue, the one commit path and the rebuild: the tables are a projection of the signed log.
 * Real SQLite files; the legacy fixture is a data folder written by the code of main as of 2026-11-25 (schema 7).
 */
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/open';
import { commitEvents, loadProjection } from '../db/commit';
import { rebuildProjections } from '../db/rebuild';
import { dumpProjections } from '../db/repositories/projection';
import { recordBlob } from '../db/repositories/blobs';
import { AppError } from '../shared/errors';
import { errorMessage } from '../shared/i18n/messages';
import { EVENT_CATALOGUE, type EventType } from '../shared/events/catalogue';
import { createContext } from '../electron/services/context';
import { verifyCase } from '../electron/services/case-integrity';
import { legalNext, registerSampleActor, SHA, sampleEvents, samplePayload } from './event-samples';
import { tempDir } from './helpers';

const tmp = tempDir('projection');
afterAll(() => tmp.remove());

const FIXTURE = path.resolve('tests/fixtures/legacy-2026-11-25');
let copies = 0;
function fixtureCopy(): string {
  const dir = path.join(tmp.dir, `legacy-${++copies}`);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Every table's rows in key order, and the log. */
const snapshot = (db: Db) => ({ ...dumpProjections(db), log: db.prepare('SELECT id FROM case_events ORDER BY case_id, seq').all(), sync: db.prepare('SELECT * FROM event_sync ORDER BY event_id').all() });

describe('a database written by main before the catalogue (schema 7)', () => {
  it('opens, migrates and rebuilds to the same tables, and every case verifies', () => {
    const dir = fixtureCopy();
    const file = path.join(dir, 'jardem.sqlite');
    const old = new Database(file, { readonly: true });
    expect(old.pragma('user_version', { simple: true })).toBe(7);
    const columns = {
      cases: 'id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold, birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version, rules_version',
      case_pages: '*',
      case_deadlines: 'case_id, deadline, started_on, due, stopped_on, met, stage, responsible_iin',
      journal: 'journal_number, case_id, office_code, registered_on, registered_by_iin, channel, applicant_iin, applicant_name, address, children, documents, responsible_iin, per_capita_tiyn, decision, decision_number, decided_on, monthly_amount_tiyn, period_from, period_to, notified_on, note',
    };
    const order = { cases: 'id', case_pages: 'page_id', case_deadlines: 'case_id, deadline, started_on', journal: 'journal_number' };
    const dump = (db: Database.Database) => Object.fromEntries(Object.entries(columns).map(([t, c]) => [t, db.prepare(`SELECT ${c} FROM ${t} ORDER BY ${order[t as keyof typeof order]}`).all()]));
    const before = dump(old);
    const events = old.prepare('SELECT count(*) AS n FROM case_events').pluck().get() as number;
    old.close();
    expect(events).toBeGreaterThan(50);

    const db = openDatabase(file);
    expect(dump(db)).toEqual(before);
    const report = rebuildProjections(db);
    expect(report).toMatchObject({ cases: 4, events, differences: [] });
    expect(dump(db)).toEqual(before);
    // Each journal row now carries when its application was received: the case's creation.
    expect(db.prepare('SELECT count(*) FROM journal j JOIN cases c ON c.id = j.case_id WHERE j.applied_at = c.created_at').pluck().get()).toBe(before.journal!.length);
    // The forms it issued are now a projection of their own: each reprints from it.
    expect((db.prepare('SELECT form FROM case_documents ORDER BY case_id, event_seq').pluck().all() as string[]).sort()).toEqual(
      ['center_receipt', 'commission_referral', 'commission_referral', 'decision', 'notice_originals', 'notification', 'receipt', 'refusal_acceptance'].sort(),
    );
    db.close();

    const ctx = createContext({ dataDir: dir, appVersion: 'test' });
    for (const id of ctx.db.prepare('SELECT id FROM cases').pluck().all() as string[]) expect(verifyCase(ctx, id).problems, id).toEqual([]);
    ctx.db.close();
  });

  it('refuses to open once a trigger of the log is dropped, naming it in kk and ru, and repairs nothing', () => {
    const dir = fixtureCopy();
    const file = path.join(dir, 'jardem.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER case_events_append_only_delete');
    raw.close();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('db.schema_damaged');
    expect(String((error as AppError).params?.objects)).toContain('trigger case_events_append_only_delete: missing');
    expect(errorMessage('ru', (error as AppError).toValue())).toMatch(/База данных повреждена.*case_events_append_only_delete/);
    expect(errorMessage('kk', (error as AppError).toValue())).toMatch(/Дерекқор зақымдалған.*case_events_append_only_delete/);
    // Still missing: the app did not put it back.
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'case_events_append_only_delete'").pluck().get()).toBe(0);
    check.close();
  });

  it('Verify case names a deleted last event, though every remaining signature is good', () => {
    const dir = fixtureCopy();
    const file = path.join(dir, 'jardem.sqlite');
    const ctx = createContext({ dataDir: dir, appVersion: 'test' });
    const closed = ctx.db.prepare("SELECT id, version FROM cases WHERE stage = 'closed'").get() as { id: string; version: number };
    expect(verifyCase(ctx, closed.id).valid).toBe(true);
    // An attacker with the file: drops the trigger and deletes the case's last event (a raw connection beside the app).
    const raw = new Database(file);
    raw.exec('DROP TRIGGER case_events_append_only_delete');
    raw.prepare('DELETE FROM event_sync WHERE event_id = (SELECT id FROM case_events WHERE case_id = ? AND seq = ?)').run(closed.id, closed.version);
    raw.prepare('DELETE FROM case_events WHERE case_id = ? AND seq = ?').run(closed.id, closed.version);
    raw.close();
    const v = verifyCase(ctx, closed.id);
    expect(v.valid).toBe(false);
    expect(v.events.every((e) => e.signature?.valid && e.hashOk && e.chainOk)).toBe(true);
    // The tables still stand on the deleted event: the case's version and head hash, its journal row and deadline.
    expect(v.problems).toContain('projection:cases:head_hash:differs,version:differs');
    expect(v.problems).toContain('projection:journal:AUE-2026-W1-00001:differs');
    ctx.db.close();
  });
});

/** An empty workstation database with the blob rows the sample events name. */
function freshDb(name: string): Db {
  const db = openDatabase(path.join(tmp.dir, `${name}.sqlite`));
  db.transaction(() => {
    for (let n = 0; n < 600; n++) recordBlob(db, SHA(n), 'application/octet-stream', 1, '2026-11-16T00:00:00Z');
    registerSampleActor(db);
  })();
  return db;
}

describe('the commit path', () => {
  const db = freshDb('commit');
  const caseId = '01930000-0000-7000-8000-000000000001';
  const [opened] = sampleEvents(caseId, null, [{ type: 'intake.registered', payload: samplePayload('intake.registered', null, 1) }]);
  commitEvents(db, caseId, 0, [opened!]);
  const refused = (events: Parameters<typeof commitEvents>[3], base = loadProjection(db, caseId)!.case.version) => {
    const before = snapshot(db);
    let error: unknown;
    try {
      commitEvents(db, caseId, base, events);
    } catch (e) {
      error = e;
    }
    expect(snapshot(db)).toEqual(before);
    return error as AppError;
  };

  it('refuses an unknown type, a failing payload, a stale version and a role not allowed, each typed, writing nothing', () => {
    const p = loadProjection(db, caseId)!;
    const unknown = refused(sampleEvents(caseId, p, [{ type: 'decision.merged' as EventType, payload: {}, role: 'specialist' }]));
    expect(unknown.toValue()).toEqual({ code: 'event.unknown_type', params: { type: 'decision.merged' } });
    const bad = refused(sampleEvents(caseId, p, [{ type: 'page.captured', payload: { ...samplePayload('page.captured', p, 10), blob: 'not-a-hash' } }]));
    expect(bad.toValue()).toEqual({ code: 'event.payload_invalid', params: { type: 'page.captured', path: 'blob' } });
    const role = refused(sampleEvents(caseId, p, [{ type: 'application.recorded', payload: samplePayload('application.recorded', p, 11), role: 'head' }]));
    expect(role.toValue()).toEqual({ code: 'event.role_not_allowed', params: { type: 'application.recorded', role: 'head' } });
    // Two acts made on the same version: the second is refused, not merged or overwritten.
    const first = sampleEvents(caseId, p, [{ type: 'application.recorded', payload: samplePayload('application.recorded', p, 12) }]);
    const second = sampleEvents(caseId, p, [{ type: 'application.recorded', payload: samplePayload('application.recorded', p, 13) }]);
    commitEvents(db, caseId, p.case.version, first);
    const stale = refused(second, p.case.version);
    expect(stale.toValue()).toEqual({ code: 'case.stale_version', params: { expected: p.case.version, actual: p.case.version + 1 } });
    for (const e of [unknown, bad, role, stale]) for (const lang of ['kk', 'ru', 'en'] as const) expect(errorMessage(lang, e.toValue())).not.toMatch(/errors\./);
    // A step out of turn is the workflow's refusal, beside its field.
    const late = refused(sampleEvents(caseId, loadProjection(db, caseId), [{ type: 'decision.signed', payload: samplePayload('decision.signed', p, 14) }]));
    expect(late).toMatchObject({ code: 'workflow.not_allowed_now' });
  });

  it('marks every committed event pending for sync, in the same transaction', () => {
    expect(db.prepare("SELECT count(*) FROM event_sync WHERE state = 'pending'").pluck().get()).toBe(db.prepare('SELECT count(*) FROM case_events').pluck().get());
  });
});

describe('property: the commit path and a rebuild give the same tables', () => {
  it('random legal sequences of acts, interleaved with illegal ones that change nothing', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), fc.boolean(), fc.nat(3)), { minLength: 1, maxLength: 45 }), fc.boolean(), (steps, center) => {
        const db = freshDb(`prop-${++run}`);
        const caseIds = ['01930000-0000-7000-8000-00000000000a', '01930000-0000-7000-8000-00000000000b'];
        let n = 20;
        for (const [pick, illegal, which] of steps) {
          const caseId = caseIds[which % 2]!;
          const p = loadProjection(db, caseId);
          const legal = legalNext(p).filter((t) => (p ? true : center ? t === 'center.intake_registered' : t === 'intake.registered'));
          const all = Object.keys(EVENT_CATALOGUE) as EventType[];
          n += 3;
          if (illegal) {
            // Not allowed now (a new case may open in either channel: both openings are legal then).
            const wrong = all.filter((t) => !legal.includes(t) && (p || !['intake.registered', 'center.intake_registered'].includes(t)));
            const type = wrong[pick % wrong.length]!;
            const before = snapshot(db);
            expect(() => commitEvents(db, caseId, p?.case.version ?? 0, sampleEvents(caseId, p, [{ type, payload: samplePayload(type, p, n) }]))).toThrow();
            expect(snapshot(db)).toEqual(before);
          } else if (legal.length > 0) {
            const type = legal[pick % legal.length]!;
            commitEvents(db, caseId, p?.case.version ?? 0, sampleEvents(caseId, p, [{ type, payload: samplePayload(type, p, n) }]));
          }
        }
        const incremental = dumpProjections(db);
        // The board's counts, kept by triggers as each commit changed the deadlines, are the open deadlines counted.
        expect(boardCounts(db, 'board_open_counts')).toEqual(boardCounts(db, 'counted'));
        const report = rebuildProjections(db);
        expect(report.differences).toEqual([]);
        expect(dumpProjections(db)).toEqual(incremental);
        expect(boardCounts(db, 'board_open_counts')).toEqual(boardCounts(db, 'counted'));
        db.close();
      }),
      { numRuns: 40, seed: 20261201 },
    );
  });
});

describe('a whole district case through the services', () => {
  it('rebuilds to the identical tables and adds no blob file', async () => {
    const { counterWorkstation } = await import('./intake-helpers');
    const { wholeDistrictCase, refusedAtAcceptance } = await import('./case-flows');
    const counter = await counterWorkstation(tempDir('projection-flow'), { families: 120 });
    await wholeDistrictCase(counter);
    await refusedAtAcceptance(counter);
    const db = counter.ws.ctx.db;
    const blobs = () => readdirSync(path.join(counter.ws.ctx.dataDir, 'blobs'), { recursive: true }).length;
    const files = blobs();
    const before = dumpProjections(db);
    expect(before.journal.length).toBe(1);
    expect((before.cases as { stage: string }[]).map((c) => c.stage).sort()).toEqual(['closed', 'refused_to_accept']);
    const report = rebuildProjections(db);
    expect(report.differences).toEqual([]);
    expect(dumpProjections(db)).toEqual(before);
    expect(blobs()).toBe(files);
    await counter.close();
  }, 120_000);
});

/** The board's kept counts, or the same counted from the open deadlines now. */
function boardCounts(db: ReturnType<typeof freshDb>, from: 'board_open_counts' | 'counted') {
  const sql =
    from === 'board_open_counts'
      ? 'SELECT side, stage, responsible_iin, due, n FROM board_open_counts ORDER BY 1, 2, 3, 4'
      : "SELECT coalesce(side, '') AS side, coalesce(stage, '') AS stage, coalesce(responsible_iin, '') AS responsible_iin, due, count(*) AS n FROM case_deadlines WHERE stopped_on IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";
  const rows = db.prepare(sql).all() as { side: string }[];
  // Every open deadline is counted on its side (never on none).
  expect(rows.filter((r) => r.side === '')).toEqual([]);
  return rows;
}
