/**
 * Verify case "since N": a whole district case checked from every point of its log gives what a full check gives
 * (nothing wrong), and what was verified up to N is kept with the trust store's version, so a check since N reads
 * only the new records, and a changed trust store (a new CRL) makes it check everything again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCase } from '../electron/services/case-integrity';
import { normalizeSerial, openKeyFile } from '../node/pki/keyfile';
import { tempDir } from './helpers';

describe('Verify case since the last check', () => {
  const tmp = tempDir('verify-since');
  let counter: Awaited<ReturnType<typeof import('./intake-helpers').counterWorkstation>>;
  let caseId = '';
  beforeAll(async () => {
    const { counterWorkstation } = await import('./intake-helpers');
    const { wholeDistrictCase } = await import('./case-flows');
    counter = await counterWorkstation(tmp, { families: 120 });
    caseId = (await wholeDistrictCase(counter)).id;
  }, 180_000);
  afterAll(async () => {
    await counter.close();
    tmp.remove();
  });

  it('a sound case is sound from every point of its log', () => {
    const ctx = counter.ws.ctx;
    const full = verifyCase(ctx, caseId);
    expect(full.problems).toEqual([]);
    const n = full.events.length;
    expect(n).toBeGreaterThan(20);
    for (let since = 0; since <= n; since++) {
      const v = verifyCase(ctx, caseId, since);
      expect(v.problems, `since ${since}`).toEqual([]);
      expect(v.valid, `since ${since}`).toBe(true);
    }
  }, 120_000);

  it('a check since N answers for the whole case, and starts after what was checked before', () => {
    const ctx = counter.ws.ctx;
    const full = verifyCase(ctx, caseId);
    expect(full.checkedFrom).toBe(0);
    const n = full.events.length;
    // The screen last saw an early point: what the services checked since still stands, and is part of the answer.
    const since = verifyCase(ctx, caseId, 3);
    expect(since.checkedFrom).toBe(n);
    expect(since.events.map((e) => e.seq)).toEqual(full.events.map((e) => e.seq));
    expect(since.events.every((e) => e.signature?.valid && e.roleAllowed)).toBe(true);
    expect(since.documents).toEqual(full.documents);
    expect(since.pages).toEqual(full.pages);
  });

  it('a changed trust store (a newly loaded CRL) makes a check since N a full one', () => {
    const ctx = counter.ws.ctx;
    expect(verifyCase(ctx, caseId).valid).toBe(true);
    const n = verifyCase(ctx, caseId, 1).events.length;
    // Every key that signed in this case revoked by the workstation's newest CRL.
    const serials = [...ctx.sessions.values()].map((s) => normalizeSerial(openKeyFile(s.keyFile, 'pw').certificate.serialNumber));
    const original = ctx.trust;
    const revokedStore = { ...original(), revoked: new Set([...(original().revoked ?? []), ...serials]) };
    ctx.trust = () => revokedStore;
    try {
      const v = verifyCase(ctx, caseId, n);
      expect(v.checkedFrom).toBe(0);
      expect(v.valid).toBe(false);
      expect(v.problems).toContain('event:1:signature:revoked');
      expect(v.problems).toContain(`event:${n}:signature:revoked`);
    } finally {
      ctx.trust = original;
    }
    // Back in the store it was first checked in: a full check again, and sound.
    const again = verifyCase(ctx, caseId, n);
    expect(again.checkedFrom).toBe(0);
    expect(again.valid).toBe(true);
  });
});
