/**
 * 9:00 after an outage: N workstations (BENCH_RECONNECT_N, default 300; simulated agents, each with its own enrolled
 * device key, over real HTTP to the real server with back-pressure and the per-device limit on) come back at once,
 * each pushing the act it took while offline, then pulling until it holds every act of the office. All must
 * converge and nothing may be lost (checked, else the bench fails). Reported: the p95 push latency of the
 * reconnect, beside a baseline measured in the same run (pushes one at a time to the idle server), and how many
 * busy (503) and limited (429) answers, and requests unanswered within the agent's 30 s, the agents waited out
 * with the workstation's jittered back-off.
 * PostgreSQL when DATABASE_URL (or the machine's) answers, else PGlite.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { SYNC_PROTOCOL, type EnrolResponse, type PullResponse, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import { CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import { issueDeviceCertificate } from '../node/pki/machine-certs';
import { issueStaffKey } from '../node/pki/staff-keys';
import { signDetached } from '../node/pki/cms';
import { openKeyFile, normalizeSerial } from '../node/pki/keyfile';
import { signEvents } from '../node/events';
import { buildServer, loadOffices } from '../server/src/app';
import { migrate } from '../server/src/migrations';
import { openStore, type Store } from '../server/src/store';
import { pkiTrust } from '../server/src/trust';
import { ServerError, syncClient, type SyncClient } from '../electron/services/sync/client';
import { busyPauseMs, busyRetryAfter } from '../electron/services/sync/backoff';
import { percentile, report } from './stats';
import { nthFamily } from './generate';

const log = (s: string) => process.stderr.write(`${s}\n`);

const N = Number(process.env.BENCH_RECONNECT_N ?? 300);

async function benchStore(dir: string): Promise<Store> {
  const schema = `bench_reconnect_${randomBytes(4).toString('hex')}`;
  try {
    const s = await openStore({ databaseUrl: process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/test', schema });
    await s.query('SELECT 1');
    return Object.assign(s, { drop: () => s.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) });
  } catch {
    log('[bench] no PostgreSQL: PGlite');
    return openStore({ dataDir: path.join(dir, 'pglite') });
  }
}

interface Agent {
  code: string;
  certsPem: string;
  client: SyncClient;
  event: WireEvent;
}

function agents(pkiDir: string, url: string, n: number): Agent[] {
  const p12 = issueStaffKey({ dir: pkiDir, role: 'specialist', iin: '900512400018', surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' });
  const key = openKeyFile(p12, 'pw');
  const cert = new X509Certificate(key.chainPem[0]!);
  const actor = { iin: '900512400018', role: 'specialist', certSha256: createHash('sha256').update(cert.raw).digest('hex') };
  return Array.from({ length: n }, (_, i) => {
    const code = `R${i}`;
    const issued = issueDeviceCertificate({ dir: pkiDir, officeCode: 'AUE', workstationCode: code });
    const deviceCert = new X509Certificate(issued.certPem);
    const device = { officeCode: 'AUE', workstationCode: code, certPem: issued.certPem, chainPem: issued.chainPem, certSha256: createHash('sha256').update(deviceCert.raw).digest('hex'), serial: normalizeSerial(deviceCert.serialNumber), privateKeyPem: issued.keyPem };
    const draft = { type: 'intake.registered', id: uuidv7(), at: new Date().toISOString(), payload: { applicant: { iin: nthFamily(i).iin, surname: 'Бенч', givenName: 'Тест', patronymic: '', birthDate: nthFamily(i).birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, caseNumber: `AUE-${code}-2026-000001`, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: 'AUE', starts: [] } };
    const [signed] = signEvents(uuidv7(), { version: 0, headHash: null }, [draft], actor, (c) => signDetached(c, key));
    return { code, certsPem: [issued.certPem, ...issued.chainPem].join(''), client: syncClient(url, device, () => new Date()), event: { ...signed!, signature: signed!.signature.toString('base64') } };
  });
}

/** A request tried until the server takes it, waiting out busy and limited answers as the workstation's agent does. */
async function patiently<T>(op: () => Promise<T>, waited: { busy: number; limited: number; timedOut: number }): Promise<T> {
  for (let streak = 1; ; streak++) {
    try {
      return await op();
    } catch (error) {
      let retryAfter = busyRetryAfter(error);
      if (retryAfter !== null && (error as ServerError).status === 429) waited.limited++;
      else if (retryAfter !== null) waited.busy++;
      else if (error instanceof Error && (error.name === 'TimeoutError' || error.message === 'fetch failed')) {
        // No answer in 30 s (the agent's own time-out): the agent's next round comes after a pause; so here.
        waited.timedOut++;
        retryAfter = 2;
      } else throw error;
      await new Promise((r) => setTimeout(r, busyPauseMs(retryAfter, streak)));
    }
  }
}

