/**
 * The pull's file thread (electron/services/sync/blob-thread-host.ts) against the real server in a process of its
 * own: a page's files arrive while the pull's own thread is held (as it is while it applies a page in one
 * transaction), each re-hashed and named; what the server does not have, and a server that cannot be reached, come
 * back as the errors the pull's thread would have met itself.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import { AppError } from '../shared/errors';
import { blobPath } from '../electron/services/blob-store';
import { loadDevice, type DeviceIdentity } from '../electron/services/device';
import { downloadOnThread } from '../electron/services/sync/blob-thread-host';
import { errorFromWire, errorToWire } from '../electron/services/sync/blob-thread-wire';
import { ServerError, syncClient } from '../electron/services/sync/client';
import { makePki, tempDir } from './helpers';
import { enrolledWorkstation } from './server-helpers';
import { startServerProcess, type ServerProcess } from './abuse-helpers';

const tmp = tempDir('blob-thread');
let server: ServerProcess;
let w2: ReturnType<typeof enrolledWorkstation>;
let w2Device: DeviceIdentity;
const files = Array.from({ length: 12 }, () => randomBytes(150_000));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServerProcess(pki.dir, path.join(tmp.dir, 'server'));
  // W1 uploads the office's files; W2 is the workstation that fetches them.
  const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  for (const w of [w1, w2]) {
    const device = loadDevice(w.ctx)!;
    await syncClient(server.url, device, () => new Date()).json('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: [device.certPem, ...device.chainPem].join('') });
  }
  const uploader = syncClient(server.url, loadDevice(w1.ctx)!, () => new Date());
  for (const f of files) await uploader.putBlob(sha(f), f, 'image/png');
  w1.ctx.db.close();
  w2Device = loadDevice(w2.ctx)!;
}, 120_000);
afterAll(async () => {
  w2?.ctx.db.close();
  await server?.stop();
  tmp.remove();
});

const job = (shas: string[], serverUrl = server.url) => ({ dataDir: w2.ctx.dataDir, line: { serverUrl, device: w2Device, caPem: null, appVersion: 'test' }, shas, clockDeltaMs: 0, clockOffsetMs: null });

describe('the pull\'s file thread', () => {
  it('brings a page\'s files while the pull\'s thread is held, each hashed and named, and counts their bytes', async () => {
    const shas = files.map(sha);
    let bytes = 0;
    const fetched = downloadOnThread(job(shas), (n) => (bytes += n));
    expect(fetched).not.toBeNull();
    // This thread held as a page's transaction holds it: it answers nothing and runs no callback meanwhile.
    const until = Date.now() + 30_000;
    let arrived = 0;
    while (Date.now() < until && arrived < shas.length) arrived = shas.filter((s) => existsSync(blobPath(w2.ctx.dataDir, s))).length;
    expect(arrived).toBe(shas.length);
    const { done, failed } = await fetched!;
    expect(failed.size).toBe(0);
    expect([...done.keys()].sort()).toEqual([...shas].sort());
    expect(done.get(shas[0]!)).toEqual({ size: 150_000, mediaType: 'image/png' });
    for (const f of files) expect(sha(readFileSync(blobPath(w2.ctx.dataDir, sha(f))))).toBe(sha(f));
    expect(bytes).toBe(files.length * 150_000);
  }, 60_000);

  it('gives back a file the server does not have as the server\'s own refusal, and an unreachable server as a broken link', async () => {
    const unknown = sha(randomBytes(10));
    const missing = await downloadOnThread(job([unknown]), () => undefined)!;
    expect(missing.done.size).toBe(0);
    const refused = missing.failed.get(unknown);
    expect(refused).toBeInstanceOf(ServerError);
    expect(refused).toMatchObject({ status: 404, code: 'sync.blob_not_found' });

    // A port nothing listens on: fetch's own "fetch failed", a TypeError as the round tells a link that is down.
    const down = await downloadOnThread(job([unknown], 'http://127.0.0.1:1'), () => undefined)!;
    expect(down.failed.get(unknown)).toBeInstanceOf(TypeError);
    expect(existsSync(blobPath(w2.ctx.dataDir, unknown))).toBe(false);
  }, 60_000);

  it('carries an error across as its own class, with its code and parameters', () => {
    const app = errorFromWire(errorToWire(new AppError('sync.hostile_answer', { reason: 'blob_hash' })));
    expect(app).toBeInstanceOf(AppError);
    expect(app).toMatchObject({ code: 'sync.hostile_answer', params: { reason: 'blob_hash' } });
    const busy = errorFromWire(errorToWire(new ServerError(503, 'sync.busy', { retryAfter: 2 })));
    expect(busy).toBeInstanceOf(ServerError);
    expect(busy).toMatchObject({ status: 503, code: 'sync.busy', params: { retryAfter: 2 } });
    const cut = errorFromWire(errorToWire(new TypeError('terminated')));
    expect(cut).toBeInstanceOf(TypeError);
    expect(cut.message).toBe('terminated');
  });
});
