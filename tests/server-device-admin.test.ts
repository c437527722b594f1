/**
 * The administrator's device list and revocation, through the real command (`node dist/node/server.cjs devices …`,
 * the same as `npm run server -- devices …`) on the server's real database: a workstation that synced is listed with
 * its office, certificate serial, first and last seen, app version and protocol; once revoked it is refused from
 * its next request and its header says so, while another workstation of the office goes on and a replacement enrols.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import { syncStatus } from '../electron/services/sync/status';
import { configureSync } from '../electron/services/sync/settings';
import { openStore, type Store } from '../server/src/store';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, onPostgres, startServer, testStore } from './server-helpers';

const tmp = tempDir('server-devices');
let pki: ReturnType<typeof makePki>;
let own: Awaited<ReturnType<typeof testStore>>;
let store: Store;
let server: Awaited<ReturnType<typeof startServer>>;
const dataDir = path.join(tmp.dir, 'server-data');

/** The command as an administrator runs it, on this test's database (its schema, or its PGlite folder). */
function devices(...args: string[]) {
  const run = spawnSync(process.execPath, [path.resolve('dist/node/server.cjs'), 'devices', ...args, ...(onPostgres ? [] : ['--data-dir', dataDir])], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...(own.schema ? { JARDEM_SERVER_SCHEMA: own.schema } : {}) },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** PGlite is one process's: the server lets go of the folder while the command runs, then takes it again. */
async function whileServerAside<T>(fn: () => T): Promise<T> {
  if (onPostgres) return fn();
  await server.app.close();
  await store.close();
  const result = fn();
  store = await openStore({ dataDir });
  server = await startServer(pki.dir, tmp.dir, { store });
  return result;
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  own = await testStore(tmp.dir);
  store = own.store;
  server = await startServer(pki.dir, tmp.dir, { store });
}, 120_000);
afterAll(async () => {
  await server?.app.close();
  if (own?.schema) await store.query(`DROP SCHEMA IF EXISTS ${own.schema} CASCADE`);
  await store?.close();
  tmp.remove();
});

async function withCase(ws: ReturnType<typeof enrolledWorkstation>, n: number) {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { value: { token: string } };
  const input = { iin: nthIin('850615', 3, n), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
  expect(((await ws.dispatch({ method: 'cases.registerApplicant', input, session: r.value.token })) as { ok: boolean }).ok).toBe(true);
}

describe('devices list and revoke', () => {
  it('lists what each device last said; a revoked one is refused from its next request and says so; the others go on', async () => {
    const w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
    const w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
    expect((await w1.sync()).completed).toBe(true);
    expect((await w2.sync()).completed).toBe(true);

    const listed = await whileServerAside(() => devices('list', '--json'));
    expect(listed.status, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ office: 'AUE', workstation: 'W1', serial: expect.stringMatching(/^[0-9A-F]+$/i), appVersion: 'test', protocol: SYNC_PROTOCOL, revokedAt: null });
    expect(Date.parse(rows[0]!.enrolledAt as string)).toBeLessThanOrEqual(Date.parse(rows[0]!.lastSeenAt as string));
    expect(rows[0]!.lastPullAt).not.toBeNull();
    const table = await whileServerAside(() => devices('list', '--office', 'AUE'));
    expect(table.stdout).toMatch(/office\s+workstation\s+serial\s+first seen\s+last seen\s+app\s+protocol/);
    expect(table.stdout).toMatch(/AUE\s+W2\s+\S+.*active/);

    const revoked = await whileServerAside(() => devices('revoke', '--office', 'AUE', '--workstation', 'W1', '--reason', 'laptop stolen'));
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('revoked 1 device(s) of AUE/W1');
    // On PGlite the server came back on another port.
    for (const ws of [w1, w2]) configureSync(ws.ctx.db, { serverUrl: server.url });

    await withCase(w1, 41);
    expect(await w1.sync()).toMatchObject({ completed: false, waiting: 1 });
    expect(syncStatus(w1.ctx).lastError).toMatchObject({ code: 'sync.device_revoked' });
    await withCase(w2, 42);
    expect(await w2.sync()).toMatchObject({ completed: true, pushed: 1 });

    const again = await whileServerAside(() => devices('revoke', '--office', 'AUE', '--workstation', 'W1'));
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no active device AUE/W1');
    const after = JSON.parse((await whileServerAside(() => devices('list', '--json'))).stdout) as { workstation: string; revokedAt: string | null; revokedReason: string | null }[];
    expect(after.find((d) => d.workstation === 'W1')).toMatchObject({ revokedReason: 'laptop stolen', revokedAt: expect.any(String) });
    expect(devices('frobnicate').status).toBe(2);
    // Its replacement (a new device certificate for the same codes) is enrolled and syncs.
    const replacement = enrolledWorkstation(path.join(tmp.dir, 'w1-new'), pki.dir, 'AUE', 'W1', server.url);
    expect(await replacement.sync()).toMatchObject({ completed: true });
    replacement.ctx.db.close();
    for (const ws of [w1, w2]) ws.ctx.db.close();
  }, 300_000);
});
