import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createContext, type ServicesContext } from '../electron/services/context';
import { createDemoOfficeWithSampleYear, planSampleYear } from '../electron/services/demo-sample/sample-year';
import { verifyCase } from '../electron/services/case-integrity';
import { sampleCaseIds } from '../db/repositories/sample-cases';
import { tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let ctx: ServicesContext;
let ids: string[];

beforeAll(async () => {
  tmp = tempDir('sample');
  ctx = createContext({ dataDir: path.join(tmp.dir, 'data'), appVersion: 'test' });
  const t0 = Date.now();
  await createDemoOfficeWithSampleYear(ctx, { cases: Number(process.env.SAMPLE_N ?? 160) });
  console.log('made in', Date.now() - t0, 'ms');
  ids = sampleCaseIds(ctx.db);
}, 600_000);
afterAll(() => {
  ctx.db.close();
  tmp.remove();
});

describe('the demo office with a year of sample cases', () => {
  it('verifies every sample case', () => {
    expect(ids.length).toBeGreaterThan(0);
    const bad = ids.map((id) => verifyCase(ctx, id)).filter((v) => !v.valid).map((v) => v.problems);
    expect(bad).toEqual([]);
  });
  it('plans the same year for the same seed', () => {
    expect(planSampleYear(7, 50, '2026-12-04')).toEqual(planSampleYear(7, 50, '2026-12-04'));
  });
});
