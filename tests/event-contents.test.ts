/**
 * The server, a pulling workstation and Verify case hold an event's contents to the rules the forms hold a person's
 * typing to (shared/events/payloads.ts, the catalogue's schemas; shared/contract/sync-protocol.ts, the wire's facts
 * of the past): a valid IIN, real calendar dates, deadlines the regulation names. An event that breaks them, however
 * well signed, is refused alone with a reason, and the other events of the same push go on. A payload that is not
 * JSON at all, or is JSON null, is the same: a refusal of that event, never a server error, from a district's device
 * and from a Center's. Real PKI, real signatures, real HTTP, PGlite (PostgreSQL with DATABASE_URL).
 */
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL, type PushResult, type WireEvent } from '../shared/contract/sync-protocol';
import { CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import type { CaseVerification } from '../shared/contract/types';
import { appendEventRow, caseLog } from '../db/repositories/events';
import { heldEvents } from '../db/repositories/sync';
import { signEvents } from '../node/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { loadDevice } from '../electron/services/device';
import { syncClient, ServerError } from '../electron/services/sync/client';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('event-contents');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let w2: ReturnType<typeof enrolledWorkstation>;
let con: ReturnType<typeof enrolledWorkstation>;
let specialistKey: string;
let centerKey: string;
let n = 0;

const CENTER = { role: 'center' as const, officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна' };

/** Events on top of a case's head, signed with a staff key file as a person's services sign them. */
function signed(p12: string, caseId: string, head: { version: number; headHash: string | null }, drafts: { type: string; payload: unknown }[]): WireEvent[] {
  const key = openKeyFile(Buffer.from(p12, 'base64'), 'pw');
  const cert = new X509Certificate(key.chainPem[0]!);
  const certSha256 = createHash('sha256').update(cert.raw).digest('hex');
  const iin = /serialNumber=IIN(\d{12})/.exec(cert.subject)![1]!;
  const role = p12 === centerKey ? 'center' : 'specialist';
  return signEvents(caseId, head, drafts.map((d) => ({ ...d, id: uuidv7(), at: new Date().toISOString() })), { iin, role, certSha256 }, (c) => signDetached(c, key)).map((e) => ({ ...e, signature: e.signature.toString('base64') }));
}

/** An opening act of a new case (district or Center), with the applicant changed as `applicant` says. */
function opening(p12: string, applicant: Record<string, unknown> = {}): WireEvent {
  const center = p12 === centerKey;
  const payload = {
    applicant: { iin: nthIin('850615', 3, ++n), surname: 'Сейітова', givenName: 'Әйгерім', patronymic: '', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk', ...applicant },
    caseNumber: `${center ? 'CON-AUE' : 'AUE'}-W1-2026-${String(700_000 + n).padStart(6, '0')}`,
    channel: center ? 'center' : 'district',
    rulesVersion: CURRENT_RULES_VERSION,
    officeCode: 'AUE',
    ...(center ? { centerCode: 'CON-AUE' } : {}),
    starts: [],
  };
  return signed(p12, uuidv7(), { version: 0, headHash: null }, [{ type: center ? 'center.intake_registered' : 'intake.registered', payload }])[0]!;
}

async function push(ws: typeof w1, events: WireEvent[]): Promise<PushResult[]> {
  const r = await syncClient(server.url, loadDevice(ws.ctx)!, () => new Date()).json<{ results: PushResult[] }>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events });
  return r.value.results;
}
const serverCase = async (caseId: string) => (await server.store.query('SELECT 1 FROM cases WHERE case_id = $1', [caseId])).length;
const serverEvent = async (id: string) => (await server.store.query('SELECT 1 FROM events WHERE id = $1', [id])).length;

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  con = enrolledWorkstation(path.join(tmp.dir, 'con'), pki.dir, 'CON-AUE', 'W1', server.url);
  specialistKey = pki.issue();
  centerKey = pki.issue(CENTER);
  for (const ws of [w1, w2, con]) expect((await ws.sync()).completed).toBe(true);
}, 120_000);
afterAll(async () => {
  for (const ws of [w1, w2, con]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('the server refuses, event by event, what the forms refuse', () => {
  it('an IIN that is no IIN, a birth date that is no date, facts of the past naming no deadline: each refused with its field, the rest applied', async () => {
    const good = opening(specialistKey);
    const zeros = opening(specialistKey, { iin: '000000000000' });
    const checksum = opening(specialistKey, { iin: '850615300013' });
    const noDay = opening(specialistKey, { birthDate: '2026-02-30' });
    const x = { ...opening(specialistKey), legacy: { dues: Array.from({ length: 20 }, () => ({ deadline: 'x', startedOn: '2026-11-16', due: '2026-11-20' })) } };
    const zeroDue = { ...opening(specialistKey), legacy: { dues: [{ deadline: 'decision', startedOn: '0000-00-00', due: '2026-11-20' }] } };
    const notInstant = { ...opening(specialistKey), legacy: { createdAt: 'yesterday' } };
    const last = opening(specialistKey);
    const results = await push(w1, [good, zeros, checksum, noDay, x, zeroDue, notInstant, last]);
    expect(results.map((r) => [r.status, r.reason, r.params?.path])).toEqual([
      ['applied', undefined, undefined],
      ['refused', 'payload_invalid', 'applicant.iin'],
      ['refused', 'payload_invalid', 'applicant.iin'],
      ['refused', 'payload_invalid', 'applicant.birthDate'],
      ['refused', 'payload_invalid', 'legacy.dues.0.deadline'],
      ['refused', 'payload_invalid', 'legacy.dues.0.startedOn'],
      ['refused', 'payload_invalid', 'legacy.createdAt'],
      ['applied', undefined, undefined],
    ]);
    for (const e of [zeros, checksum, noDay, x, zeroDue, notInstant]) {
      expect(await serverCase(e.caseId), e.id).toBe(0);
      expect(await serverEvent(e.id), e.id).toBe(0);
    }
    // Each refusal is stored with its reason, as every refusal is.
    const stored = await server.store.query<{ reason: string }>('SELECT reason FROM refusals WHERE event_id = ANY($1)', [[zeros.id, x.id]]);
    expect(stored.map((r) => r.reason)).toEqual(['payload_invalid', 'payload_invalid']);
  });

  for (const device of ['district', 'center'] as const) {
    it(`a payload that is not JSON, or is null, from a ${device} device: that event refused, the others applied`, async () => {
      const ws = device === 'district' ? w1 : con;
      const key = device === 'district' ? specialistKey : centerKey;
      const base = opening(key);
      // Not JSON: no hash can cover it, so it is sent as a forger would, with another event's hash and signature.
      const curly = { ...opening(key), payload: '{{' };
      const xx = { ...opening(key), payload: 'xx' };
      // null, correctly hashed and signed.
      const type = device === 'district' ? 'intake.registered' : 'center.intake_registered';
      const [nul] = signed(key, uuidv7(), { version: 0, headHash: null }, [{ type, payload: null }]);
      const array = signed(key, uuidv7(), { version: 0, headHash: null }, [{ type, payload: [1, 2] }])[0]!;
      const after = opening(key);
      const results = await push(ws, [base, curly, xx, nul!, array, after]);
      expect(results.map((r) => [r.id, r.status, r.reason])).toEqual([
        [base.id, 'applied', undefined],
        [curly.id, 'refused', 'payload_invalid'],
        [xx.id, 'refused', 'payload_invalid'],
        [nul!.id, 'refused', 'payload_invalid'],
        [array.id, 'refused', 'payload_invalid'],
        [after.id, 'applied', undefined],
      ]);
      for (const e of [curly, xx, nul!, array]) expect(await serverEvent(e.id)).toBe(0);
    });
  }

  it('a push whose envelope is broken is refused whole, with the field (not a server error)', async () => {
    const e = opening(specialistKey);
    await expect(push(w1, [{ ...e, payload: 42 as unknown as string }])).rejects.toMatchObject({ status: 400, code: 'sync.bad_request' });
    await expect(push(w1, [{ ...e, payload: 42 as unknown as string }])).rejects.toBeInstanceOf(ServerError);
    expect(await serverEvent(e.id)).toBe(0);
  });
});

describe('a workstation pulling, and Verify case, refuse the same', () => {
  it('an event a server applied before these rules is held by the pulling workstation with its reason, and named by Verify case', async () => {
    // A server that applied it before: the event is in its log as it came.
    const bad = opening(specialistKey, { iin: '000000000000' });
    const seq = Number((await server.store.query<{ last: number }>("INSERT INTO office_seq (office_code, last) VALUES ('AUE', 1) ON CONFLICT (office_code) DO UPDATE SET last = office_seq.last + 1 RETURNING last"))[0]!.last);
    await server.store.query(
      `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature, legacy, device, flags)
       VALUES ('AUE', $1, $2, $3, 1, 0, $4, $5, $6, $7, $8, $9, NULL, $10, $11, NULL, 'AUE/W1', '[]')`,
      [seq, bad.id, bad.caseId, bad.type, bad.payload, bad.actor.iin, bad.actor.role, bad.actor.certSha256, bad.at, bad.hash, Buffer.from(bad.signature, 'base64')],
    );
    await w2.sync();
    expect(w2.ctx.db.prepare('SELECT count(*) FROM case_events WHERE id = ?').pluck().get(bad.id)).toBe(0);
    const held = heldEvents(w2.ctx.db).find((h) => h.eventId === bad.id);
    expect(held).toMatchObject({ reason: 'payload_invalid' });
    expect(JSON.parse(held!.params)).toMatchObject({ path: 'applicant.iin' });

    // An act in a workstation's own log (written past the commit path, as by an older version) with a member whose
    // IIN is no IIN: Verify case names it, and nothing else (its hash and signature are sound).
    const token = ((await w1.dispatch({ method: 'session.signIn', input: { p12Base64: specialistKey, password: 'pw' } })) as { value: { token: string } }).value.token;
    const applicant = { iin: nthIin('850615', 3, ++n), surname: 'Сейітова', givenName: 'Әйгерім', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
    const c = ((await w1.dispatch({ method: 'cases.registerApplicant', session: token, input: applicant })) as { value: { case: { id: string } } }).value.case;
    const head = caseLog(w1.ctx.db, c.id).at(-1)!;
    const member = (id: string, relation: string, iin: string, birthDate: string) => ({ id, relation, iin, surname: 'Сейітова', givenName: 'Әйгерім', patronymic: '', birthDate });
    const application = {
      identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
      registrationAddress: 'Алматы',
      bankAccount: { iban: 'KZ123456789012345678', bank: 'Halyk Bank' },
      representative: null,
      members: [member('m1', 'applicant', applicant.iin, '1985-06-15'), member('c1', 'child', '000000000000', '2015-06-15')],
      income: [],
      applicantDataMatchBirthCertificates: true,
    };
    const [act] = signed(specialistKey, c.id, { version: head.seq, headHash: head.hash }, [{ type: 'application.recorded', payload: { application } }]);
    appendEventRow(w1.ctx.db, { ...act!, signature: Buffer.from(act!.signature, 'base64') }, { state: 'pending' });
    const v = (await w1.dispatch({ method: 'cases.verify', session: token, input: { caseId: c.id } })) as { ok: boolean; value: CaseVerification };
    expect(v.ok).toBe(true);
    expect(v.value.valid).toBe(false);
    expect(v.value.problems.filter((p) => p.startsWith('event:'))).toEqual([`event:${act!.seq}:event.payload_invalid`]);
  });
});
