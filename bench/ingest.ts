/**
 * The server's ingest under load: 200 simulated workstations pushing at once, as 200 sync clients in one process
 * (each its own enrolled device, its own cases, every request signed with its device key), against the server
 * running as its own process on PostgreSQL. The events are signed before the measured window; the window is the
 * pushes only. Reported: p50 and p95 push latency, events applied per second, against the raw INSERT throughput of
 * the same PostgreSQL (the same rows, the same number of concurrent connections as the server's pool); and W1→W2
 * visibility meanwhile, W1 and W2 in a process of their own (./ingest-watch.ts), as two workstations are hosts of
 * their own and not clients of the pushers' event loop.
 * A bounded run: BENCH_INGEST_DEVICES (200) × BENCH_INGEST_CASES (5) cases × 10 events, in two pushes per device.
 */
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { v7 as uuidv7 } from 'uuid';
import { SYNC_PROTOCOL, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import { CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import { issueStaffKey } from '../node/pki/staff-keys';
import { issueDeviceCertificate } from '../node/pki/machine-certs';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { signEvents } from '../node/events';
import type { DeviceIdentity } from '../electron/services/device';
import { syncClient, type SyncClient } from '../electron/services/sync/client';
import { openStore } from '../server/src/store';
import { percentile, report } from './stats';
import { nthFamily } from './generate';

const log = (s: string) => process.stderr.write(`${s}\n`);
const DEVICES = Number(process.env.BENCH_INGEST_DEVICES ?? 200);
const CASES = Number(process.env.BENCH_INGEST_CASES ?? 5);
const PER_CASE = 10;
const POOL = 8; // the server's pg pool (server/src/store.ts)

function startServer(pkiDir: string, dataDir: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('dist/node/server.cjs'), '--pki', pkiDir, '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{"event":"listening"') && resolve({ url: (JSON.parse(l) as { url: string }).url, stop: () => child.kill('SIGTERM') }));
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

/** A device of the office, not one of the pushers: W1 and W2 of the visibility row. */
function watcher(pkiDir: string, code: string): DeviceIdentity {
  const cert = issueDeviceCertificate({ dir: pkiDir, officeCode: 'AUE', workstationCode: code });
  const x = new X509Certificate(cert.certPem);
  return { officeCode: 'AUE', workstationCode: code, certPem: cert.certPem, chainPem: cert.chainPem, certSha256: createHash('sha256').update(x.raw).digest('hex'), serial: x.serialNumber, privateKeyPem: cert.keyPem };
}

/**
 * W1 and W2 in a process of their own (./ingest-watch.ts): W1 pushes a new case's first act, W2 long-polls until it
 * arrives, one sample at a time while the devices push. Resolves to the latencies once `stop` is called.
 */
async function startWatch(url: string, w1: DeviceIdentity, w2: DeviceIdentity, samples: WireEvent[][]): Promise<{ stop: () => Promise<number[]> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/ingest-watch.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => child.once('exit', (c) => reject(new Error(`the W1/W2 process exited ${c}`))));
  child.stdin!.write(`${JSON.stringify({ url, w1, w2, samples })}\n`);
  const ready = await Promise.race([out.next(), exited]);
  if (ready.value !== 'ready') throw new Error(`the W1/W2 process said ${String(ready.value)}`);
  return {
    stop: async () => {
      child.stdin!.write('stop\n');
      const line = await Promise.race([out.next(), exited]);
      return JSON.parse(String(line.value)) as number[];
    },
  };
}

