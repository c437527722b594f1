/**
 * How a pulled page's files are shared by the downloads (electron/services/sync/blob-fetch.ts): evenly, so that the
 * page does not wait on one large last answer while the other downloads stand idle; a few files stay one request;
 * and the next page's files wait for a free download behind the page before's. The client is a stand-in (the real
 * server's answers are read in pull-resume.test.ts and blob-thread.test.ts).
 */
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { blobAnswers, downloadBlobs, PARALLEL_DOWNLOADS } from '../electron/services/sync/blob-fetch';
import type { SyncClient } from '../electron/services/sync/client';
import { tempDir } from './helpers';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const frame = (bytes: Buffer) => Buffer.concat([Buffer.from(`${JSON.stringify({ sha256: sha(bytes), mediaType: 'image/png', size: bytes.length })}\n`), bytes]);

const shas = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0'));
const sizes = (n: number) => blobAnswers(shas(n)).map((a) => a.length);

test('a page of scans goes as one answer per download, evenly; a few files as one answer; each file once', () => {
  expect(PARALLEL_DOWNLOADS).toBe(6);
  // A page of 500 events of which one in ten names a scan: six answers, not 16, 16, 16 and 2.
  expect(sizes(50)).toEqual([9, 9, 9, 9, 9, 5]);
  expect(sizes(3)).toEqual([3]);
  expect(sizes(16)).toEqual([8, 8]);
  expect(sizes(0)).toEqual([]);
  // More than six downloads hold: at most 16 to an answer.
  expect(Math.max(...sizes(300))).toBeLessThanOrEqual(16);
  expect(blobAnswers(shas(300)).flat()).toEqual(shas(300));
});

test('two pages\' files share the downloads at once: never more than six answers, the older page\'s first', async () => {
  const tmp = tempDir('blob-answers');
  try {
    const page = (tag: string) => Array.from({ length: 60 }, (_, i) => Buffer.from(`${tag} scan ${i}`));
    const [a, b] = [page('a'), page('b')];
    const bytesOf = new Map([...a, ...b].map((x) => [sha(x), x]));
    const started: string[] = [];
    let open = 0;
    let most = 0;
    // A server whose answers take a moment each: what is asked for meanwhile waits its turn.
    const client = {
      openBlobs: async (shas: readonly string[]) => {
        started.push(bytesOf.get(shas[0]!)!.toString().slice(0, 1));
        most = Math.max(most, ++open);
        await new Promise((resolve) => setTimeout(resolve, 20));
        open--;
        const body = Buffer.concat(shas.map((s) => frame(bytesOf.get(s)!)));
        return new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(body)), c.close()) });
      },
    } as unknown as SyncClient;
    const [first, second] = await Promise.all([downloadBlobs(tmp.dir, client, a.map(sha)), downloadBlobs(tmp.dir, client, b.map(sha))]);
    expect(first.done.size + second.done.size).toBe(120);
    expect(most).toBe(PARALLEL_DOWNLOADS);
    expect(started).toEqual([...Array(6).fill('a'), ...Array(6).fill('b')]);
  } finally {
    tmp.remove();
  }
});
