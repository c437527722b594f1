/**
 * A new workstation's long first pull (PGlite or PostgreSQL, a real server): a scan whose download is cut halfway
 * resumes from what arrived (an HTTP range, only the rest transferred), the next page's files come while a page is
 * applied, and the pull tells the screens what has arrived of how much, ending with nothing under way. Verdicts a
 * page's signatures got as it came are not used once a newer CRL has been loaded.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushEvent } from '../shared/contract/push';
import type { SyncProgress } from '../shared/contract/types';
import { syncRound } from '../electron/services/sync/agent';
import { partialFile } from '../electron/services/sync/blob-frames';
import { blobPath } from '../electron/services/blob-store';
import { normalizeSerial, openKeyFile } from '../node/pki/keyfile';
import type { TrustStore } from '../node/pki/trust';
import { makePki, nthIin, tempDir } from './helpers';
import { cuttingBatchAfter, enrolledWorkstation, isBlobBatch, startServer } from './server-helpers';

const tmp = tempDir('pull-resume');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
/** The key W1's acts are signed with. */
let signerP12: string;

/** A noisy page: its PNG does not compress, so its download takes several chunks. */
async function noisyPage(seed: number): Promise<string> {
  const pixels = Buffer.alloc(500 * 500 * 3);
  for (let i = 0, x = seed * 2654435761; i < pixels.length; i++) pixels[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return (await sharp(pixels, { raw: { width: 500, height: 500, channels: 3 } }).png().toBuffer()).toString('base64');
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  signerP12 = pki.issue();
  const signIn = (await w1.dispatch({ method: 'session.signIn', input: { p12Base64: signerP12, password: 'pw' } })) as { ok: true; value: { token: string } };
  const call = async <T>(method: string, input: unknown) => {
    const r = (await w1.dispatch({ method, input, session: signIn.value.token })) as { ok: boolean; value: T; error?: unknown };
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  for (let n = 0; n < 3; n++) {
    const c = (await call<{ case: { id: string } }>('cases.registerApplicant', { iin: nthIin('850615', 3, 300 + n), surname: 'Сейтов', givenName: `Ержан${n}`, birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    await call('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: `p${n}.png`, base64: await noisyPage(n) });
  }
  expect(await w1.sync()).toMatchObject({ completed: true, waiting: 0 });
}, 120_000);
afterAll(async () => {
  w1?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

const isBlobGet = (url: unknown, init?: RequestInit) => /\/sync\/v1\/blobs\/[0-9a-f]{64}$/.test(String(url)) && init?.method === 'GET';
const isBatch = isBlobBatch;
const batchShas = (init?: RequestInit) => (JSON.parse(Buffer.from(init!.body as Uint8Array).toString()) as { sha256: string[] }).sha256;

/** What the services tell the screens, seen first by `see` (which may throw, as a screen gone at that moment). */
function seePushes(ctx: { push: (e: PushEvent) => void }, see: (e: PushEvent) => unknown): void {
  const push = ctx.push;
  ctx.push = (e) => {
    see(e);
    push(e);
  };
}

/**
 * Each answer of files slow to begin (300 ms): the next page has long come when it ends. Logs `files <shas>` when
 * one is asked for and `answered` when it begins.
 */
const slowFiles =
  (log: string[]): typeof fetch =>
  async (url, init) => {
    if (!isBatch(url, init)) return fetch(url, init);
    log.push(`files ${batchShas(init).join()}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await fetch(url, init);
    log.push('answered');
    return response;
  };

describe('a long first pull', () => {
  it('resumes a scan cut halfway from what arrived, asking only for the rest', async () => {
    const w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
    const pageBlob = w1.ctx.db.prepare("SELECT blob_sha256 FROM case_pages ORDER BY rowid LIMIT 1").pluck().get() as string;
    // The link drops after 20 KB of the answer that brings the files, many to an answer.
    const cutting = cuttingBatchAfter(20_000);
    const cut = await syncRound(w2.ctx, { fetch: cutting });
    expect(cut.completed).toBe(false);
    // The file the answer was in when it broke keeps what arrived of it.
    const parts = readdirSync(path.dirname(partialFile(w2.ctx.dataDir, pageBlob))).filter((f) => f.endsWith('.part'));
    expect(parts).toHaveLength(1);
    const begun = parts[0]!.slice(0, 64);
    const size = statSync(blobPath(w1.ctx.dataDir, begun)).size;
    const kept = statSync(partialFile(w2.ctx.dataDir, begun)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(size);

    const ranges: { url: string; range: string | null; status: number; bytes: number }[] = [];
    const watching: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      if (!isBlobGet(url, init)) return response;
      const bytes = Buffer.from(await response.arrayBuffer());
      ranges.push({ url: String(url), range: new Headers(init?.headers).get('range'), status: response.status, bytes: bytes.length });
      return new Response(bytes, { status: response.status, headers: response.headers });
    };
    expect(await syncRound(w2.ctx, { fetch: watching })).toMatchObject({ completed: true });
    expect(ranges).toEqual([{ url: expect.stringContaining(begun), range: `bytes=${kept}-`, status: 206, bytes: size - kept }]);
    expect(existsSync(partialFile(w2.ctx.dataDir, begun))).toBe(false);
    const caseId = w1.ctx.db.prepare('SELECT case_id FROM case_pages WHERE blob_sha256 = ?').pluck().get(pageBlob) as string;
    const signIn = (await w2.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    const verified = (await w2.dispatch({ method: 'cases.verify', input: { caseId }, session: signIn.value.token })) as { ok: true; value: { valid: boolean } };
    expect(verified.value.valid).toBe(true);
    w2.ctx.db.close();
  }, 60_000);

  it('asks for the next page while a page\'s files come; a page whose file fails keeps only the events before it', async () => {
    const w4 = enrolledWorkstation(path.join(tmp.dir, 'w4'), pki.dir, 'AUE', 'W4', server.url);
    const total = w1.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get() as number;
    const asked: string[] = [];
    const answers: string[] = [];
    // The second answer of files never comes (the link drops on it, at every try).
    const failing: typeof fetch = async (url, init) => {
      if (String(url).includes('/sync/v1/pull?')) asked.push('pull');
      if (isBatch(url, init)) {
        asked.push('files');
        const these = batchShas(init).join();
        if (!answers.includes(these)) answers.push(these);
        if (these === answers[1]) throw new TypeError('fetch failed');
      }
      return fetch(url, init);
    };
    const cut = await syncRound(w4.ctx, { fetch: failing, pageSize: 2 });
    expect(cut.completed).toBe(false);
    // The page after the one being fetched was already asked for when its files were asked for.
    const firstFiles = asked.indexOf('files');
    expect(asked.slice(0, firstFiles).filter((a) => a === 'pull').length).toBeGreaterThanOrEqual(2);
    // Nothing is applied without its files, and nothing after the event that names the missing one.
    const here = w4.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get() as number;
    expect(here).toBeGreaterThan(0);
    expect(here).toBeLessThan(total);
    for (const sha of w4.ctx.db.prepare('SELECT blob_sha256 FROM case_pages').pluck().all() as string[]) expect(existsSync(blobPath(w4.ctx.dataDir, sha))).toBe(true);
    expect(await syncRound(w4.ctx, { pageSize: 2 })).toMatchObject({ completed: true, pulled: total - here });
    expect(w4.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get()).toBe(total);
    w4.ctx.db.close();
  }, 60_000);

  it('asks for a page\'s files while the page before is applied, and never for a file twice', async () => {
    const w5 = enrolledWorkstation(path.join(tmp.dir, 'w5'), pki.dir, 'AUE', 'W5', server.url);
    const log: string[] = [];
    seePushes(w5.ctx, (e) => e.type === 'case.changed' && log.push('applied'));
    const total = w1.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get() as number;
    expect(await syncRound(w5.ctx, { fetch: slowFiles(log), pageSize: 2 })).toMatchObject({ completed: true, pulled: total });
    const files = log.filter((l) => l.startsWith('files '));
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(new Set(files.flatMap((f) => f.slice(6).split(','))).size).toBe(files.flatMap((f) => f.slice(6).split(',')).length);
    // The page that named the first files is applied after the next page's files were asked for.
    const firstApplied = log.indexOf('applied', log.indexOf(files[0]!));
    expect(log.indexOf(files[1]!)).toBeLessThan(firstApplied);
    for (const sha of w5.ctx.db.prepare('SELECT blob_sha256 FROM case_pages').pluck().all() as string[]) expect(existsSync(blobPath(w5.ctx.dataDir, sha))).toBe(true);
    w5.ctx.db.close();
  }, 60_000);

  it('leaves no download of the next page running after a round that failed while it came', async () => {
    const w6 = enrolledWorkstation(path.join(tmp.dir, 'w6'), pki.dir, 'AUE', 'W6', server.url);
    const log: string[] = [];
    // The round fails right after its first page with files is applied, while the next page's files are on their way.
    seePushes(w6.ctx, (e) => {
      if (e.type === 'case.changed' && log.includes('answered')) throw new Error('the screens are gone');
    });
    expect(await syncRound(w6.ctx, { fetch: slowFiles(log), pageSize: 2 })).toMatchObject({ completed: false });
    log.push('round ended');
    expect(log.filter((l) => l.startsWith('files ')).length).toBeGreaterThanOrEqual(2);
    expect(log.lastIndexOf('answered')).toBeLessThan(log.indexOf('round ended'));
    expect(log.filter((l) => l === 'answered').length).toBe(log.filter((l) => l.startsWith('files ')).length);
    w6.ctx.db.close();
  }, 60_000);

  it('does not use verdicts found before a CRL came: the page is checked again against it, and the revoked signer\'s acts are held', async () => {
    const w7 = enrolledWorkstation(path.join(tmp.dir, 'w7'), pki.dir, 'AUE', 'W7', server.url);
    const serial = normalizeSerial(new X509Certificate(openKeyFile(Buffer.from(signerP12, 'base64'), 'pw').chainPem[0]!).serialNumber);
    const trust = w7.ctx.trust;
    let revoked: TrustStore | null = null;
    // The pull first looks at the trust store as a page comes (its signatures checked on the threads then); a CRL
    // revoking W1's signer is loaded right after, before the page is applied.
    w7.ctx.trust = () => {
      const t = trust();
      if (revoked) return revoked;
      if (new Error().stack?.includes(`sync${path.sep}pull.ts`)) revoked = { ...t, revoked: new Set([...(t.revoked ?? []), serial]) };
      return t;
    };
    expect(await syncRound(w7.ctx)).toMatchObject({ completed: true, pulled: 0 });
    expect(revoked).not.toBeNull();
    const total = w1.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get() as number;
    const held = w7.ctx.db.prepare('SELECT reason, count(*) AS n FROM sync_held GROUP BY reason').all() as { reason: string; n: number }[];
    expect(w7.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get()).toBe(0);
    expect(held.reduce((n, h) => n + h.n, 0)).toBe(total);
    // The first act of each case for its signer's revoked certificate; the case's later acts wait behind it.
    expect(Object.fromEntries(held.map((h) => [h.reason, h.n]))).toEqual({ signer_revoked: 3, case_held: total - 3 });
    w7.ctx.db.close();
  }, 60_000);

  it('tells the screens what has arrived of how much, page by page, and that it ended', async () => {
    const w3 = enrolledWorkstation(path.join(tmp.dir, 'w3'), pki.dir, 'AUE', 'W3', server.url);
    const told: (SyncProgress | null)[] = [];
    seePushes(w3.ctx, (e) => e.type === 'sync.progress' && told.push(e.progress));
    const total = w1.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get() as number;
    expect(await syncRound(w3.ctx, { pageSize: 2 })).toMatchObject({ completed: true, pulled: total });
    const under = told.filter((p): p is SyncProgress => p !== null);
    expect(under.length).toBeGreaterThan(0);
    expect(under[0]!.total).toBe(total);
    expect(under.map((p) => p.received)).toEqual([...under.map((p) => p.received)].sort((a, b) => a - b));
    expect(told.at(-1)).toBeNull();
    w3.ctx.db.close();
  }, 60_000);
});
