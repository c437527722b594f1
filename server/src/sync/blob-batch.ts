/**
 * Many blobs in one answer, for a workstation's first pull (a thousand scans in a few dozen requests, not a thousand
 * signed ones). Each blob is framed as one JSON line naming it, then its bytes:
 *   {"sha256":"…","mediaType":"image/png","size":204800}\n<204800 bytes>
 * or, for one no office of the device holds, {"sha256":"…","missing":true}\n. The answer is written a blob at a time
 * (never more than two of them in memory); the workstation hashes each as it arrives and resumes one cut short by
 * itself.
 */
import { Readable } from 'node:stream';
import type { BlobStore } from '../store/blobs';

export const BLOB_BATCH_TYPE = 'application/x-jardem-blobs';

export function blobBatchStream(blobs: BlobStore, offices: readonly string[], shas: readonly string[]): Readable {
  return Readable.from(
    (async function* () {
      // The next blob is read while this one goes out: the answer waits on the disk (or the database) once, not per blob.
      const read = (i: number) => {
        const blob = i < shas.length ? blobs.get(offices, shas[i]!) : null;
        blob?.catch(() => undefined);
        return blob;
      };
      // Which of them the device's offices hold: asked once for the answer, not once for each blob.
      await blobs.learn(offices, shas);
      let next = read(0);
      for (const [i, sha256] of shas.entries()) {
        const blob = await next;
        next = read(i + 1);
        if (!blob) {
          yield Buffer.from(`${JSON.stringify({ sha256, missing: true })}\n`);
          continue;
        }
        yield Buffer.from(`${JSON.stringify({ sha256, mediaType: blob.mediaType, size: blob.bytes.length })}\n`);
        yield blob.bytes;
      }
    })(),
    { objectMode: false },
  );
}
