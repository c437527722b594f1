/**
 * The verification threads (node/verify-pool.ts) under many callers at once: a free thread takes what waits as one
 * task, and each caller still gets its own verdicts in its own order, each list checked against its own trust store
 * (two PKIs at once never share a task). An event that is not what it claims gets a verdict on its contents.
 * Real threads, real CMS signatures.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { signEvents } from '../node/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile, trustStoreFromPem } from '../node/pki/keyfile';
import { verifyOnPool } from '../node/verify-pool';
import type { WireEvent } from '../shared/contract/sync-protocol';
import { CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import { makePki, nthIin, tempDir } from './helpers';

const tmp = tempDir('verify-pool');
afterAll(() => tmp.remove());

function office(name: string) {
  const pki = makePki(path.join(tmp.dir, name));
  const key = openKeyFile(Buffer.from(pki.issue(), 'base64'), 'pw');
  const cert = new X509Certificate(key.chainPem[0]!);
  const actor = { iin: /serialNumber=IIN(\d{12})/.exec(cert.subject)![1]!, role: 'specialist', certSha256: createHash('sha256').update(cert.raw).digest('hex') };
  const trust = trustStoreFromPem(readFileSync(path.join(pki.dir, 'root.crt.pem'), 'utf8'), readFileSync(path.join(pki.dir, 'issuing.crt.pem'), 'utf8'));
  /** A list of `n` new cases' openings, each signed. */
  const list = (from: number, n: number): WireEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const applicant = { iin: nthIin('850615', 3, from + i), surname: 'Тексеру', givenName: 'Ағын', patronymic: '', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
      const payload = { applicant, caseNumber: `AUE-W1-2026-${String(from + i).padStart(6, '0')}`, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: 'AUE', starts: [] };
      const [e] = signEvents(uuidv7(), { version: 0, headHash: null }, [{ id: uuidv7(), type: 'intake.registered', payload, at: new Date().toISOString() }], actor, (b) => signDetached(b, key));
      return { ...e!, signature: e!.signature.toString('base64') };
    });
  return { trust, list };
}

describe('the verification threads under many callers at once', () => {
  const a = office('a');
  const b = office('b');
  const lists = Array.from({ length: 24 }, (_, k) => ({ from: k % 2 === 0 ? a : b, events: (k % 2 === 0 ? a : b).list(k * 10, 6) }));

  it('share tasks among the callers, and give each its own verdicts in its order, against its own trust store', async () => {
    const run = vi.spyOn(Piscina.prototype, 'run');
    try {
      const own = await Promise.all(lists.map((l) => verifyOnPool(l.events, l.from.trust)));
      expect(own.every((verdicts, k) => verdicts.length === lists[k]!.events.length && verdicts.every((v) => v.ok))).toBe(true);
      // Fewer tasks than callers: the threads took several waiting lists at once.
      expect(run.mock.calls.length).toBeLessThan(lists.length);
      // The same lists against the other office's trust store, at once with lists against their own: never mixed.
      const crossed = await Promise.all(lists.flatMap((l) => [verifyOnPool(l.events, (l.from === a ? b : a).trust), verifyOnPool(l.events, l.from.trust)]));
      crossed.forEach((verdicts, k) => expect(verdicts.map((v) => v.ok)).toEqual(Array(6).fill(k % 2 === 1)));
    } finally {
      run.mockRestore();
    }
  });

  it('give an event that is not what it claims a verdict on its contents, its neighbours theirs', async () => {
    const [good, bad, after] = a.list(900, 3);
    const broken = { ...bad!, payload: '{"applicant":{}}' };
    const verdicts = await Promise.all([verifyOnPool([good!, broken, after!], a.trust), verifyOnPool(b.list(950, 20), b.trust)]);
    expect(verdicts[0]).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: false, contents: true, reason: 'payload_invalid' }), expect.objectContaining({ ok: true })]);
    expect(verdicts[1].every((v) => v.ok)).toBe(true);
  });
});
