/**
 * How a pulled page's files are shared by the downloads (electron/services/sync/blob-download.ts): evenly, so that the
 * page does not wait on one large last answer while the other downloads stand idle; a few files stay one request.
 */
import { expect, test } from 'vitest';
import { blobAnswers, PARALLEL_DOWNLOADS } from '../electron/services/sync/blob-download';

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
