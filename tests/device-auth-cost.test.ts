/**
 * What a device's request costs the server before its route runs: the device's certificate is read once per process
 * (its hash names it), and then each request takes one statement that reads the device's standing and keeps its
 * nonce; what the administrator's list shows of the device is written at most once a minute, or when its version
 * changes. A replaced or revoked device is still refused from its very next request. A push then reads its office's
 * staff register and the office's kind in one statement, and again only after the office's next staff act (the
 * authentication's statement names the latest); that register still decides each signer's role.
 */
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../server/src/store';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import type { StaffPushResult } from '../shared/contract/staff-protocol';
import { officeDate } from '../shared/local-date';
import { signDetached } from '../node/pki/cms';
import { signStaffAct } from '../node/staff-acts';
import { syncClient } from '../electron/services/sync/client';
import { loadDevice } from '../electron/services/device';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer, testStore } from './server-helpers';

const tmp = tempDir('device-auth-cost');
let server: Awaited<ReturnType<typeof startServer>>;
let own: Awaited<ReturnType<typeof testStore>>;
const statements: string[] = [];
let client: ReturnType<typeof syncClient>;
let pki: ReturnType<typeof makePki>;

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  own = await testStore(tmp.dir);
  // Every statement the server sends outside a transaction, in order.
  const counted: Store = Object.assign(Object.create(own.store) as Store, {
    query: (sql: string, params?: unknown[]) => (statements.push(sql), own.store.query(sql, params)),
  });
  server = await startServer(pki.dir, tmp.dir, { store: counted });
  const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  expect(await w1.sync()).toMatchObject({ completed: true });
  client = syncClient(server.url, loadDevice(w1.ctx)!, () => new Date());
  w1.ctx.db.close();
}, 60_000);
afterAll(async () => {
  await server?.close();
  await own?.drop();
  tmp.remove();
});

const touchesDevices = (sql: string) => /\b(devices|request_nonces)\b/.test(sql);

describe("a device's request", () => {
  it('costs one statement of authentication after the first', async () => {
    await client.json('POST', '/sync/v1/blobs/missing', { protocol: 1, sha256: ['a'.repeat(64)] });
    statements.length = 0;
    for (let i = 0; i < 5; i++) await client.json('POST', '/sync/v1/blobs/missing', { protocol: 1, sha256: ['a'.repeat(64)] });
    const auth = statements.filter(touchesDevices);
    expect(auth).toHaveLength(5);
    expect(auth.every((sql) => sql.includes('request_nonces') && sql.includes('revoked_at'))).toBe(true);
  });

  it('is refused from its next request once the administrator revokes the device', async () => {
    await own.store.query("UPDATE devices SET revoked_at = now() WHERE office_code = 'AUE' AND workstation_code = 'W1'");
    await expect(client.json('POST', '/sync/v1/blobs/missing', { protocol: 1, sha256: ['a'.repeat(64)] })).rejects.toMatchObject({ status: 403, code: 'sync.device_revoked' });
  });
});

describe("a push's own reads", () => {
  it("read the office's staff register and its kind in one statement, again only after a staff act, and a signer without the role on the act's day is still refused", async () => {
    const w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
    try {
      const signIn = async (p12: string) => {
        const r = (await w2.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string } };
        expect(r.ok).toBe(true);
        return r.value.token;
      };
      const register = async (session: string, iin: string) =>
        expect(await w2.dispatch({ method: 'cases.registerApplicant', session, input: { iin, surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' } })).toMatchObject({ ok: true });
      const session = await signIn(pki.issue());
      await register(session, '850615300012');
      statements.length = 0;
      expect(await w2.sync()).toMatchObject({ completed: true, pushed: 1 });
      // The round's other requests (the register's and the reference data's pages, the pull) read offices on their
      // own; the push reads the register once, with its office's row in the same statement.
      const reads = statements.filter((sql) => /\bstaff_register\b/.test(sql));
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatch(/staff_register[\s\S]*offices/);

      // A second push reads it no more while the office's register is as it was.
      await register(session, nthIin('850615', 3, 7));
      statements.length = 0;
      expect(await w2.sync()).toMatchObject({ completed: true, pushed: 1 });
      expect(statements.filter((sql) => /\bstaff_register\b/.test(sql))).toHaveLength(0);

      // The register still decides: the office's administrator ends the specialist's role today (a signed act, sent
      // straight to the server as another workstation's sync would), and the next act is refused for it.
      const [row] = await own.store.query<{ from_date: string; name: string }>("SELECT from_date, name FROM staff_register WHERE office_code = 'AUE' AND iin = '900512400018' AND role = 'specialist'");
      const admin = pki.adminOf('AUE');
      const adminCert = new X509Certificate(admin.chainPem[0]!);
      const ended = signStaffAct({
        entry: { office: 'AUE', iin: '900512400018', role: 'specialist', name: row!.name, from: row!.from_date, to: officeDate(new Date()) },
        at: new Date().toISOString(),
        signer: { iin: /serialNumber=IIN(\d{12})/.exec(adminCert.subject)![1]!, certSha256: createHash('sha256').update(adminCert.raw).digest('hex') },
        sign: (c) => signDetached(c, admin),
      });
      const staffPush = await syncClient(server.url, loadDevice(w2.ctx)!, () => new Date()).json<{ results: StaffPushResult[] }>('POST', '/sync/v1/staff/push', { protocol: SYNC_PROTOCOL, acts: [ended] });
      expect(staffPush.value.results).toEqual([expect.objectContaining({ status: 'applied' })]);
      await register(session, '850615300000');
      const round = await w2.sync();
      expect(round).toMatchObject({ completed: true, refused: 1 });
      const refused = w2.ctx.db.prepare("SELECT last_error FROM event_sync WHERE state = 'refused'").all() as { last_error: string }[];
      expect(refused).toHaveLength(1);
      expect(refused[0]!.last_error).toContain('no_role');
    } finally {
      w2.ctx.db.close();
    }
  }, 60_000);
});
