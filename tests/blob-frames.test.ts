/**
 * The workstation's reader of a framed answer of several blobs, given answers a real server would not send (a wrong
 * byte, a blob not asked for, a cut, a missing one). The server's answer itself is read in pull-resume.test.ts and the
 * sync bench, against a real server; here the client is a stand-in that returns the bytes given.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { receiveBatch, partialFile } from '../electron/services/sync/blob-frames';
import { blobPath } from '../electron/services/blob-store';
import type { SyncClient } from '../electron/services/sync/client';
import { tempDir } from './helpers';

const tmp = tempDir('blob-frames');
afterAll(() => tmp.remove());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const frame = (bytes: Buffer, name = sha(bytes)) => Buffer.concat([Buffer.from(`${JSON.stringify({ sha256: name, mediaType: 'image/png', size: bytes.length })}\n`), bytes]);

/** A client whose answer is these chunks, then (when `cut`) a broken link. */
function answering(chunks: Buffer[], cut = false): SyncClient {
  return {
    openBlobs: async () => {
      let next = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (next < chunks.length) controller.enqueue(new Uint8Array(chunks[next++]!));
          else if (cut) controller.error(new TypeError('terminated'));
          else controller.close();
        },
      });
    },
  } as unknown as SyncClient;
}

async function receive(dir: string, shas: string[], client: SyncClient) {
  const done = new Map<string, { size: number; mediaType: string }>();
  const failed = new Map<string, unknown>();
  const error = await receiveBatch(dir, client, shas, () => undefined, done, failed).then(
    () => null,
    (e: unknown) => e,
  );
  return { done, failed, error };
}

describe('a framed answer of several blobs', () => {
  const a = Buffer.from('a'.repeat(5000));
  const b = Buffer.from('b'.repeat(7000));

  it('stores each blob that hashes to its name, split across chunks anyhow; one that does not is refused and not kept', async () => {
    const dir = `${tmp.dir}/one`;
    const wrong = Buffer.from('c'.repeat(300));
    const whole = Buffer.concat([frame(a), frame(wrong, sha(b))]);
    // Chunks that cut lines and bytes in odd places.
    const chunks = [whole.subarray(0, 7), whole.subarray(7, 4000), whole.subarray(4000, 5090), whole.subarray(5090)];
    const r = await receive(dir, [sha(a), sha(b)], answering(chunks));
    expect(r.error).toBeNull();
    expect(readFileSync(blobPath(dir, sha(a)))).toEqual(a);
    // The server named b for other bytes: refused, and nothing of them kept.
    expect(r.failed.get(sha(b))).toMatchObject({ code: 'sync.hostile_answer', params: { reason: 'blob_hash' } });
    expect(existsSync(partialFile(dir, sha(b)))).toBe(false);
  });

  it('refuses a frame naming a blob it did not ask for, or one it already had', async () => {
    const r = await receive(`${tmp.dir}/two`, [sha(a)], answering([frame(b)]));
    expect(r.error).toMatchObject({ code: 'sync.hostile_answer', params: { reason: 'blob_frame' } });
    expect(r.done.size).toBe(0);
    const twice = await receive(`${tmp.dir}/two-b`, [sha(a), sha(b)], answering([frame(a), frame(a)]));
    expect(twice.error).toMatchObject({ code: 'sync.hostile_answer', params: { reason: 'blob_frame' } });
  });

  it('keeps what arrived of a blob when the link breaks in it, for the next attempt to resume', async () => {
    const dir = `${tmp.dir}/three`;
    const whole = Buffer.concat([frame(a), frame(b)]);
    const r = await receive(dir, [sha(a), sha(b)], answering([whole.subarray(0, whole.length - 1000)], true));
    expect(r.error).toBeInstanceOf(TypeError);
    expect(r.done.has(sha(a))).toBe(true);
    expect(readFileSync(partialFile(dir, sha(b)))).toEqual(b.subarray(0, b.length - 1000));
  });

  it('says which blob the server does not have, and that an answer ending early was cut', async () => {
    const missing = Buffer.from(`${JSON.stringify({ sha256: sha(b), missing: true })}\n`);
    const r = await receive(`${tmp.dir}/four`, [sha(b), sha(a)], answering([missing]));
    expect(r.failed.get(sha(b))).toMatchObject({ code: 'sync.blob_not_found' });
    expect(r.error).toMatchObject({ code: 'sync.offline' });
  });
});
