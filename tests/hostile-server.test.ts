/**
 * Bad input from the other side: a workstation whose server answers with hostile pages, a
 * small HTTP server of this test's own. A malformed page, an event signed by a key of an unknown CA, a cursor going
 * backwards, a reference act not signed by the city department's administrator: each is refused, shown (the Sync
 * tab's problems or the round's error) and the workstation keeps its data and its cursors.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncProblems, SyncStatusView } from '../shared/contract/types';
import { initPki } from '../node/pki/ca';
import { issueStaffKey } from '../node/pki/staff-keys';
import { openKeyFile } from '../node/pki/keyfile';
import { signDetached } from '../node/pki/cms';
import { signEvents } from '../node/events';
import { signReferenceAct } from '../node/reference-acts';
import { syncState } from '../electron/services/sync/agent';
import { referenceCursor } from '../electron/services/reference-sync';
import { countCases } from '../db/repositories/cases';
import { listCorrections } from '../db/repositories/calendar';
import { makePki, nthIin, SPECIALIST, tempDir } from './helpers';
import { enrolledWorkstation } from './server-helpers';
import { samplePayload } from './event-samples';
import type { EventType } from '../shared/events/catalogue';

const tmp = tempDir('hostile');
let pki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof enrolledWorkstation>;
let hostile: Server;
/** What the hostile server answers to each path (the rest: a typed 404). */
const answers = new Map<string, (req: IncomingMessage) => unknown>();

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const serverTime = () => new Date().toISOString();
/** An honest empty page: nothing after the cursor asked for. */
const asked = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams.get('cursor') ?? '0';
const emptyPull = (req: IncomingMessage) => ({ protocol: 1, serverTime: serverTime(), cursor: asked(req), events: [], more: false });
const emptyReference = (req: IncomingMessage) => ({ protocol: 1, serverTime: serverTime(), cursor: asked(req), acts: [], more: false });

/** The first event of a new case, signed by the specialist's `key`. */
function eventOfNewCase(key: ReturnType<typeof openKeyFile>, type: string, n = 1, serverSeq = 5) {
  const certSha256 = new X509Certificate(key.chainPem[0]!).fingerprint256.replace(/:/g, '').toLowerCase();
  const [e] = signEvents(uuidv7(), { version: 0, headHash: null }, [{ id: uuidv7(), type, payload: samplePayload(type as EventType, null, n), at: serverTime() }], { iin: SPECIALIST.iin, role: 'specialist', certSha256 }, (c) => signDetached(c, key));
  return { ...e!, signature: e!.signature.toString('base64'), serverSeq };
}

/** A specialist's key of a CA this workstation does not trust. */
function foreignKey(dir: string) {
  initPki(dir);
  return openKeyFile(issueStaffKey({ dir, role: 'specialist', officeCode: 'AUE', password: 'pw', ...SPECIALIST }), 'pw');
}

const round = async () => {
  const report = await ws.sync();
  return { report, state: syncState(ws.ctx), status: (await call<SyncStatusView>('sync.status')), problems: await call<SyncProblems>('sync.problems') };
};
let token = '';
async function call<T>(method: string, input: unknown = {}): Promise<T> {
  const r = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  hostile = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const answer = answers.get(url.pathname);
      if (!answer) return json(res, 404, { error: { code: 'sync.not_found' } });
      json(res, 200, answer(req));
    });
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  ws = enrolledWorkstation(path.join(tmp.dir, 'ws'), pki.dir, 'AUE', 'W1', url);
  answers.set('/sync/v1/enrol', () => ({ protocol: 1, officeCode: 'AUE', workstationCode: 'W1', serverTime: serverTime(), highestNumbers: [] }));
  answers.set('/sync/v1/pull', emptyPull);
  answers.set('/sync/v1/reference/pull', emptyReference);
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: boolean; value: { token: string } };
  token = r.value.token;
  // The workstation's own data: a case taken here (its act waits to be sent; the hostile server never takes it).
  await call('cases.registerApplicant', { iin: nthIin('850615', 3, 2), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' });
  answers.set('/sync/v1/blobs/missing', () => ({ missing: [] }));
  answers.set('/sync/v1/push', () => ({ protocol: 1, serverTime: serverTime(), results: [] }));
}, 60_000);
afterAll(async () => {
  ws?.ctx.db.close();
  await new Promise((r) => hostile?.close(r));
  tmp.remove();
});

