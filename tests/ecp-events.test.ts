import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCanonical } from '../electron/services/cases';
import type { EventRow } from '../db/repositories/cases';
import type { CaseVerification, RegisterResult } from '../shared/contract/types';
import { makePki, makeWorkstation, nthIin, tempDir } from './helpers';

const tmp = tempDir('ecp-events');
let now = Date.now();
let pki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
const applicant = { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
// Another applicant each time: a family has one open application at a time.
let applicants = 0;
const another = () => ({ ...applicant, iin: nthIin('850615', 3, 50 + applicants++) });

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir, () => new Date(now));
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
  token = r.value.token;
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

const call = (method: string, input: unknown) => ws.dispatch({ method, input, session: token });
const count = () => (ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n;
let caseId: string;

describe('signed case events', () => {
  it('the registration event is signed by the actor; openssl verifies the signature over the event’s canonical JSON', async () => {
    const r = (await call('cases.registerApplicant', applicant)) as { ok: true; value: RegisterResult };
    caseId = r.value.case.id;
    const row = ws.ctx.db.prepare('SELECT * FROM case_events WHERE case_id = ?').get(caseId) as EventRow;
    const file = path.join(tmp.dir, 'event.json');
    writeFileSync(file, eventCanonical(row));
    writeFileSync(`${file}.p7s`, row.signature!);
    const openssl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', `${file}.p7s`, '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(openssl.stderr).toContain('Verification successful');
    const v = (await call('cases.verify', { caseId })) as { ok: true; value: CaseVerification };
    expect(v.value).toMatchObject({ valid: true, problems: [] });
    expect(v.value.events[0]).toMatchObject({ seq: 1, hashOk: true, chainOk: true, roleAllowed: true, signature: { valid: true, signer: { iin: '900512400018', role: 'specialist' } } });
  });

  it('asks for the password again after the unlock runs out, storing nothing meanwhile; five wrong ones lock the key for a minute', async () => {
    now += 11 * 60_000;
    const before = count();
    expect(await call('cases.registerApplicant', another())).toEqual({ ok: false, error: { code: 'ecp.unlock_required' } });
    expect(count()).toBe(before);
    for (let i = 0; i < 4; i++) expect(await call('session.unlock', { password: 'wrong' })).toEqual({ ok: false, error: { code: 'signin.wrong_password' } });
    expect(await call('session.unlock', { password: 'wrong' })).toEqual({ ok: false, error: { code: 'ecp.key_locked', params: { seconds: 60 } } });
    // Locked: even the right password waits.
    expect(await call('session.unlock', { password: 'pw' })).toMatchObject({ ok: false, error: { code: 'ecp.key_locked' } });
    now += 61_000;
    expect((await call('session.unlock', { password: 'pw' })).ok).toBe(true);
    expect((await call('cases.registerApplicant', another())).ok).toBe(true);
    expect(count()).toBe(before + 1);
    // An unlock that has run out still signs the one act its password was typed for (within a minute), and no more.
    expect((await call('session.unlock', { password: 'pw' })).ok).toBe(true);
    now += 10 * 60_000 + 30_000;
    expect((await call('cases.registerApplicant', another())).ok).toBe(true);
    expect(await call('cases.registerApplicant', another())).toEqual({ ok: false, error: { code: 'ecp.unlock_required' } });
    expect(count()).toBe(before + 2);
  });

  it('finds and names one changed byte in an event', async () => {
    // Tampering from outside the app: a raw connection drops the append-only trigger and edits one letter.
    const raw = new Database(path.join(ws.ctx.dataDir, 'jardem.sqlite'));
    raw.exec('DROP TRIGGER case_events_append_only_update');
    raw.prepare("UPDATE case_events SET payload = replace(payload, 'Әбілқайыров', 'Әбілқайырова') WHERE case_id = ?").run(caseId);
    raw.close();
    const v = (await call('cases.verify', { caseId })) as { ok: true; value: CaseVerification };
    expect(v.value.valid).toBe(false);
    // The stored view was written from the signed act, so it now differs from what the edited log projects to.
    expect(v.value.problems).toEqual(['event:1:hash_mismatch', 'event:1:signature:content_changed', `projection:case_views:${caseId}:differs`]);
  });

  it('wipes the decrypted key when its unlock period ends, even with no signing moment', async () => {
    const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    const session = ws.ctx.sessions.get(r.value.token)!;
    expect(session.unlocked).not.toBeNull();
    now += 10 * 60_000 + 1;
    // Any call, by anyone (here a public one), sweeps; the worker also sweeps on a timer.
    await ws.dispatch({ method: 'office.status', input: {} });
    expect(session.unlocked).toBeNull();
    expect(ws.ctx.sessions.has(r.value.token)).toBe(true);
  });

  it('drops the decrypted key at sign-out', async () => {
    const session = ws.ctx.sessions.get(token)!;
    expect((await call('session.unlock', { password: 'pw' })).ok).toBe(true);
    expect(session.unlocked).not.toBeNull();
    await call('session.signOut', {});
    expect(session.unlocked).toBeNull();
  });
});
