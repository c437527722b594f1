/**
 * A root CA for the whole city: the city department's administrator adds it once, its fingerprint confirmed, as a
 * signed reference act; another workstation takes it at its next sync and a key under that root signs in there; the
 * central server accepts that person's acts. A wrong fingerprint, a GOST key and a district's administrator are
 * refused by name; a root act with a fingerprint not its own is refused by the server. Real server (PGlite, and
 * PostgreSQL when DATABASE_URL is set), two workstations, real signatures over HTTP.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import type { ReferencePushResponse } from '../shared/contract/reference-protocol';
import { errorMessage } from '../shared/i18n/messages';
import { openKeyFile } from '../node/pki/keyfile';
import { signDetached } from '../node/pki/cms';
import { signReferenceAct } from '../node/reference-acts';
import { loadDevice } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { DATA_FILES } from '../electron/services/data-files';
import { gostRoot, makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('city-trust-roots');
let pki: ReturnType<typeof makePki>;
let other: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let w2: ReturnType<typeof enrolledWorkstation>;
type Ws = typeof w1;
type Answer = { ok: boolean; value?: unknown; error?: { code: string; params?: Record<string, string | number> } };

async function signIn(ws: Ws, p12: string) {
  return (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as Answer & { value?: { token: string; identity: { roles: string[] } } };
}
const call = async (ws: Ws, token: string, method: string, input: unknown) => (await ws.dispatch({ method, input, session: token })) as Answer;

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  other = makePki(path.join(tmp.dir, 'other'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  for (const ws of [w1, w2]) expect((await ws.sync()).completed).toBe(true);
}, 120_000);
afterAll(async () => {
  for (const ws of [w1, w2]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('a root CA trusted in the whole city', () => {
  it('added once by the city department’s administrator reaches another workstation and the server; its keys then sign in and their acts are accepted', async () => {
    const rootPem = readFileSync(path.join(other.dir, 'root.crt.pem'), 'utf8');
    const issuingPem = readFileSync(path.join(other.dir, 'issuing.crt.pem'), 'utf8');
    const sha256 = new X509Certificate(rootPem).fingerprint256;
    // A specialist of the district whose key is under the other root; the office's administrator granted the role.
    const iin = nthIin('860101', 4, 1);
    const key = other.issue({ iin, surname: 'Жаңа', givenName: 'Тамыр', register: false });
    pki.grant('AUE', iin, 'specialist', 'Жаңа Тамыр');
    expect((await signIn(w2, key)).error?.code).toBe('signin.unknown_ca');

    const city = await signIn(w1, pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('820202', 3, 1), surname: 'Төлегенов', givenName: 'Болат' }));
    const token = city.value!.token;
    const input = { pem: rootPem, sha256, intermediates: [issuingPem], source: 'Приказ городского управления № 1' };
    const wrong = await call(w1, token, 'reference.addTrustRoot', { ...input, sha256: '00'.repeat(32) });
    expect(wrong.error).toMatchObject({ code: 'trust.fingerprint_mismatch' });
    expect(errorMessage('ru', wrong.error!)).toContain(sha256.replace(/:/g, '').toLowerCase());
    const gost = await call(w1, token, 'reference.addTrustRoot', { ...input, pem: gostRoot(rootPem) });
    expect(gost.error).toMatchObject({ code: 'trust.unsupported_algorithm' });
    expect(String(gost.error!.params!.algorithm)).toContain('GOST');
    // A district's administrator trusts a root on their own workstation only (jardem trust add-root), never the city's.
    const district = await signIn(w1, pki.issue({ role: 'admin', iin: nthIin('790101', 3, 2), surname: 'Серіков', givenName: 'Нұрлан' }));
    expect((await call(w1, district.value!.token, 'reference.addTrustRoot', input)).error).toMatchObject({ code: 'reference.not_city_admin' });

    const added = await call(w1, token, 'reference.addTrustRoot', input);
    expect(added).toMatchObject({ ok: true, value: { sha256: sha256.replace(/:/g, '').toLowerCase(), intermediates: 1 } });
    expect(await w1.sync()).toMatchObject({ completed: true, reference: { pushed: 1 } });
    expect(await w2.sync()).toMatchObject({ completed: true, reference: { pulled: 1 } });
    expect(readFileSync(path.join(w2.ctx.dataDir, DATA_FILES.roots), 'utf8')).toContain(new X509Certificate(rootPem).toString().trim());

    const person = await signIn(w2, key);
    expect(person).toMatchObject({ ok: true, value: { identity: { roles: ['specialist'] } } });
    const made = await call(w2, person.value!.token, 'cases.registerApplicant', { iin: nthIin('850615', 3, 1), surname: 'Әбілқайыров', givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' });
    expect(made.error).toBeUndefined();
    const round = (await w2.sync()) as { completed: boolean; pushed: number; refused: number };
    expect(round).toMatchObject({ completed: true, refused: 0 });
    expect(round.pushed).toBeGreaterThan(0);
    const signer = await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE actor_iin = $1', [iin]);
    expect(signer[0]!.n).toBeGreaterThan(0);
  });

  it('the server refuses a root act whose fingerprint is not its root’s, and trusts nothing of it', async () => {
    const admin = openKeyFile(Buffer.from(pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('820202', 3, 1), surname: 'Төлегенов', givenName: 'Болат' }), 'base64'), 'pw');
    const cert = new X509Certificate(admin.chainPem[0]!);
    const third = makePki(path.join(tmp.dir, 'third'));
    const act = signReferenceAct({
      id: crypto.randomUUID(),
      kind: 'trust_root',
      payload: { pem: readFileSync(path.join(third.dir, 'root.crt.pem'), 'utf8'), sha256: 'ab'.repeat(32), intermediates: [] },
      source: { act: 'Подложный корень', date: '2026-12-04', assumed: false },
      at: new Date().toISOString(),
      signer: { iin: nthIin('820202', 3, 1), certSha256: createHash('sha256').update(cert.raw).digest('hex') },
      sign: (c) => signDetached(c, admin),
    });
    const client = syncClient(server.url, loadDevice(w1.ctx)!, () => new Date());
    const r = await client.json<ReferencePushResponse>('POST', '/sync/v1/reference/push', { protocol: SYNC_PROTOCOL, acts: [act] });
    expect(r.value.results).toEqual([{ id: act.id, status: 'refused', reason: 'root_unusable' }]);
    expect(errorMessage('kk', { code: 'reference.refused', params: { reason: 'reference.refused.root_unusable' } })).toMatch(/түбірлік сертификат жарамсыз/);
  });
});
