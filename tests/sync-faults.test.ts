/**
 * What the fault run (tests/faults.test.ts) found in the pull, pinned on a small case (PGlite or PostgreSQL): a link
 * that breaks while a page's scans come down keeps what came. The events whose blobs arrived are applied with the
 * cursor after the last of them (never ahead of the data), the event whose blob did not come is not applied and its
 * blobs get no row (no orphan), and the next round goes on from there instead of fetching the whole page again.
 * And a push of the same events twice at once is applied once with no conflict (on PostgreSQL the two run in parallel
 * and raced; PGlite's one connection serializes them, so that part bites only in the PostgreSQL pass).
 */
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncRound, syncState } from '../electron/services/sync/agent';
import { syncCounts } from '../db/repositories/sync';
import { checkFolder } from './crash-harness';
import { makePki, nthIin, tempDir } from './helpers';
import { cuttingBatchAfter, enrolledWorkstation, isBlobBatch, startServer } from './server-helpers';

const tmp = tempDir('sync-faults');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let w2: ReturnType<typeof enrolledWorkstation>;

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
}, 120_000);
afterAll(async () => {
  for (const ws of [w1, w2]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

async function page(n: number): Promise<string> {
  const png = await sharp({ create: { width: 200, height: 140, channels: 3, background: '#fff' } })
    .composite([{ input: { create: { width: 100, height: 8, channels: 3, background: { r: 40 * n, g: 10, b: 200 - 30 * n } } }, top: 10 + 9 * n, left: 30 }])
    .png()
    .toBuffer();
  return png.toString('base64');
}

describe('a pull cut short while the scans come down', () => {
  it('applies the events whose blobs came, the cursor after them, no row for a blob whose event waits; the next round finishes', async () => {
    const signIn = (await w1.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    const call = async <T>(method: string, input: unknown) => {
      const r = (await w1.dispatch({ method, input, session: signIn.value.token })) as { ok: boolean; value: T; error?: unknown };
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    for (let n = 0; n < 4; n++) {
      const iin = nthIin('850615', 3, 200 + n);
      const c = (await call<{ case: { id: string } }>('cases.registerApplicant', { iin, surname: 'Қасымов', givenName: `Арман${n}`, birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
      await call('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: `p${n}.png`, base64: await page(n) });
    }
    expect(await w1.sync()).toMatchObject({ completed: true, waiting: 0 });
    const total = (w1.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get() as number);

    // The link goes down partway through the answer that brings W2 the files (the client's own tries fail too).
    const bytesOfFiles = w1.ctx.db.prepare('SELECT sum(size) FROM blobs').pluck().get() as number;
    const breaking = cuttingBatchAfter(Math.round(bytesOfFiles * 0.6));
    const cut = await syncRound(w2.ctx, { fetch: breaking });
    expect(cut.completed).toBe(false);
    expect(syncState(w2.ctx).lastError).toMatchObject({ code: 'sync.offline' });
    const applied = w2.ctx.db.prepare("SELECT s.server_seq AS serverSeq FROM event_sync s WHERE s.state = 'acked' ORDER BY s.server_seq").pluck().all() as number[];
    // Some came through, not all; exactly the server's line up to the cursor, nothing after it.
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.length).toBeLessThan(total);
    expect(applied).toEqual(Array.from({ length: applied.length }, (_, i) => i + 1));
    expect(syncState(w2.ctx).cursor).toBe(String(applied.at(-1)));
    const folder = checkFolder(w2.ctx.dataDir);
    expect(folder).toMatchObject({ integrity: 'ok', orphanRows: [], missingOrChanged: [] });

    // The next round takes up from the cursor: the blobs already here are not asked for again.
    const blobRows = (ws: typeof w1) => ws.ctx.db.prepare('SELECT count(*) FROM blobs').pluck().get() as number;
    const missing = blobRows(w1) - blobRows(w2);
    let asked = 0;
    const counting: typeof fetch = (url, init) => {
      if (/\/sync\/v1\/blobs\/[0-9a-f]{64}$/.test(String(url)) && init?.method === 'GET') asked++;
      if (isBlobBatch(url, init)) asked += (JSON.parse(Buffer.from(init!.body as Uint8Array).toString()) as { sha256: string[] }).sha256.length;
      return fetch(url, init);
    };
    expect(await syncRound(w2.ctx, { fetch: counting })).toMatchObject({ completed: true, waiting: 0 });
    expect(asked).toBe(missing);
    expect(w2.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get()).toBe(total);
    expect(syncCounts(w2.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
    expect(checkFolder(w2.ctx.dataDir)).toMatchObject({ integrity: 'ok', orphanRows: [], missingOrChanged: [] });
  }, 60_000);

  it('two pushes of the same events at once (a restarted workstation while the server still applies its first) are applied once, none taken for a conflict', async () => {
    const signIn = (await w1.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    for (let n = 0; n < 12; n++) {
      const iin = nthIin('850615', 3, 300 + n);
      const r = (await w1.dispatch({ method: 'cases.registerApplicant', input: { iin, surname: 'Қасымов', givenName: `Ерлан${n}`, birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' }, session: signIn.value.token })) as { ok: boolean; value: { case: { id: string } } };
      // The application recorded three times over (each a new version of the case's line).
      for (let k = 0; k < 3; k++) {
        const input = {
          caseId: r.value.case.id,
          identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
          registrationAddress: 'Алматы',
          bankAccount: { iban: 'KZ123456789012345678', bank: `Банк-${k}` },
          representative: null,
          members: [
            { id: 'm1', relation: 'applicant', iin, surname: 'Қасымов', givenName: `Ерлан${n}`, patronymic: '', birthDate: '1985-06-15' },
            { id: 'c1', relation: 'child', iin: nthIin('150722', 5, 300 + n), surname: 'Қасымов', givenName: 'Бала', patronymic: '', birthDate: '2015-07-22', birthRecord: { number: '1', date: '2015-07-30', registryOffice: 'АХАЖ', inKazakhstan: true } },
          ],
          income: [],
          applicantDataMatchBirthCertificates: true,
        };
        const recorded = (await w1.dispatch({ method: 'application.record', input, session: signIn.value.token })) as { ok: boolean; error?: unknown };
        expect(recorded.ok, JSON.stringify(recorded.error)).toBe(true);
      }
    }
    const [a, b] = await Promise.all([syncRound(w1.ctx), syncRound(w1.ctx)]);
    expect(a.completed && b.completed).toBe(true);
    expect(a.conflicts + b.conflicts).toBe(0);
    expect(syncCounts(w1.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
  }, 60_000);

  it('a case whose scan did not reach the server waits whole: its later acts are tried again with it, not refused for good', async () => {
    const signIn = (await w1.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    const call = async <T>(method: string, input: unknown) => {
      const r = (await w1.dispatch({ method, input, session: signIn.value.token })) as { ok: boolean; value: T; error?: unknown };
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    const c = (await call<{ case: { id: string } }>('cases.registerApplicant', { iin: nthIin('850615', 3, 500), surname: 'Қасымов', givenName: 'Нұрлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    expect(await w1.sync()).toMatchObject({ completed: true, waiting: 0 });
    // Two pages: the first one's upload is lost on the way (a proxy answers 200 and drops it), so the server refuses
    // the first page's act as naming a missing blob, and the second page's act after it.
    await call('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: 'a.png', base64: await page(5) });
    await call('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: 'b.png', base64: await page(6) });
    const dropping: typeof fetch = async (url, init) => {
      if (/\/sync\/v1\/blobs\/[0-9a-f]{64}$/.test(String(url)) && init?.method === 'PUT') return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      return fetch(url, init);
    };
    await syncRound(w1.ctx, { fetch: dropping });
    expect(syncCounts(w1.ctx.db)).toMatchObject({ pending: 2, refused: 0 });
    // After the retry's wait (5 s for a first try), the next round sends the scans and both acts.
    await new Promise((r) => setTimeout(r, 5_200));
    expect(await syncRound(w1.ctx)).toMatchObject({ completed: true, waiting: 0 });
    expect(syncCounts(w1.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
  }, 60_000);

  it('a request the link loses once, or a gateway\'s 503, is tried again within the round; a typed refusal is not', async () => {
    const signIn = (await w1.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    const r = (await w1.dispatch({ method: 'cases.registerApplicant', input: { iin: nthIin('850615', 3, 400), surname: 'Қасымов', givenName: 'Дәурен', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, session: signIn.value.token })) as { ok: boolean };
    expect(r.ok).toBe(true);
    const seen: string[] = [];
    let pushes = 0;
    let pulls = 0;
    const lossy: typeof fetch = async (url, init) => {
      const what = `${init?.method} ${new URL(String(url)).pathname}`;
      seen.push(what);
      if (what === 'POST /sync/v1/push' && ++pushes === 1) {
        // The server applies it, the answer is lost on the way back.
        await fetch(url, init);
        throw new TypeError('fetch failed');
      }
      if (what === 'GET /sync/v1/pull' && ++pulls === 1) return new Response('<html>503 Service Unavailable</html>', { status: 503, headers: { 'content-type': 'text/html' } });
      return fetch(url, init);
    };
    expect(await syncRound(w1.ctx, { fetch: lossy })).toMatchObject({ completed: true, pushed: 1, conflicts: 0, waiting: 0 });
    expect(seen.filter((s) => s === 'POST /sync/v1/push')).toHaveLength(2);
    expect(syncCounts(w1.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
    // A typed error from the server itself (here: a replayed nonce) ends the round at once, without tries.
    let sent = 0;
    const replaying: typeof fetch = async () => {
      sent++;
      return new Response(JSON.stringify({ error: { code: 'sync.replay', params: {} } }), { status: 409, headers: { 'content-type': 'application/json' } });
    };
    expect((await syncRound(w1.ctx, { fetch: replaying })).completed).toBe(false);
    expect(sent).toBe(1);
    expect(syncState(w1.ctx).lastError).toMatchObject({ code: 'sync.replay' });
  }, 60_000);
});
