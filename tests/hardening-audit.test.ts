/**
 * The audit trail: who signed in, who failed and who opened which case, without the applicant's data; append-only
 * in the database itself (real SQLite files and key files).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open';
import { AppError } from '../shared/errors';
import { officeDate } from '../shared/local-date';
import type { AuditList, RegisterResult } from '../shared/contract/types';
import { HEAD, makePki, SPECIALIST } from './helpers';
import { hardeningStations, applicant } from './hardening-helpers';

const { tmp, station } = hardeningStations('hardening-audit');

describe('point 15: the audit trail', () => {
  it('records sign-ins, failed sign-ins and case opens with who, when and where, no payload; the head reads it', async () => {
    const s = station('audit');
    const specialistKey = s.pki.issue();
    expect((await s.call('session.signIn', { p12Base64: specialistKey, password: 'wrong' })).ok).toBe(false);
    expect((await s.call('session.signIn', { p12Base64: makePki(path.join(tmp.dir, 'audit-other-pki')).issue(), password: 'pw' })).ok).toBe(false);
    const specialist = await s.signIn(specialistKey);
    const c = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012'), specialist);
    await s.ok('cases.get', { caseId: c.case.id }, specialist);
    await s.ok('cases.get', { caseId: c.case.id }, specialist);
    await s.ok('pages.list', { caseId: c.case.id }, specialist);
    const head = await s.signIn(s.pki.issue({ role: 'head', ...HEAD }));
    expect(await s.call('audit.list', {}, specialist)).toEqual({ ok: false, error: { code: 'forbidden' } });
    const today = officeDate(new Date(s.now()));
    const list = await s.ok<AuditList>('audit.list', { from: today, to: today }, head);
    expect(list.rows.map((r) => r.kind).reverse()).toEqual(['signin_failed', 'signin_failed', 'signin', 'case_opened', 'signin']);
    const [headIn, opened, specialistIn, otherCa, wrong] = list.rows;
    expect(wrong).toMatchObject({ kind: 'signin_failed', reason: 'signin.wrong_password', actorIin: null, workstation: 'AUE/W1', at: new Date(s.now()).toISOString() });
    expect(wrong!.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(otherCa).toMatchObject({ kind: 'signin_failed', reason: 'signin.unknown_ca' });
    expect(otherCa!.certSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(specialistIn).toMatchObject({ kind: 'signin', actorIin: SPECIALIST.iin, actorName: 'Сейітқали Әйгерім Нұрланқызы', actorRole: 'specialist' });
    expect(specialistIn!.hostName).toBeTruthy();
    expect(opened).toMatchObject({ kind: 'case_opened', actorIin: SPECIALIST.iin, caseId: c.case.id, caseNumber: c.case.caseNumber });
    expect(headIn).toMatchObject({ kind: 'signin', actorRole: 'head' });
    // No applicant's data: neither the IIN nor the name of the family.
    expect(JSON.stringify(list)).not.toMatch(/850615300012|Әбілқайыров|Нұрсұлтан|Алматы/);
    expect((await s.ok<AuditList>('audit.list', { kind: 'case_opened', caseNumber: c.case.caseNumber }, head)).total).toBe(1);
    expect((await s.ok<AuditList>('audit.list', { actorIin: HEAD.iin }, head)).total).toBe(1);
    expect((await s.ok<AuditList>('audit.list', { from: officeDate(new Date(s.now() + 86_400_000)) }, head)).total).toBe(0);
    // Once a while has passed, the same case opened again is another line.
    s.tick(16 * 60_000);
    await s.ok('cases.get', { caseId: c.case.id }, specialist);
    expect((await s.ok<AuditList>('audit.list', { kind: 'case_opened' }, head)).total).toBe(2);
    s.ws.ctx.db.close();
  });

  it('is append-only: UPDATE and DELETE are refused, and a database without its triggers is not opened', () => {
    const dataDir = path.join(tmp.dir, 'audit', 'data');
    const file = path.join(dataDir, 'jardem.sqlite');
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE audit_trail SET actor_iin = 'x'").run()).toThrow(/audit_trail is append-only/);
    expect(() => raw.prepare('DELETE FROM audit_trail').run()).toThrow(/audit_trail is append-only/);
    raw.exec('DROP TRIGGER audit_trail_append_only_delete');
    raw.close();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(String((error as AppError).params?.objects)).toContain('trigger audit_trail_append_only_delete: missing');
  });
});
