/**
 * The server's blob cache (server/src/store/blobs.ts) over real HTTP with signed requests: an uploaded blob is served
 * from the instance's disk copy (even when the database's bytes are not read), whole or from a byte on; another
 * office's device still gets no blob (who may read is asked of the database); without a cache the database serves.
 * An answer of many blobs asks who holds them in one statement.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import { issueDeviceCertificate } from '../node/pki/machine-certs';
import { buildServer, loadOffices } from '../server/src/app';
import { migrate } from '../server/src/migrations';
import { pkiTrust } from '../server/src/trust';
import type { Queryable } from '../server/src/store';
import { BlobStore } from '../server/src/store/blobs';
import { blobBatchStream } from '../server/src/sync/blob-batch';
import type { DeviceIdentity } from '../electron/services/device';
import { ServerError, syncClient } from '../electron/services/sync/client';
import { makePki, tempDir } from './helpers';
import { testStore } from './server-helpers';

const tmp = tempDir('blob-cache');
let own: Awaited<ReturnType<typeof testStore>>;
let app: ReturnType<typeof buildServer>;
let url: string;
let pkiDir: string;
const cacheDir = path.join(tmp.dir, 'cache');

function identity(officeCode: string, workstationCode: string): DeviceIdentity {
  const cert = issueDeviceCertificate({ dir: pkiDir, officeCode, workstationCode });
  const x = new X509Certificate(cert.certPem);
  return { officeCode, workstationCode, certPem: cert.certPem, chainPem: cert.chainPem, certSha256: createHash('sha256').update(x.raw).digest('hex'), serial: x.serialNumber, privateKeyPem: cert.keyPem };
}

async function enrolled(officeCode: string, workstationCode: string) {
  const id = identity(officeCode, workstationCode);
  const client = syncClient(url, id, () => new Date());
  await client.json('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: [id.certPem, ...id.chainPem].join('') });
  return client;
}

beforeAll(async () => {
  pkiDir = makePki(path.join(tmp.dir, 'pki')).dir;
  own = await testStore(tmp.dir);
  await migrate(own.store);
  const trust = pkiTrust(pkiDir);
  await loadOffices(own.store, trust);
  app = buildServer({ store: own.store, trust, blobCacheDir: cacheDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await own?.drop();
  tmp.remove();
});

test('an uploaded blob is served from the disk cache, whole and from a byte on; another office gets none', async () => {
  const w1 = await enrolled('AUE', 'C1');
  const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
  const sha = createHash('sha256').update(bytes).digest('hex');
  await w1.putBlob(sha, bytes, 'image/png');
  expect(existsSync(path.join(cacheDir, sha.slice(0, 2), sha))).toBe(true);

  // The database's copy made unreadable as bytes: what comes back can only be the cache's.
  await own.store.query("UPDATE blobs SET bytes = '\\x00'::bytea WHERE sha256 = $1", [sha]);
  const got = await w1.getBlob(sha);
  expect(got.mediaType).toBe('image/png');
  expect(createHash('sha256').update(got.bytes).digest('hex')).toBe(sha);
  const rest = await w1.openBlob(sha, 100_000);
  expect(rest.partial).toBe(true);
  const tail = Buffer.from(await new Response(rest.body).arrayBuffer());
  expect(tail.equals(bytes.subarray(100_000))).toBe(true);

  const other = await enrolled('BOS', 'C2');
  const refused = await other.getBlob(sha).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ServerError);
  expect((refused as ServerError).code).toBe('sync.blob_not_found');
}, 120_000);

test('an upload received whole is moved into the cache, and the cache folder deleted under the running server costs nothing', async () => {
  const w1 = await enrolled('AUE', 'C3');
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 13) % 253));
  const sha = createHash('sha256').update(bytes).digest('hex');
  await w1.putBlob(sha, bytes, 'image/png');
  expect(readFileSync(path.join(cacheDir, sha.slice(0, 2), sha)).equals(bytes)).toBe(true);
  // The upload's own file is gone (moved, not copied), and nothing else was left in the uploads' folder.
  const uploads = readdirSync(cacheDir).filter((f) => f.startsWith('uploads-'));
  expect(uploads).toHaveLength(1);
  expect(readdirSync(path.join(cacheDir, uploads[0]!))).toEqual([]);

  rmSync(cacheDir, { recursive: true, force: true });
  const again = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 17) % 241));
  const shaAgain = createHash('sha256').update(again).digest('hex');
  await w1.putBlob(shaAgain, again, 'image/png');
  expect(createHash('sha256').update((await w1.getBlob(shaAgain)).bytes).digest('hex')).toBe(shaAgain);
  expect(createHash('sha256').update((await w1.getBlob(sha)).bytes).digest('hex')).toBe(sha);
}, 120_000);

test('an answer of many blobs asks the database once which of them the offices hold, not once for each; another office still gets none', async () => {
  const statements: string[] = [];
  const counting: Queryable = { query: (sql, params) => (statements.push(sql), own.store.query(sql, params)) };
  const scans = Array.from({ length: 5 }, (_, i) => Buffer.from(`scan ${i} `.repeat(1000 + i)));
  const shas = scans.map((b) => createHash('sha256').update(b).digest('hex'));
  const writer = new BlobStore(own.store, path.join(tmp.dir, 'cache-many'));
  for (const [i, b] of scans.entries()) await writer.put(['AUE'], shas[i]!, 'image/png', b);
  const absent = createHash('sha256').update('never uploaded').digest('hex');

  // A fresh instance (another server, or this one restarted): it knows nothing yet of who holds what.
  const frames = async (offices: string[]) => {
    const reader = new BlobStore(counting, path.join(tmp.dir, 'cache-many'));
    const chunks: Buffer[] = [];
    for await (const c of blobBatchStream(reader, offices, [...shas, absent])) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('latin1');
  };
  const answer = await frames(['AUE']);
  for (const [i, sha] of shas.entries()) expect(answer).toContain(`{"sha256":"${sha}","mediaType":"image/png","size":${scans[i]!.length}}\n${scans[i]!.toString('latin1')}`);
  expect(answer).toContain(`{"sha256":"${absent}","missing":true}`);
  // One statement for the five it holds; the one it does not hold is asked again on its own (it may have come since).
  expect(statements.filter((s) => /FROM blobs/.test(s))).toHaveLength(2);

  statements.length = 0;
  const other = await frames(['ALM']);
  for (const sha of [...shas, absent]) expect(other).toContain(`{"sha256":"${sha}","missing":true}`);
  expect(other).not.toContain('scan 0');
});
