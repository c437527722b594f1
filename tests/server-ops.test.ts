/**
 * The server as its operators see it, after a real sync (the server over PGlite, or PostgreSQL when DATABASE_URL is
 * set; two workstations with their own SQLite files and device keys; real HTTP): its Prometheus metrics count what
 * the sync did (accepted, refused by reason, conflicts, each device's lag), and its JSON log names the request,
 * office and workstation but never an IIN, a person's name or a key of the cases that went through it.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import { caseLog } from '../db/repositories/events';
import { loadDevice } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { redactText } from '../server/src/ops/logging';
import { HEAD, SPECIALIST, makePki, nthIin, tempDir } from './helpers';
import { acceptedCase, familyApplication } from './intake-helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-ops');
const THIRD = nthIin('850615', 3, 11);
const FOURTH = nthIin('850615', 3, 12);
const registry = generateRegistry(7, 120);
const lines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let w2: ReturnType<typeof enrolledWorkstation>;
type Call = <T>(method: string, input: unknown) => Promise<T>;

async function signedIn(ws: typeof w1, p12: string): Promise<Call> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string } };
  return async <T>(method: string, input: unknown) => {
    const x = (await ws.dispatch({ method, input, session: r.value.token })) as { ok: boolean; value?: T; error?: unknown };
    if (!x.ok) throw new Error(`${method}: ${JSON.stringify(x.error)}`);
    return x.value as T;
  };
}
const wire = (ws: typeof w1, caseId: string): WireEvent[] =>
  caseLog(ws.ctx.db, caseId).map((e) => ({ id: e.id, caseId: e.case_id, seq: e.seq, caseVersion: e.case_version, type: e.type, payload: e.payload, actor: { iin: e.actor_iin, role: e.actor_role, certSha256: e.actor_cert_sha256 }, at: e.at, prevHash: e.prev_hash, hash: e.hash, signature: Buffer.from(e.signature!).toString('base64') }));

/** One sample of the scrape: the value of `name` with exactly these labels (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (have.length === want.length && want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}
const scrape = async () => {
  const r = await fetch(`${server.url}/metrics`);
  expect(r.headers.get('content-type')).toContain('text/plain');
  return r.text();
};

let pushedByW1 = 0;
let familyIins: string[] = [];
let familyNames: string[] = [];

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir, { ops: { log: { level: 'debug', stream: logStream } } });
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  const s1 = await signedIn(w1, pki.issue());
  const s2 = await signedIn(w2, pki.issue({ role: 'head', ...HEAD }));
  // A case taken at the counter (applicant, family, scans, the information systems' answers), synced both ways.
  const { c } = await acceptedCase(s1, w1.ctx, registry, 3);
  const family = familyApplication(registry, 3, c.id);
  familyIins = family.members.map((m) => m.iin);
  familyNames = family.members.flatMap((m) => [m.surname, m.givenName]).filter((n) => n.length > 2);
  const first = await w1.sync();
  expect(first).toMatchObject({ completed: true, refused: 0 });
  pushedByW1 = first.pushed;
  expect(await w2.sync()).toMatchObject({ completed: true, pulled: first.pushed });
  // Two acts on one version: W1's holds the place, W2's is kept as a conflict.
  const s2spec = await signedIn(w2, pki.issue({ iin: '900512400026', surname: 'Қайратова', givenName: 'Жанар' }));
  const other = (await s1<{ case: { id: string } }>('cases.registerApplicant', { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
  expect((await w1.sync()).pushed).toBe(1);
  await w2.sync();
  const application = familyApplication(registry, 7, other.id);
  familyIins.push('850615300012', THIRD, ...application.members.map((m) => m.iin));
  familyNames.push('Әбілқайыров', ...application.members.flatMap((m) => [m.surname, m.givenName]).filter((n) => n.length > 2));
  await s1('application.record', application);
  await s2spec('application.record', { ...application, registrationAddress: 'Алматы қ., Әуезов ауданы, 5-шағынаудан, 12' });
  expect(await w1.sync()).toMatchObject({ pushed: 1, conflicts: 0 });
  expect(await w2.sync()).toMatchObject({ completed: true, conflicts: 1 });
  // A changed payload pushed as it is: refused (its hash no longer matches); the true one follows in the next round.
  const third = (await s1<{ case: { id: string } }>('cases.registerApplicant', { iin: THIRD, surname: 'Тестов', givenName: 'Тест', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
  const [opened] = wire(w1, third.id);
  const tampered = { ...opened!, payload: opened!.payload.replace('Тестов', 'Тестова') };
  const client = syncClient(server.url, loadDevice(w1.ctx)!, () => new Date());
  const results = (await client.json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: [tampered] })).value.results;
  expect(results[0]).toMatchObject({ status: 'refused', reason: 'hash_mismatch' });
  await w1.sync();
  await w2.sync();
  void s2;
}, 300_000);
afterAll(async () => {
  for (const ws of [w1, w2]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('metrics after a real sync', () => {
  it('count the accepted, refused and conflicting events, each device lag and the routes that served them', async () => {
    const text = await scrape();
    // Every event the office holds went through this server's push.
    const held = (await server.store.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE office_code = 'AUE'"))[0]!.n;
    expect(held).toBe(pushedByW1 + 3);
    expect(sample(text, 'jardem_events_accepted_total', { office: 'AUE' })).toBe(held);
    expect(sample(text, 'jardem_events_refused_total', { office: 'AUE', reason: 'hash_mismatch' })).toBe(1);
    expect(sample(text, 'jardem_conflicts_total', { office: 'AUE' })).toBe(1);
    const head = (await server.store.query<{ last: number }>("SELECT last FROM office_seq WHERE office_code = 'AUE'"))[0]!.last;
    expect(sample(text, 'jardem_office_last_event_seq', { office: 'AUE' })).toBe(head);
    expect(sample(text, 'jardem_office_last_event_timestamp_seconds', { office: 'AUE' })).toBeGreaterThan(0);
    // Both pulled to the end in their last round: nothing behind.
    for (const ws of ['W1', 'W2']) {
      expect(sample(text, 'jardem_device_lag_events', { office: 'AUE', workstation: ws })).toBe(0);
      expect(sample(text, 'jardem_device_last_pull_timestamp_seconds', { office: 'AUE', workstation: ws })).toBeGreaterThan(0);
    }
    expect(sample(text, 'jardem_http_request_duration_seconds_count', { route: '/sync/v1/push', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(4);
    // Nothing waits once the pushes are answered.
    expect(sample(text, 'jardem_verification_queue', {})).toBe(0);
    expect(sample(text, 'jardem_office_batch_waiting_runs', {})).toBe(0);
    expect(text).toContain('jardem_db_pool_connections{state="total"}');
  });

  it('show a device falling behind as its office moves on', async () => {
    const s1 = await signedIn(w1, pki.issue());
    await s1('cases.registerApplicant', { iin: FOURTH, surname: 'Тестов', givenName: 'Тест', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' });
    expect((await w1.sync()).pushed).toBe(1);
    const text = await scrape();
    expect(sample(text, 'jardem_device_lag_events', { office: 'AUE', workstation: 'W2' })).toBe(1);
    expect(sample(text, 'jardem_device_lag_events', { office: 'AUE', workstation: 'W1' })).toBe(0);
  });
});

describe('the JSON log of that sync', () => {
  it('binds each request to its id, office and workstation', () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const pushes = parsed.filter((l) => (l.req as { route?: string } | undefined)?.route === '/sync/v1/push');
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes[0]).toMatchObject({ office: 'AUE', workstation: expect.stringMatching(/^W[12]$/), reqId: expect.any(String) });
    expect(parsed.some((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 200 && typeof l.responseTime === 'number')).toBe(true);
    // One line a request, when it is answered: each line of a request carries its answer, and no request id twice.
    const requests = parsed.filter((l) => l.req !== undefined);
    expect(requests.every((l) => typeof (l.res as { statusCode?: number } | undefined)?.statusCode === 'number')).toBe(true);
    expect(new Set(requests.map((l) => l.reqId)).size).toBe(requests.length);
  });

  it('holds no IIN of the family or the staff, no name, no key', () => {
    const all = lines.join('\n');
    expect(familyIins.length).toBeGreaterThan(4);
    for (const iin of [...familyIins, SPECIALIST.iin, HEAD.iin, '900512400026']) expect(all).not.toContain(iin);
    for (const name of [...familyNames, SPECIALIST.surname, HEAD.surname, 'Қайратова']) expect(all).not.toContain(name);
    expect(all).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    expect(all).not.toContain(process.env.JARDEM_DEVICE_PASSPHRASE!);
  });

  it('masks what would otherwise reach a line: an IIN in a message, a PEM block', () => {
    expect(redactText('case of 850615300012 refused')).toBe('case of ********0012 refused');
    expect(redactText('key -----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY----- end')).toBe('key [pem removed] end');
    expect(redactText('cursor=1234567890123')).toBe('cursor=1234567890123');
  });
});
