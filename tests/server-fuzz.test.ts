/**
 * Every endpoint of the central server fuzzed with generated bodies: arbitrary JSON, valid
 * requests with one part replaced by anything, bytes that are not JSON, odd content types and query strings, with a
 * real device's signature and without. Each answer is a typed 4xx error (or a 200 that refuses), never a 500, and
 * nothing is written: the counts of every table of cases, events, blobs, devices and reference data are the same
 * after as before. (The nonce of each signed request is recorded by design: that is the replay protection.)
 * fast-check with fixed seeds; a few thousand requests in all, on one server.
 * And the events themselves: every field of every event type of the catalogue given hostile values (an IIN that is
 * no IIN, a day that is no day, wrong types, removed, too long), the payload replaced by text that is not JSON or by
 * null, facts of the past naming no deadline; each correctly signed by a key of a role that may make it and pushed
 * by its office's device (a district's, a Center's). Each is refused alone with payload_invalid and the field, never
 * a 500, and nothing of it is written.
 */
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyFactsSchema, SYNC_PROTOCOL, wireEventSchema, type PushResult, type WireEvent } from '../shared/contract/sync-protocol';
import { EVENT_CATALOGUE, type EventType } from '../shared/events/catalogue';
import { PAYLOADS } from '../shared/events/payloads';
import { DEADLINES } from '../shared/domain/deadlines';
import { signEvents } from '../node/events';
import { syncClient } from '../electron/services/sync/client';
import { caseLog } from '../db/repositories/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { signReferenceAct } from '../node/reference-acts';
import { deviceId, signRequest } from '../node/sync-auth';
import { loadDevice, type DeviceIdentity } from '../electron/services/device';
import { HEAD, makePki, nthIin, tempDir } from './helpers';
import { samplePayload, SHA } from './event-samples';
import { paths, REMOVE, setAt } from './fuzz-helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-fuzz');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let device: DeviceIdentity;
let con: ReturnType<typeof enrolledWorkstation>;
const keys: Record<string, ReturnType<typeof openKeyFile>> = {};
const templates: Record<string, unknown> = {};

const TABLES = ['events', 'cases', 'blobs', 'devices', 'offices', 'office_seq', 'number_highs', 'is_answers', 'reference_acts'];
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await server.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n);
  return out;
}