describe('a workstation given hostile answers by its server', () => {
  it('holds an event signed by an unknown CA\'s key with its reason, shown; no case is made of it', async () => {
    const cases = countCases(ws.ctx.db);
    // The type a case starts with here (the hold is for its signer, not its type).
    const { type } = ws.ctx.db.prepare('SELECT type FROM case_events ORDER BY seq LIMIT 1').get() as { type: string };
    const event = eventOfNewCase(foreignKey(path.join(tmp.dir, 'other-pki')), type);
    answers.set('/sync/v1/pull', () => ({ protocol: 1, serverTime: serverTime(), cursor: '5', events: [event], more: false }));
    const { report, problems } = await round();
    expect(report).toMatchObject({ completed: true, pulled: 0, held: 1 });
    expect(problems.held).toEqual([expect.objectContaining({ eventId: event.id, reason: 'signer_untrusted', type })]);
    expect(countCases(ws.ctx.db)).toBe(cases);
    expect(syncState(ws.ctx).cursor).toBe('5');
  });

  it('refuses a malformed page and a cursor going backwards whole, and keeps its cursor and data', async () => {
    const cases = countCases(ws.ctx.db);
    for (const [page, reason] of [
      [{ protocol: 1, serverTime: serverTime(), cursor: 7, events: 'x' }, 'malformed'],
      [{ protocol: 1, serverTime: serverTime(), cursor: '2', events: [], more: false }, 'cursor_backwards'],
    ] as const) {
      answers.set('/sync/v1/pull', () => page);
      const { report, state, status } = await round();
      expect(report.completed).toBe(false);
      expect(state.lastError).toEqual({ code: 'sync.hostile_answer', params: { reason } });
      expect(status).toMatchObject({ online: false, lastError: { code: 'sync.hostile_answer' } });
      expect(state.cursor).toBe('5');
    }
    // Not JSON at all.
    answers.set('/sync/v1/pull', () => '<html>proxy error</html>');
    expect((await round()).state.lastError).toMatchObject({ code: 'sync.hostile_answer', params: { reason: 'not_json' } });
    expect(countCases(ws.ctx.db)).toBe(cases);
    answers.set('/sync/v1/pull', emptyPull);
  });

  it('syncs its office with a server that predates the reference flow (no such endpoint), keeping its reference cursor', async () => {
    const was = answers.get('/sync/v1/reference/pull')!;
    answers.delete('/sync/v1/reference/pull');
    const { report } = await round();
    expect(report).toMatchObject({ completed: true, reference: { unavailable: true, pulled: 0 } });
    answers.set('/sync/v1/reference/pull', was);
  });

  it('refuses a reference act not signed by the city department\'s administrator, shows it, applies nothing', async () => {
    const districtAdmin = openKeyFile(Buffer.from(pki.issue({ role: 'admin', iin: nthIin('790101', 3, 2), surname: 'Серіков', givenName: 'Нұрлан' }), 'base64'), 'pw');
    const act = signReferenceAct({
      id: uuidv7(),
      kind: 'calendar',
      payload: { date: '2026-12-21', working: false, reason: 'не из центра' },
      source: { act: 'нет', date: '2026-12-01', assumed: true },
      at: serverTime(),
      signer: { iin: nthIin('790101', 3, 2), certSha256: new X509Certificate(districtAdmin.chainPem[0]!).fingerprint256.replace(/:/g, '').toLowerCase() },
      sign: (c) => signDetached(c, districtAdmin),
    });
    answers.set('/sync/v1/reference/pull', () => ({ protocol: 1, serverTime: serverTime(), cursor: '4', acts: [{ ...act, refSeq: 4 }], more: false }));
    const { report, problems, status, state } = await round();
    expect(state.lastError).toBeNull();
    expect(report).toMatchObject({ completed: true, reference: { pulled: 0, refused: 1 } });
    expect(problems.reference).toEqual([expect.objectContaining({ id: act.id, kind: 'calendar', reason: 'not_city_admin', origin: 'server' })]);
    expect(status.problems).toBeGreaterThanOrEqual(2);
    expect(listCorrections(ws.ctx.db)).toEqual([]);
    expect(ws.ctx.calendar().isWorkingDay('2026-12-21')).toBe(true);
    expect(referenceCursor(ws.ctx)).toBe('4');

    // An act of a kind this version does not know (a newer server): kept refused ("update Jardem"), the cursor goes on.
    const newer = { ...act, id: uuidv7(), kind: 'staff_roster', refSeq: 5 };
    answers.set('/sync/v1/reference/pull', () => ({ protocol: 1, serverTime: serverTime(), cursor: '5', acts: [newer], more: false }));
    expect((await round()).report).toMatchObject({ completed: true, reference: { refused: 1 } });
    expect((await call<SyncProblems>('sync.problems')).reference).toContainEqual(expect.objectContaining({ id: newer.id, reason: 'unknown_kind' }));
    expect(referenceCursor(ws.ctx)).toBe('5');

    // Its reference cursor going backwards, and a page whose act is no act: refused whole, cursor kept.
    for (const [page, reason] of [
      [{ protocol: 1, serverTime: serverTime(), cursor: '1', acts: [], more: false }, 'cursor_backwards'],
      [{ protocol: 1, serverTime: serverTime(), cursor: '9', acts: [{ refSeq: 9, kind: 'calendar' }], more: false }, 'malformed'],
    ] as const) {
      answers.set('/sync/v1/reference/pull', () => page);
      const r = await round();
      expect(r.report.completed).toBe(false);
      expect(r.state.lastError).toEqual({ code: 'sync.hostile_answer', params: { reason } });
      expect(referenceCursor(ws.ctx)).toBe('5');
    }
  });

  it('checks a long page\'s signatures on the verification threads: the unknown CA\'s acts held with their reason, the rest applied', async () => {
    // The test before left the reference flow answering a malformed page.
    answers.set('/sync/v1/reference/pull', emptyReference);
    const cases = countCases(ws.ctx.db);
    const { type } = ws.ctx.db.prepare('SELECT type FROM case_events ORDER BY seq LIMIT 1').get() as { type: string };
    const trusted = openKeyFile(Buffer.from(pki.issue(), 'base64'), 'pw');
    const foreign = foreignKey(path.join(tmp.dir, 'other-pki-2'));
    // Forty new cases in one page (a page this long is checked off the pull's thread), every tenth signed by the foreign CA.
    const events = Array.from({ length: 40 }, (_, i) => eventOfNewCase(i % 10 === 3 ? foreign : trusted, type, 100 + i, 10 + i));
    const refused = events.filter((_, i) => i % 10 === 3).map((e) => e.id);
    answers.set('/sync/v1/pull', () => ({ protocol: 1, serverTime: serverTime(), cursor: '49', events, more: false }));
    const { report, problems } = await round();
    expect(syncState(ws.ctx).lastError).toBeNull();
    expect(report).toMatchObject({ completed: true, pulled: 36, held: 4 });
    expect(problems.held.filter((h) => refused.includes(h.eventId)).map((h) => h.reason)).toEqual(['signer_untrusted', 'signer_untrusted', 'signer_untrusted', 'signer_untrusted']);
    expect(countCases(ws.ctx.db)).toBe(cases + 36);
    expect(syncState(ws.ctx).cursor).toBe('49');
    answers.set('/sync/v1/pull', emptyPull);
  });
});
