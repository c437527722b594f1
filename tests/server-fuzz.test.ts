/**
 * Every endpoint of the central server fuzzed with generated bodies (issue 12, "Bad input"): arbitrary JSON, valid
 * requests with one part replaced by anything, bytes that are not JSON, odd content types and query strings, with a
 * real device's signature and without. Each answer is a typed 4xx error (or a 200 that refuses), never a 500, and
 * nothing is written: the counts of every table of cases, events, blobs, devices and reference data are the same
 * after as before. (The nonce of each signed request is recorded by design: that is the replay protection.)
 * fast-check with fixed seeds; a few thousand requests in all, on one server.
 */
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import { caseLog } from '../db/repositories/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { signReferenceAct } from '../node/reference-acts';
import { deviceId, signRequest } from '../node/sync-auth';
import { loadDevice, type DeviceIdentity } from '../electron/services/device';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-fuzz');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let device: DeviceIdentity;
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
  { method: 'POST', path: '/sync/v1/push', template: 'push' },
  { method: 'POST', path: '/sync/v1/reference/push', template: 'referencePush' },
  { method: 'POST', path: '/is/v1/requests', template: 'isRequest' },
];

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  device = loadDevice(w1.ctx)!;
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