interface Answer {
  status: number;
  body: unknown;
}
const statuses = new Map<number, number>();
async function send(method: string, pathWithQuery: string, body: Buffer | null, opts: { signed: boolean; contentType?: string }): Promise<Answer> {
  const bytes = body ?? Buffer.alloc(0);
  const headers: Record<string, string> = opts.signed
    ? signRequest({ method, pathWithQuery, body: bytes, device: deviceId(device), privateKeyPem: device.privateKeyPem, protocol: SYNC_PROTOCOL })
    : {};
  if (body !== null && method !== 'GET') headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${server.url}${pathWithQuery}`, { method, headers, body: method === 'GET' || body === null ? undefined : new Uint8Array(bytes) });
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // left as text: the assertion below names it
  }
  return { status: res.status, body: parsed };
}

/** A typed refusal: a 4xx with `{error: {code}}` (the simulator's `{error: 'invalid_request'}`), never a 500. */
function typed(a: Answer, where: string) {
  expect(a.status, `${where}: ${JSON.stringify(a.body).slice(0, 300)}`).toBeLessThan(500);
  if (a.status >= 400) {
    const error = (a.body as { error?: unknown })?.error;
    const code = typeof error === 'string' ? error : (error as { code?: unknown })?.code;
    expect(typeof code, `${where}: ${JSON.stringify(a.body).slice(0, 300)}`).toBe('string');
  }
}

/** A value with one part (at any depth) replaced by anything, or removed. */
const mutated = (template: unknown) =>
  fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.string({ unit: 'binary', maxLength: 40 }))).map(([picks, value]) => {
    const copy = JSON.parse(JSON.stringify(template)) as unknown;
    let node = copy as Record<string, unknown> | unknown[];
    for (let i = 0; i < picks.length; i++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[picks[i]! % keys.length]!;
      const child = (node as Record<string, unknown>)[key];
      if (i === picks.length - 1 || child === null || typeof child !== 'object') {
        if (value === undefined) delete (node as Record<string, unknown>)[key];
        else (node as Record<string, unknown>)[key] = value;
        break;
      }
      node = child as Record<string, unknown>;
    }
    return copy;
  });
const jsonBody = (template: unknown) => fc.oneof(mutated(template), mutated(template), fc.jsonValue({ maxDepth: 4 })).map((v) => Buffer.from(JSON.stringify(v) ?? 'null'));
const rawBody = fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.string({ maxLength: 200 }).map((s) => Buffer.from(`{"protocol":1,${s}`)));
const queryValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constantFrom('-1', '1e400', '0x10', '999999999999999999', '%00', '..'));

const ENDPOINTS: { method: 'GET' | 'POST' | 'PUT'; path: string; template?: string }[] = [
  { method: 'POST', path: '/sync/v1/enrol', template: 'enrol' },
  { method: 'POST', path: '/sync/v1/blobs/missing', template: 'missing' },
  { method: 'POST', path: '/sync/v1/blobs/batch', template: 'missing' },
  { method: 'POST', path: '/sync/v1/push', template: 'push' },
  { method: 'POST', path: '/sync/v1/reference/push', template: 'referencePush' },
  { method: 'POST', path: '/is/v1/requests', template: 'isRequest' },
];

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  device = loadDevice(w1.ctx)!;
  con = enrolledWorkstation(path.join(tmp.dir, 'con'), pki.dir, 'CON-AUE', 'W1', server.url);
  expect((await con.sync()).completed).toBe(true);
  const open = (p12: string) => openKeyFile(Buffer.from(p12, 'base64'), 'pw');
  keys.specialist = open(pki.issue());
  keys.head = open(pki.issue({ role: 'head', ...HEAD }));
  keys.secretary = open(pki.issue({ role: 'secretary', iin: nthIin('800101', 3, 4), surname: 'Хатшы', givenName: 'Бекзат' }));
  keys.center = open(pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга' }));
  const token = ((await w1.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { value: { token: string } }).value.token;
  const r = (await w1.dispatch({ method: 'cases.registerApplicant', session: token, input: { iin: nthIin('850615', 3, 3), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' } })) as { value: { case: { id: string } } };
  expect((await w1.sync()).completed).toBe(true);
  // Valid requests to mutate: each, sent as it is, writes nothing new (a replayed event is a duplicate).
  const e = caseLog(w1.ctx.db, r.value.case.id)[0]!;
  templates.push = { protocol: 1, events: [{ id: e.id, caseId: e.case_id, seq: e.seq, caseVersion: e.case_version, type: e.type, payload: e.payload, actor: { iin: e.actor_iin, role: e.actor_role, certSha256: e.actor_cert_sha256 }, at: e.at, prevHash: e.prev_hash, hash: e.hash, signature: Buffer.from(e.signature!).toString('base64') }] };
  templates.enrol = { protocol: 1, certsPem: [device.certPem, ...device.chainPem].join('') };
  templates.missing = { protocol: 1, sha256: [createHash('sha256').update('x').digest('hex')] };
  const admin = openKeyFile(Buffer.from(pki.issue({ role: 'admin', iin: nthIin('790101', 3, 2), surname: 'Серіков', givenName: 'Нұрлан' }), 'base64'), 'pw');
  const act = signReferenceAct({
    id: uuidv7(),
    kind: 'threshold',
    payload: { region: 'Алматы', year: 2026, quarter: 4, tiyn: 100 },
    source: { act: 'x', date: '2026-12-01', assumed: true },
    at: new Date().toISOString(),
    signer: { iin: nthIin('790101', 3, 2), certSha256: createHash('sha256').update(new X509Certificate(admin.chainPem[0]!).raw).digest('hex') },
    sign: (c) => signDetached(c, admin),
  });
  templates.referencePush = { protocol: 1, acts: [act] };
  templates.isRequest = { requestId: uuidv7(), system: 'gbd_fl', iin: '850615300012', office: 'AUE', at: new Date().toISOString() };
}, 120_000);
afterAll(async () => {
  w1?.ctx.db.close();
  con?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('every server endpoint under generated bodies', () => {
  it('answers each with a typed error or a refusal, never a 500, and writes nothing', async () => {
    const started = Date.now();
    const before = await counts();
    let sent = 0;
    for (const [i, endpoint] of ENDPOINTS.entries()) {
      for (const signed of [true, false]) {
        await fc.assert(
          fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: jsonBody(templates[endpoint.template!]) }, { weight: 1, arbitrary: rawBody }), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'), async (body, contentType) => {
            sent++;
            typed(await send(endpoint.method, endpoint.path, body, { signed, contentType }), `${endpoint.method} ${endpoint.path}`);
          }),
          { numRuns: signed ? 160 : 100, seed: 1200 + i * 2 + (signed ? 1 : 0) },
        );
      }
    }
    // Blobs by any name and any bytes; pulls by any cursor and limit (never a long wait: wait=0).
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 80 }).map(encodeURIComponent)), fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (name, bytes, signed) => {
        sent += 2;
        typed(await send('PUT', `/sync/v1/blobs/${name}`, Buffer.from(bytes), { signed, contentType: 'image/png' }), 'PUT blob');
        typed(await send('GET', `/sync/v1/blobs/${name}`, null, { signed }), 'GET blob');
      }),
      { numRuns: 200, seed: 1301 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/sync/v1/pull', '/sync/v1/reference/pull', '/is/v1/families'), queryValue, queryValue, fc.boolean(), async (route, cursor, limit, signed) => {
        sent++;
        typed(await send('GET', `${route}?cursor=${encodeURIComponent(cursor)}&limit=${encodeURIComponent(limit)}&wait=0`, null, { signed }), `GET ${route}`);
      }),
      { numRuns: 260, seed: 1302 },
    );
    expect(await counts()).toEqual(before);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(sent).toBeGreaterThanOrEqual(1900);
    console.log(JSON.stringify({ fuzz: { requests: sent, ms: Date.now() - started, statuses: Object.fromEntries(statuses) } }));
  }, 120_000);
});

/** Values no field of an event takes as they are, or that break its shape. */
const HOSTILE = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 1e308, '', ' ', [], {}, REMOVE, '000000000000', '850615300013', '0000-00-00', '2026-02-30', '2025-02-29', '2026-13-01', '2026-00', 'x', 'not-a-uuid', '\u0000', 'а'.repeat(5000), 'Z'.repeat(70)),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 30 }),
);
const NOT_JSON = ['{{', 'xx', '{"a":', 'nul', 'undefined', '{}}', "{'a':1}", 'NaN'];

describe('every field of every event type, hostile, correctly signed', () => {
  it('refuses each event alone with payload_invalid and its field, never a 500, and writes nothing of it', async () => {
    const started = Date.now();
    const before = await counts();
    /** A correctly signed event of `type` with this payload, on a case of its own (a new one for an opening act). */
    const sign = (type: EventType, payload: unknown): { event: WireEvent; center: boolean } => {
      const role = EVENT_CATALOGUE[type].roles[0]!;
      const key = keys[role]!;
      const cert = new X509Certificate(key.chainPem[0]!);
      const actor = { iin: /serialNumber=IIN(\d{12})/.exec(cert.subject)![1]!, role, certSha256: createHash('sha256').update(cert.raw).digest('hex') };
      const opening = EVENT_CATALOGUE[type].from?.includes(null) === true;
      const head = opening ? { version: 0, headHash: null } : { version: 1, headHash: SHA(7) };
      const [e] = signEvents(uuidv7(), head, [{ id: uuidv7(), type, payload, at: new Date().toISOString() }], actor, (c) => signDetached(c, key));
      return { event: { ...e!, signature: e!.signature.toString('base64') }, center: role === 'center' };
    };
    const sent: { event: WireEvent; center: boolean; legacy?: boolean }[] = [];
    let fields = 0;
    let places = 0;
    let seed = 2700;
    for (const type of Object.keys(PAYLOADS) as EventType[]) {
      const base = samplePayload(type, null, 1);
      expect(PAYLOADS[type].safeParse(base).success, type).toBe(true);
      // Every place of the payload (the payload itself included), each with two values its schema refuses.
      for (const at of paths(base)) {
        places++;
        const broken = fc.sample(HOSTILE, { numRuns: 40, seed: seed++ }).map((v) => setAt(base, at, v)).filter((p) => p !== undefined && !PAYLOADS[type].safeParse(p).success);
        if (broken.length > 0) fields++;
        for (const p of broken.slice(0, 2)) sent.push(sign(type, p));
      }
      // A payload text that is not JSON: no hash can cover it, so it travels with a correctly signed event's.
      for (const text of NOT_JSON.slice(0, 2)) sent.push({ ...sign(type, base), event: { ...sign(type, base).event, payload: text } });
      sent.push(sign(type, null));
    }
    for (const text of NOT_JSON) sent.push({ ...sign('intake.registered', {}), event: { ...sign('intake.registered', {}).event, payload: text } });
    // Facts of the past no migration froze: deadlines the regulation does not name, days that are not days.
    const ids = Object.keys(DEADLINES);
    const day = fc.oneof(fc.constantFrom('2026-11-16', '0000-00-00', '2026-02-30', '2026-13-01', ''), fc.string({ maxLength: 10 }));
    const due = fc.record({ deadline: fc.oneof(fc.constantFrom(...ids, 'x', ''), fc.string({ maxLength: 60 })), startedOn: day, due: day });
    const legacy = fc.record({ createdAt: fc.oneof(fc.constantFrom('2026-11-16T06:00:00.000Z', 'yesterday', '2026-13-01T00:00:00Z'), fc.string({ maxLength: 40 })), dues: fc.array(due, { maxLength: 20 }) }, { requiredKeys: [] });
    for (const facts of fc.sample(legacy, { numRuns: 120, seed: 2699 }).filter((l) => !legacyFactsSchema.safeParse(l).success).slice(0, 60)) {
      const e = sign('intake.registered', samplePayload('intake.registered', null, 1)).event;
      sent.push({ event: { ...e, legacy: facts }, center: false, legacy: true });
    }
    expect(fields).toBe(places);
    // Pushed by the device of the signer's office, 25 at a time: each event answered for alone.
    const clients = { district: syncClient(server.url, device, () => new Date()), center: syncClient(server.url, loadDevice(con.ctx)!, () => new Date()) };
    let refused = 0;
    for (const group of [sent.filter((s) => !s.center), sent.filter((s) => s.center)]) {
      for (let i = 0; i < group.length; i += 25) {
        const batch = group.slice(i, i + 25);
        const client = batch[0]!.center ? clients.center : clients.district;
        const results = (await client.json<{ results: PushResult[] }>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: batch.map((b) => b.event) })).value.results;
        expect(results.map((r) => r.id)).toEqual(batch.map((b) => b.event.id));
        for (const [j, r] of results.entries()) {
          const where = `${batch[j]!.event.type} ${batch[j]!.event.payload.slice(0, 200)} ${JSON.stringify(batch[j]!.event.legacy ?? null).slice(0, 200)}`;
          expect([r.status, r.reason], where).toEqual(['refused', 'payload_invalid']);
          expect(typeof r.params?.path, where).toBe('string');
          if (batch[j]!.legacy) expect(String(r.params!.path), where).toMatch(/^legacy/);
          refused++;
        }
      }
    }
    // Each event went through the wire's envelope whole: the refusals are the catalogue's, event by event.
    for (const s of sent) expect(wireEventSchema.safeParse(s.event).success).toBe(true);
    expect(await counts()).toEqual(before);
    expect(statuses.get(500) ?? 0).toBe(0);
    console.log(JSON.stringify({ eventFuzz: { events: refused, fields, ms: Date.now() - started } }));
  }, 300_000);
});
