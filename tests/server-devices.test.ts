/**
 * Enrolment as an attacker and an administrator meet it (real PKI, real server, real workstations): a device chain
 * with a damaged certificate is refused with its reason, a second device for an active workstation code is refused
 * unless it explicitly replaces the first, and a replaced device is refused from its next request with a reason the
 * workstation shows in kk and ru, while its replacement continues the code's numbers.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterResult } from '../shared/contract/types';
import { errorMessage } from '../shared/i18n/messages';
import { loadDevice } from '../electron/services/device';
import { syncState } from '../electron/services/sync/agent';
import { configureSync } from '../electron/services/sync/settings';
import { codeOf, send, signed, tableCounts } from './abuse-helpers';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-devices');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;

type Ws = ReturnType<typeof enrolledWorkstation>;
async function signIn(ws: Ws): Promise<<T>(method: string, input: unknown) => Promise<T>> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: boolean; value: { token: string } };
  return async <T>(method: string, input: unknown) => {
    const a = (await ws.dispatch({ method, input, session: r.value.token })) as { ok: boolean; value?: T; error?: unknown };
    if (!a.ok) throw new Error(`${method}: ${JSON.stringify(a.error)}`);
    return a.value as T;
  };
}
const applicant = (n: number) => ({ iin: nthIin('850615', 3, n), surname: 'Әбілқайыров', givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' });

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  expect((await w1.sync()).completed).toBe(true);
}, 120_000);
afterAll(async () => {
  w1?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('a damaged certificate in the enrolment chain', () => {
  it('is refused with its place in the chain, signed or not, never 500, and nothing is written', async () => {
    const device = loadDevice(w1.ctx)!;
    const before = await tableCounts(server.store);
    // DER that is not a certificate (an ASN.1 "wrong tag" for the reader), after the device's own certificate.
    const junk = `-----BEGIN CERTIFICATE-----\n${Buffer.from('0\x82\x01\x0a\x02\x01\x00junk that is not a certificate at all'.repeat(3), 'latin1').toString('base64')}\n-----END CERTIFICATE-----\n`;
    for (const chain of [[device.certPem, junk], [device.certPem, junk, ...device.chainPem], [junk]]) {
      const body = Buffer.from(JSON.stringify({ protocol: 1, certsPem: chain.join('') }));
      const withSignature = await send(`${server.url}/sync/v1/enrol`, { method: 'POST', headers: { ...signed(device, 'POST', '/sync/v1/enrol', body), 'content-type': 'application/json' }, body });
      expect([withSignature.status, codeOf(withSignature)]).toEqual([400, 'sync.certificate_malformed']);
      expect(withSignature.body).toMatchObject({ error: { params: { index: chain.indexOf(junk) } } });
      const unsigned = await send(`${server.url}/sync/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-protocol': '1' }, body });
      expect(unsigned.status).toBeLessThan(500);
      expect(codeOf(unsigned)).toMatch(/^sync\./);
    }
    expect(await tableCounts(server.store)).toEqual(before);
  });
});

describe('a second device for an active workstation code', () => {
  it('is refused while the first is active, unless it explicitly replaces it', async () => {
    const on1 = await signIn(w1);
    for (let n = 1; n <= 3; n++) await on1<RegisterResult>('cases.registerApplicant', applicant(n));
    expect((await w1.sync()).completed).toBe(true);
    const twin = enrolledWorkstation(path.join(tmp.dir, 'twin'), pki.dir, 'AUE', 'W1', server.url);
    expect((await twin.sync()).completed).toBe(false);
    expect(syncState(twin.ctx).lastError).toMatchObject({ code: 'sync.device_taken', params: { office: 'AUE', workstation: 'W1' } });
    twin.ctx.db.close();
    const devices = await server.store.query<{ n: number }>("SELECT count(*)::int AS n FROM devices WHERE office_code = 'AUE' AND workstation_code = 'W1'");
    expect(devices[0]!.n).toBe(1);
  });

  it('a replacement retires the old device, restores the cases and continues the numbering; the old device is refused with its reason in kk and ru', async () => {
    const again = enrolledWorkstation(path.join(tmp.dir, 'w1-again'), pki.dir, 'AUE', 'W1', server.url);
    configureSync(again.ctx.db, { serverUrl: server.url, replaceDevice: true });
    const restored = await again.sync();
    expect(restored).toMatchObject({ completed: true, held: 0 });
    expect(restored.pulled).toBeGreaterThanOrEqual(3);
    const highest = (await server.store.query<{ last: number }>("SELECT last FROM number_highs WHERE office_code = 'AUE' AND scope LIKE 'case/AUE/W1/%'"))[0]!.last;
    expect(highest).toBe(3);
    const next = (await (await signIn(again))<RegisterResult>('cases.registerApplicant', applicant(4))).case.caseNumber;
    expect(Number(next.slice(-6))).toBe(highest + 1);
    expect((await again.sync()).completed).toBe(true);

    // The replaced device: its next round is refused, and the workstation says why.
    const old = await w1.sync();
    expect(old.completed).toBe(false);
    const error = syncState(w1.ctx).lastError as { code: string; params: Record<string, string> };
    expect(error).toMatchObject({ code: 'sync.device_retired', params: { office: 'AUE', workstation: 'W1' } });
    expect(errorMessage('ru', error)).toContain('заменено другим');
    expect(errorMessage('kk', error)).toContain('басқасымен ауыстырылған');
    // Its acts would take numbers the replacement issues: none of them reaches the server.
    await (await signIn(w1))<RegisterResult>('cases.registerApplicant', applicant(5));
    const before = await tableCounts(server.store);
    expect((await w1.sync()).pushed).toBe(0);
    expect(await tableCounts(server.store)).toEqual(before);

    // Nor can it come back by enrolling again, even as a replacement.
    const device = loadDevice(w1.ctx)!;
    const body = Buffer.from(JSON.stringify({ protocol: 1, certsPem: [device.certPem, ...device.chainPem].join(''), replace: true }));
    const back = await send(`${server.url}/sync/v1/enrol`, { method: 'POST', headers: { ...signed(device, 'POST', '/sync/v1/enrol', body), 'content-type': 'application/json' }, body });
    expect([back.status, codeOf(back)]).toEqual([403, 'sync.device_retired']);
    again.ctx.db.close();
  });
});