const push = async (a: Agent) => {
  const t = performance.now();
  const r = await a.client.json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: [a.event] });
  const status = r.value.results[0]?.status;
  if (status !== 'applied' && status !== 'duplicate') throw new Error(`push of ${a.code}: ${JSON.stringify(r.value.results[0])}`);
  return performance.now() - t;
};

export async function benchReconnect(pkiDir: string) {
  const dir = path.resolve('.bench-data', 'reconnect');
  rmSync(dir, { recursive: true, force: true });
  const store = await benchStore(dir);
  await migrate(store);
  const trust = pkiTrust(pkiDir);
  await loadOffices(store, trust);
  // The city's devices come from their offices' addresses; here all come from 127.0.0.1, above the per-address cap.
  const app = buildServer({ store, trust, limits: { connectionsPerAddress: 4 * N }, ops: { pressure: { maxEventLoopDelayMs: 1000, retryAfterSeconds: 2, perDevicePerMinute: 1200 } } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  log(`[bench] reconnect: issuing ${N} device keys`);
  const all = agents(pkiDir, url, N);
  const waited = { busy: 0, limited: 0, timedOut: 0 };
  // Enrolled before the outage.
  for (const a of all) await patiently(() => a.client.json<EnrolResponse>('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: a.certsPem }), waited);
  log('[bench] reconnect: enrolled');
  // The baseline: the first few push one at a time to the idle server.
  const alone = Math.min(20, Math.floor(N / 10) || 1);
  const baseline: number[] = [];
  for (const a of all.slice(0, alone)) baseline.push(await patiently(() => push(a), waited));
  log('[bench] reconnect: baseline measured');
  // 9:00: every workstation at once. Each pushes its act, then pulls until it holds every act of the office.
  const latencies: number[] = [];
  const ids = new Set(all.map((a) => a.event.id));
  const started = performance.now();
  await Promise.all(
    all.map(async (a) => {
      latencies.push(await patiently(() => push(a), waited));
      const have = new Set<string>();
      let cursor = '0';
      while (have.size < N) {
        const page = (await patiently(() => a.client.json<PullResponse>('GET', `/sync/v1/pull?cursor=${cursor}&limit=1000&wait=5`, undefined, { timeoutMs: 60_000 }), waited)).value;
        for (const e of page.events) if (ids.has(e.id)) have.add(e.id);
        cursor = page.cursor;
      }
    }),
  );
  const convergedMs = performance.now() - started;
  const onServer = (await store.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE office_code = 'AUE'"))[0]!.n;
  if (onServer !== N) throw new Error(`reconnect: the server holds ${onServer} acts of ${N}: something was lost`);
  const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
  report(`reconnect: p95 push latency, ${N} workstations at once (baseline: one at a time)`, percentile(sorted(latencies), 95), 'ms', percentile(sorted(baseline), 95), {
    n: N,
    p50: Math.round(percentile(sorted(latencies), 50)),
    convergedMs: Math.round(convergedMs),
    busyAnswers: waited.busy,
    limitedAnswers: waited.limited,
    timedOut: waited.timedOut,
    store: store.kind,
  });
  await app.close();
  await (store as Store & { drop?: () => Promise<unknown> }).drop?.();
  await store.close();
}
