/**
 * The central server's endpoints under bad input: each is refused
 * with a clear, typed reason and writes nothing. Also: one device per office and workstation code, a revoked device,
 * a re-enrolled workstation restoring its office's cases and continuing its numbers, two server instances on one
 * PostgreSQL alternating request by request, a schema newer than the server. PGlite, and PostgreSQL when
 * DATABASE_URL is set.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { RegisterResult, SearchResult } from '../shared/contract/types';
import { SYNC_PROTOCOL, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import { caseLog } from '../db/repositories/events';
import { signEvents } from '../node/events';
import { signDetached } from '../node/pki/cms';
import { revoke } from '../node/pki/crl';
import { openKeyFile } from '../node/pki/keyfile';
import { loadDevice } from '../electron/services/device';
import { syncClient, ServerError } from '../electron/services/sync/client';
import { syncState } from '../electron/services/sync/agent';
import { migrate, SchemaNewerError, SERVER_SCHEMA_VERSION } from '../server/src/migrations';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, onPostgres, startServer, testStore } from './server-helpers';

const tmp = tempDir('server');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let token: string;

/** One open application per family: each case here is another family's (their IINs differ). */
const another = (n: number) => ({ ...applicant, iin: nthIin('850615', 3, n + 1) });
const applicant = { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
async function call<T>(ws: typeof w1, method: string, input: unknown, session = token): Promise<T> {
  const r = (await ws.dispatch({ method, input, session })) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}
const client = (ws: typeof w1) => syncClient(server.url, loadDevice(ws.ctx)!, () => new Date());
const counts = async () => (await server.store.query<{ e: number; b: number }>('SELECT (SELECT count(*)::int FROM events) AS e, (SELECT count(*)::int FROM blobs) AS b'))[0]!;
const wire = (ws: typeof w1, caseId: string): WireEvent[] =>
  caseLog(ws.ctx.db, caseId).map((e) => ({ id: e.id, caseId: e.case_id, seq: e.seq, caseVersion: e.case_version, type: e.type, payload: e.payload, actor: { iin: e.actor_iin, role: e.actor_role, certSha256: e.actor_cert_sha256 }, at: e.at, prevHash: e.prev_hash, hash: e.hash, signature: Buffer.from(e.signature!).toString('base64') }));
async function pushed(ws: typeof w1, events: WireEvent[]) {
  return (await client(ws).json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events })).value.results;
}
/** Events on top of a case's head, signed with a staff key file (as a person's services would). */
function signedBy(p12: string, caseId: string, head: { version: number; headHash: string | null }, drafts: { type: string; payload: unknown }[]): WireEvent[] {
  const key = openKeyFile(Buffer.from(p12, 'base64'), 'pw');
  const certSha256 = createHash('sha256').update(new X509Certificate(key.chainPem[0]!).raw).digest('hex');
  const iin = /serialNumber=IIN(\d{12})/.exec(new X509Certificate(key.chainPem[0]!).subject)![1]!;
  return signEvents(caseId, head, drafts.map((d) => ({ ...d, id: uuidv7(), at: new Date().toISOString() })), { iin, role: 'specialist', certSha256 }, (c) => signDetached(c, key)).map((e) => ({ ...e, signature: e.signature.toString('base64') }));
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  token = (await call<{ token: string }>(w1, 'session.signIn', { p12Base64: pki.issue(), password: 'pw' }, undefined)).token;
  expect((await w1.sync()).completed).toBe(true);
}, 120_000);
afterAll(async () => {
  w1?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('every endpoint refuses bad input with a typed reason and writes nothing', () => {
  it('a forged signature, an unknown type, an out-of-order event, a stale version', async () => {
    const c = (await call<RegisterResult>(w1, 'cases.registerApplicant', applicant)).case;
    const [opened] = wire(w1, c.id);
    const before = await counts();
    // The signature of another event: it does not cover this one.
    const other = (await call<RegisterResult>(w1, 'cases.registerApplicant', { ...another(1), surname: 'Басқа' })).case;
    const forged = { ...opened!, signature: wire(w1, other.id)[0]!.signature };
    expect(await pushed(w1, [forged])).toEqual([{ id: opened!.id, status: 'refused', reason: 'signature_invalid', params: {} }]);
    // A changed payload: its hash no longer matches.
    expect((await pushed(w1, [{ ...opened!, payload: opened!.payload.replace('Әбілқайыров', 'Әбілқайырова') }]))[0]).toMatchObject({ status: 'refused', reason: 'hash_mismatch' });
    // An event type the catalogue does not know, properly signed.
    const unknown = signedBy(pki.issue(), uuidv7(), { version: 0, headHash: null }, [{ type: 'decision.merged', payload: {} }]);
    expect((await pushed(w1, unknown))[0]).toMatchObject({ status: 'refused', reason: 'unknown_type' });
    // Out of order: the second event of a case before its first.
    await call(w1, 'application.record', { ...(await import('./intake-helpers')).familyApplication((await import('../server/src/is-simulator/registry')).generateRegistry(7, 120), 0, c.id) });
    const [, second] = wire(w1, c.id);
    expect((await pushed(w1, [second!]))[0]).toMatchObject({ status: 'refused', reason: 'chain_broken' });
    expect(await counts()).toEqual(before);
    // In order it goes; the same push again is acknowledged, never applied twice.
    const ok = await pushed(w1, [opened!, second!]);
    expect(ok.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await pushed(w1, [opened!, second!])).map((r) => [r.status, r.serverSeq])).toEqual(ok.map((r) => ['duplicate', r.serverSeq]));
    // Another act on the version the second was made on: a conflict, never merged.
    const stale = signedBy(pki.issue(), c.id, { version: 1, headHash: opened!.hash }, [{ type: 'page.removed', payload: { pageId: uuidv7() } }]);
    expect((await pushed(w1, stale))[0]).toMatchObject({ status: 'conflict', reason: 'conflict' });
    expect((await counts()).e).toBe(before.e + 2);
    // Each refusal is stored with its reason (the last one for an event refused twice); one applied later is no
    // longer a refusal.
    const stored = await server.store.query<{ event_id: string; reason: string }>('SELECT event_id, reason FROM refusals WHERE office_code = $1', ['AUE']);
    expect(Object.fromEntries(stored.map((r) => [r.event_id, r.reason]))).toEqual({ [unknown[0]!.id]: 'unknown_type', [stale[0]!.id]: 'conflict' });
  });

  it('an event signed by a key of another office, a revoked key, a blob whose bytes do not match, a body over the limit', async () => {
    const before = await counts();
    const bosKey = pki.issue({ officeCode: 'BOS', iin: '851120400008', surname: 'Оспанова', givenName: 'Айгүл' });
    const caseNumber = `AUE-W1-2026-${String(900001).padStart(6, '0')}`;
    const opening = (p12: string) =>
      signedBy(p12, uuidv7(), { version: 0, headHash: null }, [{ type: 'intake.registered', payload: { applicant: { ...applicant, patronymic: '' }, caseNumber, channel: 'district', rulesVersion: 'regulation-4-889-2013', officeCode: 'AUE', starts: [] } }]);
    expect((await pushed(w1, opening(bosKey)))[0]).toMatchObject({ status: 'refused', reason: 'other_office' });
    const revokedKey = pki.issue({ iin: '900512400026', surname: 'Қайратова', givenName: 'Жанар' });
    revoke(pki.dir, new X509Certificate(openKeyFile(Buffer.from(revokedKey, 'base64'), 'pw').chainPem[0]!).serialNumber, 'keyCompromise');
    expect((await pushed(w1, opening(revokedKey)))[0]).toMatchObject({ status: 'refused', reason: 'signer_revoked' });
    const blob = Buffer.from('a scanned page');
    const wrongSha = createHash('sha256').update('another page').digest('hex');
    await expect(client(w1).putBlob(wrongSha, blob, 'image/png')).rejects.toMatchObject({ status: 400, code: 'sync.blob_hash_mismatch' });
    await expect(client(w1).json('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: [], padding: 'x'.repeat(17 * 1024 * 1024) })).rejects.toMatchObject({ status: 413, code: 'sync.body_too_large' });
    await expect(client(w1).json('POST', '/sync/v1/push', { protocol: 2, events: [] })).rejects.toMatchObject({ status: 400, code: 'sync.bad_request' });
    // An unsigned request, and one whose signature does not cover what it carries.
    const raw = await fetch(`${server.url}/sync/v1/pull`, { headers: { 'x-jardem-protocol': '1' } });
    expect([raw.status, ((await raw.json()) as { error: { code: string } }).error.code]).toEqual([401, 'sync.device_unknown']);
    expect(await counts()).toEqual(before);
  });

  it('a second device claiming an enrolled office and workstation code is refused; a revoked device is refused', async () => {
    const twin = enrolledWorkstation(path.join(tmp.dir, 'twin'), pki.dir, 'AUE', 'W1', server.url);
    const r = await twin.sync();
    expect(r.completed).toBe(false);
    expect(syncState(twin.ctx).lastError).toMatchObject({ code: 'sync.device_taken', params: { office: 'AUE', workstation: 'W1' } });
    twin.ctx.db.close();
    // The PKI revokes W1's device: its next request is refused.
    revoke(pki.dir, loadDevice(w1.ctx)!.serial, 'cessationOfOperation');
    await expect(client(w1).json('GET', '/sync/v1/pull?cursor=0')).rejects.toMatchObject({ status: 403, code: 'sync.device_revoked' });
  });
});

describe('a workstation lost with its disk', () => {
  it('is enrolled again with a new device once the old one is revoked, restores its office\'s cases and continues its numbers', async () => {
    // W1's device was revoked above (its disk "lost"): a new device for the same code, a fresh data folder.
    const again = enrolledWorkstation(path.join(tmp.dir, 'w1-again'), pki.dir, 'AUE', 'W1', server.url);
    const restored = await again.sync();
    expect(restored).toMatchObject({ completed: true, held: 0 });
    expect(restored.pulled).toBeGreaterThanOrEqual(2);
    const t = (await call<{ token: string }>(again, 'session.signIn', { p12Base64: pki.issue(), password: 'pw' }, undefined)).token;
    expect((await call<SearchResult>(again, 'cases.search', { query: '' }, t)).total).toBeGreaterThanOrEqual(1);
    // The server held number 000003 of W1's cases this year (three cases were registered, one pushed); the next is above.
    const next = (await call<RegisterResult>(again, 'cases.registerApplicant', another(2), t)).case.caseNumber;
    const highest = (await server.store.query<{ last: number }>("SELECT last FROM number_highs WHERE office_code = 'AUE' AND scope LIKE 'case/AUE/W1/%'"))[0]!.last;
    expect(Number(next.slice(-6))).toBe(highest + 1);
    again.ctx.db.close();
  });
});

describe('the server is stateless', () => {
  it.runIf(onPostgres)('two instances on one PostgreSQL, alternating request by request, serve one workstation as one server', async () => {
    const second = await startServer(pki.dir, tmp.dir, { store: server.store });
    const w3 = enrolledWorkstation(path.join(tmp.dir, 'w3'), pki.dir, 'AUE', 'W3', server.url);
    const served = [0, 0];
    // Each request goes to the other instance than the one before.
    const alternate: typeof fetch = (input, init) => {
      const i = (served[0]! + served[1]!) % 2;
      served[i]!++;
      return fetch(String(input).replace(/^http:\/\/127\.0\.0\.1:\d+/, i ? second.url : server.url), init);
    };
    const { syncRound } = await import('../electron/services/sync/agent');
    const t = (await call<{ token: string }>(w3, 'session.signIn', { p12Base64: pki.issue(), password: 'pw' }, undefined)).token;
    let pushedInAll = 0;
    for (let i = 0; i < 4; i++) {
      await call(w3, 'cases.registerApplicant', { ...another(10 + i), surname: `Екі${i}` }, t);
      const r = await syncRound(w3.ctx, { fetch: alternate });
      expect(r).toMatchObject({ completed: true, refused: 0, conflicts: 0 });
      pushedInAll += r.pushed;
    }
    expect(pushedInAll).toBe(4);
    expect(served[0]).toBeGreaterThan(3);
    expect(served[1]).toBeGreaterThan(3);
    // The other instance sees what the first applied: one store, no state of its own.
    expect((await second.store.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE office_code = 'AUE' AND case_number LIKE 'AUE-W3-%'"))[0]!.n).toBe(4);
    await second.app.close();
    w3.ctx.db.close();
  });

  it('refuses a schema newer than the server, and migrates once when two instances start together', async () => {
    const own = await testStore(path.join(tmp.dir, 'newer'));
    await Promise.all([migrate(own.store), migrate(own.store)]);
    expect((await own.store.query<{ version: number }>('SELECT version FROM server_schema'))[0]!.version).toBe(SERVER_SCHEMA_VERSION);
    await own.store.query('UPDATE server_schema SET version = $1', [SERVER_SCHEMA_VERSION + 1]);
    await expect(migrate(own.store)).rejects.toBeInstanceOf(SchemaNewerError);
    await own.drop();
    rmSync(path.join(tmp.dir, 'newer'), { recursive: true, force: true });
    void ServerError;
    // A fresh PGlite takes seconds to start on a loaded machine.
  }, 90_000);
});