export async function benchIngest(pkiDir: string) {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
  const schema = 'bench_ingest200';
  try {
    const probe = await openStore({ databaseUrl });
    await probe.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await probe.close();
  } catch {
    log('[bench] ingest: no PostgreSQL, skipped (it measures the server on PostgreSQL)');
    return;
  }
  const dir = path.resolve('.bench-data', 'ingest');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  // Before the window: the devices, one specialist key, and every event signed.
  log(`[bench] ingest: ${DEVICES} devices, ${DEVICES * CASES * PER_CASE} events, signed before the window`);
  const key = openKeyFile(issueStaffKey({ dir: pkiDir, role: 'specialist', iin: '900512400018', surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' }), 'pw');
  const actor = { iin: '900512400018', role: 'specialist', certSha256: createHash('sha256').update(new X509Certificate(key.chainPem[0]!).raw).digest('hex') };
  const devices: { code: string; identity: DeviceIdentity; batches: WireEvent[][] }[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const code = `G${d}`;
    const cert = issueDeviceCertificate({ dir: pkiDir, officeCode: 'AUE', workstationCode: code });
    const x = new X509Certificate(cert.certPem);
    const identity: DeviceIdentity = { officeCode: 'AUE', workstationCode: code, certPem: cert.certPem, chainPem: cert.chainPem, certSha256: createHash('sha256').update(x.raw).digest('hex'), serial: x.serialNumber, privateKeyPem: cert.keyPem };
    const events: WireEvent[] = [];
    for (let c = 0; c < CASES; c++) {
      const { iin, birthDate } = nthFamily(d * CASES + c);
      const applicant = { iin, surname: 'Бенч', givenName: 'Тест', patronymic: '', birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
      const drafts = [
        { type: 'intake.registered', payload: { applicant, caseNumber: `AUE-${code}-2026-${String(c + 1).padStart(6, '0')}`, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: 'AUE', starts: [] } },
        ...Array.from({ length: PER_CASE - 1 }, (_, k) => ({
          type: 'application.recorded',
          payload: { application: { identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' }, registrationAddress: `Алматы ${k}`, bankAccount: { iban: 'KZ123456789012345678', bank: 'Halyk' }, representative: null, members: [{ id: 'm1', relation: 'applicant', iin, surname: 'Бенч', givenName: 'Тест', patronymic: '', birthDate }], income: [], applicantDataMatchBirthCertificates: true } },
        })),
      ];
      const signed = signEvents(uuidv7(), { version: 0, headHash: null }, drafts.map((x) => ({ ...x, id: uuidv7(), at: new Date().toISOString() })), actor, (b) => signDetached(b, key));
      events.push(...signed.map((e) => ({ ...e, signature: e.signature.toString('base64') })));
    }
    const half = Math.ceil(events.length / 2);
    devices.push({ code, identity, batches: [events.slice(0, half), events.slice(half)] });
  }
  // W1's samples: one new case each (another family), its first act only.
  const w1Identity = watcher(pkiDir, 'W1');
  const w2Identity = watcher(pkiDir, 'W2');
  const samples = Array.from({ length: 200 }, (_, i) => {
    const { iin, birthDate } = nthFamily(DEVICES * CASES + i);
    const applicant = { iin, surname: 'Бенч', givenName: 'Тест', patronymic: '', birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
    const draft = { type: 'intake.registered', payload: { applicant, caseNumber: `AUE-W1-2026-${String(i + 1).padStart(6, '0')}`, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: 'AUE', starts: [] }, id: uuidv7(), at: new Date().toISOString() };
    return signEvents(uuidv7(), { version: 0, headHash: null }, [draft], actor, (b) => signDetached(b, key)).map((e) => ({ ...e, signature: e.signature.toString('base64') }));
  });

  // The city's devices come from their offices' addresses; here all come from 127.0.0.1, above the per-address cap.
  const server = await startServer(pkiDir, path.join(dir, 'server'), { DATABASE_URL: databaseUrl, JARDEM_SERVER_SCHEMA: schema, JARDEM_CONNECTIONS_PER_ADDRESS: String(4 * DEVICES) });
  try {
    const clients: SyncClient[] = [];
    for (const d of devices) {
      const client = syncClient(server.url, d.identity, () => new Date());
      await client.json('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: [d.identity.certPem, ...d.identity.chainPem].join('') });
      clients.push(client);
    }
    for (const identity of [w1Identity, w2Identity]) await syncClient(server.url, identity, () => new Date()).json('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: [identity.certPem, ...identity.chainPem].join('') });
    const watch = await startWatch(server.url, w1Identity, w2Identity, samples);

    // The window: all devices push at once, each its two batches one after the other.
    const latencies: number[] = [];
    let refused = 0;
    const t0 = performance.now();
    await Promise.all(
      devices.map(async (d, i) => {
        for (const batch of d.batches) {
          const t = performance.now();
          const r = await clients[i]!.json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: batch }, { timeoutMs: 600_000 });
          latencies.push(performance.now() - t);
          const bad = r.value.results.filter((x) => x.status !== 'applied');
          refused += bad.length;
          if (bad.length && refused === bad.length) log(`[bench] ingest: refused ${JSON.stringify(bad[0])}`);
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const visible = (await watch.stop()).sort((a, b) => a - b);
    if (refused > 0) throw new Error(`${refused} events refused in the ingest run`);
    const total = devices.reduce((n, d) => n + d.batches.flat().length, 0);
    const perS = total / (wallMs / 1000);

    // The baseline: the same rows inserted raw into the same PostgreSQL, over as many connections as the server's pool.
    // openStore's pool has the server's size (POOL).
    const pool = await openStore({ databaseUrl, schema });
    // Its time moves with what PostgreSQL is flushing at that moment (the ingest's own writes among it): the median
    // of three runs, each into a new table.
    const rows = devices.flatMap((d) => d.batches.flat());
    const rawRuns: number[] = [];
    for (let run = 0; run < 3; run++) {
      await pool.query(`DROP TABLE IF EXISTS ${schema}.raw_ingest`);
      await pool.query(`CREATE TABLE ${schema}.raw_ingest (office_code TEXT, id TEXT, case_id TEXT, seq INT, type TEXT, payload TEXT, hash TEXT, signature BYTEA, PRIMARY KEY (office_code, id))`);
      let next = 0;
      const t1 = performance.now();
      await Promise.all(
        Array.from({ length: POOL }, async () => {
          for (let e = rows[next++]; e; e = rows[next++]) await pool.query(`INSERT INTO ${schema}.raw_ingest VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, ['AUE', e.id, e.caseId, e.seq, e.type, e.payload, e.hash, Buffer.from(e.signature, 'base64')]);
        }),
      );
      rawRuns.push(rows.length / ((performance.now() - t1) / 1000));
    }
    rawRuns.sort((x, y) => x - y);
    const rawPerS = rawRuns[1]!;
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.close();

    const sorted = [...latencies].sort((a, b) => a - b);
    report(`sync.ingest_${DEVICES}_workstations.events_per_s`, perS, 'events/s', rawPerS, {
      baselineIs: `raw INSERT of the same rows into the same PostgreSQL over ${POOL} connections (the server's pool), the median of three`,
      baselineRuns: rawRuns.map(Math.round),
      devices: DEVICES,
      events: total,
      pushes: latencies.length,
      wallMs: Math.round(wallMs),
      includes: 'request signature check, hash, CMS signature with chain and CRL, catalogue and projection, order, one transaction per case run',
    });
    report(`sync.w1_to_w2_while_${DEVICES}_push.p50`, visible.length ? percentile(visible, 50) : NaN, 'ms', null, {
      p95: visible.length ? Math.round(percentile(visible, 95)) : null,
      samples: visible.length,
      target: 'p50 ≤ 300 ms, p95 ≤ 1 s',
      measures: "W1's push of a new case's act to the page of W2's long poll that holds it (W1 and W2 in a process of their own), while the devices push (the workstations' own commit and verify are in sync.commit_on_w1_visible_on_w2)",
    });
    report(`sync.ingest_${DEVICES}_workstations.push_p50`, percentile(sorted, 50), 'ms', null, { p95: Math.round(percentile(sorted, 95)), eventsPerPush: Math.round(total / latencies.length), measures: 'one push request of a device while all the devices push at once' });
  } finally {
    server.stop();
  }
}
