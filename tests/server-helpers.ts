/**
 * The central server in-process for tests (real Fastify on a free port, real PostgreSQL when DATABASE_URL is set,
 * else PGlite in a temporary folder; one schema per test file on PostgreSQL), and workstations enrolled with it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { issueDeviceCertificate, issueGatewayCertificate } from '../node/pki/machine-certs';
import { buildServer, loadOffices, type OpsOptions } from '../server/src/app';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { migrate } from '../server/src/migrations';
import { openStore, type Store } from '../server/src/store';
import { pkiTrust } from '../server/src/trust';
import type { ServerLimits } from '../server/src/limits';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { setUpWorkstation } from '../electron/services/workstation';
import { syncRound } from '../electron/services/sync/agent';
import { useGateway } from './intake-helpers';
import { seedPgliteFolder } from './pglite-template';

export const onPostgres = !!process.env.DATABASE_URL;

/** A schema of its own on PostgreSQL (dropped at close), or a PGlite folder in `dir`. */
export async function testStore(dir: string): Promise<{ store: Store; schema: string | null; drop: () => Promise<void> }> {
  const schema = onPostgres ? `t_${randomBytes(6).toString('hex')}` : null;
  if (!onPostgres) seedPgliteFolder(path.join(dir, 'server-data'));
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(dir, 'server-data'), schema: schema ?? undefined });
  return {
    store,
    schema,
    drop: async () => {
      if (schema) await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await store.close();
    },
  };
}

export async function startServer(pkiDir: string, dir: string, opts: { store?: Store; limits?: Partial<ServerLimits>; ops?: OpsOptions } = {}) {
  const own = opts.store ? null : await testStore(dir);
  const store = opts.store ?? own!.store;
  await migrate(store);
  const trust = pkiTrust(pkiDir);
  await loadOffices(store, trust);
  const gateway = issueGatewayCertificate({ dir: pkiDir, name: 'IS gateway (test)' });
  const app = buildServer({ store, trust, simulator: { registry: generateRegistry(7, 120), signer: { privateKeyPem: gateway.keyPem, chainPem: [gateway.certPem, ...gateway.chainPem] }, gateway: 'test' }, limits: opts.limits, ops: opts.ops });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `${opts.ops?.https ? 'https' : 'http'}://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    app,
    close: async () => {
      await app.close();
      await own?.drop();
    },
  };
}

/** A workstation of `office`, its device certificate issued at the PKI and installed, syncing with `serverUrl`. */
export function enrolledWorkstation(dataDir: string, pkiDir: string, officeCode: string, workstationCode: string, serverUrl: string, now?: () => Date) {
  const ctx = createContext({ dataDir, appVersion: 'test', now });
  const device = issueDeviceCertificate({ dir: pkiDir, officeCode, workstationCode });
  setUpWorkstation(ctx, {
    pkiDir,
    officeCode,
    workstationCode,
    device: { certsPem: [device.certPem, ...device.chainPem].join(''), keyPem: device.keyPem },
    devicePassphrase: { value: process.env.JARDEM_DEVICE_PASSPHRASE! },
    serverUrl,
  });
  useGateway(ctx, serverUrl);
  const dispatch = createDispatcher(ctx);
  return { ctx, dispatch, device, sync: () => syncRound(ctx) };
}

/** Whether a request is the workstation asking for files many to an answer. */
export const isBlobBatch = (url: unknown, init?: RequestInit) => String(url).endsWith('/sync/v1/blobs/batch') && init?.method === 'POST';

/** A fetch whose answers to the files' batch break after `bytes` of their body (a link that drops midway). */
export function cuttingBatchAfter(bytes: number): typeof fetch {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!isBlobBatch(url, init)) return response;
    const reader = response.body!.getReader();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        const room = bytes - sent;
        if (done || room <= 0) return controller.error(new TypeError('terminated'));
        controller.enqueue(value.subarray(0, room));
        sent += Math.min(room, value.byteLength);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}
