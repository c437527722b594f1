/**
 * The central server and sync, over loopback, against baselines measured in the same run:
 * - a push of 10,000 events and 1,000 blobs of 200 KB with the signature checks excluded, against the same requests
 *   to a bare Fastify that stores the same rows with raw INSERTs (target ≤ 2×); the same push with the checks, and
 *   their share of the time;
 * - the pull of those 10,000 events into a fresh workstation (each verified and committed through the commit path),
 *   against a raw INSERT of the same rows into SQLite;
 * - the server's ingest in events per second with verification, on one core, against a raw INSERT of the same rows
 *   into the same PostgreSQL;
 * - a commit on W1 visible on W2, both online (two real services processes with their agents): p50, target ≤ 2 s.
 * PostgreSQL when DATABASE_URL (or the machine's, postgres://127.0.0.1:5432/test) answers, else PGlite.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { SYNC_PROTOCOL, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import { CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import { issueStaffKey } from '../node/pki/staff-keys';
import { takeStaffFile } from '../server/src/staff/register';
import { issueDeviceCertificate } from '../node/pki/machine-certs';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { signEvents } from '../node/events';
import { buildServer, loadOffices } from '../server/src/app';
import { migrate } from '../server/src/migrations';
import { openStore, type Store } from '../server/src/store';
import { pkiTrust } from '../server/src/trust';
import { createContext } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import { loadDevice } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { syncRound } from '../electron/services/sync/agent';
import { percentile, report } from './stats';
import { nthFamily } from './generate';
import { bareServer } from './sync-bare-server';

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const CASES = Number(process.env.BENCH_SYNC_CASES ?? 500);
const PER_CASE = 20;
const BLOB_BYTES = 200 * 1024;

const PG_URL = process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

async function pgStore(schema: string, dir: string): Promise<Store> {
  try {
    const s = await openStore({ databaseUrl: PG_URL, schema });
    await s.query('SELECT 1');
    return s;
  } catch {
    log('[bench] no PostgreSQL: PGlite');
    return openStore({ dataDir: path.join(dir, schema) });
  }
}

/** 10,000 signed events of 500 cases, each another family (an intake, 18 applications, a page naming two 200 KB blobs) and the blobs. */
function fixture(pkiDir: string) {
  const p12 = issueStaffKey({ dir: pkiDir, role: 'specialist', iin: '900512400018', surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' });
  const key = openKeyFile(p12, 'pw');
  const cert = new X509Certificate(key.chainPem[0]!);
  const actor = { iin: '900512400018', role: 'specialist', certSha256: createHash('sha256').update(cert.raw).digest('hex') };
  const blobs: { sha: string; bytes: Buffer }[] = [];
  const events: WireEvent[] = [];
  for (let i = 0; i < CASES; i++) {
    const caseId = uuidv7();
    const a = randomBytes(BLOB_BYTES);
    const b = randomBytes(BLOB_BYTES);
    const [sa, sb] = [a, b].map((x) => createHash('sha256').update(x).digest('hex'));
    const { iin, birthDate } = nthFamily(i);
    blobs.push({ sha: sa!, bytes: a }, { sha: sb!, bytes: b });
    const drafts = [
      { type: 'intake.registered', payload: { applicant: { iin, surname: 'Бенч', givenName: 'Тест', patronymic: '', birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, caseNumber: `AUE-WB-2026-${String(i + 1).padStart(6, '0')}`, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: 'AUE', starts: [] } },
      ...Array.from({ length: PER_CASE - 2 }, (_, k) => ({
        type: 'application.recorded',
        payload: { application: { identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' }, registrationAddress: `Алматы ${k}`, bankAccount: { iban: 'KZ123456789012345678', bank: 'Halyk' }, representative: null, members: [{ id: 'm1', relation: 'applicant', iin, surname: 'Бенч', givenName: 'Тест', patronymic: '', birthDate }], income: [], applicantDataMatchBirthCertificates: true } },
      })),
      { type: 'page.captured', payload: { pageId: uuidv7(), documentKind: 'application_form', position: 1, blob: sa, signature: sb, thumbnail: null, mediaType: 'image/png', width: 1654, height: 2339, dpi: 200, quality: [], source: 'bench' } },
    ];
    const signed = signEvents(caseId, { version: 0, headHash: null }, drafts.map((d) => ({ ...d, id: uuidv7(), at: new Date().toISOString() })), actor, (c) => signDetached(c, key));
    events.push(...signed.map((e) => ({ ...e, signature: e.signature.toString('base64') })));
  }
  return { events, blobs };
}

/** A server or a browser host in a process of its own, once it says where it listens. */
function listenChild(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ url: string; kill: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{"event":"listening"') && resolve({ url: (JSON.parse(l) as { url: string }).url, kill: () => child.kill('SIGTERM') }));
    child.once('exit', (c) => reject(new Error(`exited ${c}`)));
  });
}

/** A raw INSERT of the events' rows into a new SQLite file in one transaction (WAL, as the workstation's): its time. */
function rawInsertMs(file: string, events: readonly WireEvent[]): number {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE e (id TEXT PRIMARY KEY, case_id TEXT, seq INT, type TEXT, payload TEXT, hash TEXT, signature BLOB)');
  const ins = raw.prepare('INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?)');
  const t = performance.now();
  raw.transaction(() => {
    for (const e of events) ins.run(e.id, e.caseId, e.seq, e.type, e.payload, e.hash, Buffer.from(e.signature, 'base64'));
  })();
  const ms = performance.now() - t;
  raw.close();
  return ms;
}

async function timePush(send: (events: WireEvent[]) => Promise<void>, putBlob: (b: { sha: string; bytes: Buffer }) => Promise<void>, events: WireEvent[], blobs: { sha: string; bytes: Buffer }[]) {
  const t = performance.now();
  for (const b of blobs) await putBlob(b);
  for (let i = 0; i < events.length; i += 500) await send(events.slice(i, i + 500));
  return performance.now() - t;
}

export async function benchSync(pkiDir: string) {
  const dir = path.resolve('.bench-data', 'sync');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`[bench] sync: signing ${CASES * PER_CASE} events, ${CASES * 2} blobs of 200 KB`);
  const { events, blobs } = fixture(pkiDir);
  const trust = pkiTrust(pkiDir);

  // The server (signatures checked, and not) and the bare baseline, each on a schema of its own.
  const serve = async (schema: string, skipSignatures: boolean) => {
    const store = await pgStore(schema, dir);
    await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await store.close();
    const fresh = await pgStore(schema, dir);
    await migrate(fresh);
    await loadOffices(fresh, trust);
    // As the server's command line starts it: blob bytes cached on disk after the first read or the upload.
    const app = buildServer({ store: fresh, trust, apply: { skipSignatures }, blobCacheDir: path.join(dir, `blob-cache-${schema}`) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const drop = async () => (await fresh.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`), await fresh.close());
    return {
      store: fresh,
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: async () => (await app.close(), await drop()),
      // The same schema served by the server's own process, as a workstation meets it (PostgreSQL only: a PGlite
      // folder serves one process, so with PGlite the pull meets the server in this process).
      asProcess: async () => {
        if (fresh.kind !== 'pg') return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: async () => (await app.close(), await drop()), where: 'in the bench process' };
        await app.close();
        const child = await listenChild([path.resolve('dist/node/server.cjs'), '--pki', pkiDir, '--data-dir', path.join(dir, `server-${schema}`), '--blob-cache', path.join(dir, `blob-cache-${schema}`), '--port', '0'], { DATABASE_URL: PG_URL, JARDEM_SERVER_SCHEMA: schema, JARDEM_MAX_EVENT_LOOP_DELAY_MS: '0' });
        return { url: child.url, close: async () => (child.kill(), await drop()), where: 'a process of its own' };
      },
    };
  };
  const device = (serverUrl: string, code: string) => {
    const ctx = createContext({ dataDir: path.join(dir, `ws-${code}-${serverUrl.split(':').pop()}`), appVersion: 'bench' });
    const d = issueDeviceCertificate({ dir: pkiDir, officeCode: 'AUE', workstationCode: code });
    setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: code, device: { certsPem: [d.certPem, ...d.chainPem].join(''), keyPem: d.keyPem }, devicePassphrase: { value: process.env.JARDEM_DEVICE_PASSPHRASE ?? 'bench' }, serverUrl });
    return ctx;
  };

  const bareStore = await pgStore('bench_bare', dir);
  await bareStore.query('DROP TABLE IF EXISTS bare_events; DROP TABLE IF EXISTS bare_blobs').catch(async () => {
    await bareStore.query('DROP TABLE IF EXISTS bare_events');
    await bareStore.query('DROP TABLE IF EXISTS bare_blobs');
  });
  const bare = await bareServer(bareStore);
  const bareMs = await timePush(
    async (batch) => void (await fetch(`${bare.url}/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ protocol: SYNC_PROTOCOL, events: batch }) })).json(),
    async (b) => void (await fetch(`${bare.url}/blob/${b.sha}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(b.bytes) })),
    events,
    blobs,
  );
  await bare.close();
  await bareStore.close();

  const results: Record<string, number> = {};
  for (const [name, skip] of [['without_signature_checks', true], ['with_signature_checks', false]] as const) {
    const s = await serve(`bench_${name}`, skip);
    const ctx = device(s.url, skip ? 'WB' : 'WC');
    const client = syncClient(s.url, loadDevice(ctx)!, () => new Date());
    await client.json('POST', '/sync/v1/enrol', { protocol: SYNC_PROTOCOL, certsPem: (() => { const d = loadDevice(ctx)!; return [d.certPem, ...d.chainPem].join(''); })() });
    let refused = 0;
    results[name] = await timePush(
      async (batch) => {
        const r = await client.json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events: batch }, { timeoutMs: 600_000 });
        refused += r.value.results.filter((x) => x.status !== 'applied').length;
      },
      (b) => client.putBlob(b.sha, b.bytes, 'image/png'),
      events,
      blobs,
    );
    if (refused > 0) throw new Error(`${refused} events refused in the ${name} push`);
    ctx.db.close();
    if (!skip) {
      // The pull of all of it into a fresh workstation: each event verified and committed, its blobs fetched.
      const served = await s.asProcess();
      const fresh = device(served.url, 'WP');
      const t = performance.now();
      const r = await syncRound(fresh);
      const pullMs = performance.now() - t;
      if (r.pulled !== events.length) throw new Error(`pulled ${r.pulled} of ${events.length}`);
      fresh.db.close();
      // The baseline's one commit writes and flushes some 35 MB, so it moves with the disk's moment: the median of three.
      const rawRuns = [0, 1, 2].map((k) => rawInsertMs(path.join(dir, `raw-pull-${k}.sqlite`), events)).sort((a, b) => a - b);
      const rawMs = rawRuns[1]!;
      report('sync.pull_10k_into_fresh_workstation', pullMs, 'ms', rawMs, { baselineIs: 'a raw INSERT of the same event rows into SQLite (one transaction), the median of three', baselineRunsMs: rawRuns.map(Math.round), events: events.length, blobs: blobs.length, eventsPerS: Math.round(events.length / (pullMs / 1000)), target: '≤ 10× (≥ 2,000 verified events/s)', server: served.where, includes: 'HTTP pages of 500, blob downloads (six at once) re-hashed, CMS verification of each event, the commit path' });
      // A new (or restored) workstation joining an office of 300,000 events with the same share of scans: the pull
      // above is linear in the events (pages of 500, one transaction each), so its rate carries over.
      const joinS = (300_000 / events.length) * (pullMs / 1000);
      report('sync.join_office_300k_events.extrapolated', joinS, 's', (300_000 / events.length) * (rawMs / 1000), {
        baselineIs: 'the raw INSERT above, scaled the same way',
        formula: `300000 / ${events.length} × ${(pullMs / 1000).toFixed(1)} s (the 10k pull, ${blobs.length} blobs of ${BLOB_BYTES / 1024} KB)`,
        blobsGb: Number(((300_000 / events.length) * blobs.length * BLOB_BYTES / 2 ** 30).toFixed(1)),
      });
      await served.close();
    } else await s.close();
  }
  report('sync.push_10k_events_1k_blobs.without_signature_checks', results.without_signature_checks!, 'ms', bareMs, { baselineIs: 'the same requests to a bare Fastify storing the same rows with raw INSERTs (same PostgreSQL)', target: '≤ 2×' });
  report('sync.push_10k_events_1k_blobs.with_signature_checks', results.with_signature_checks!, 'ms', bareMs, {
    baselineIs: 'the same bare Fastify',
    signatureShare: Math.round(((results.with_signature_checks! - results.without_signature_checks!) / results.with_signature_checks!) * 1000) / 1000,
  });

  // Ingest on one core: events applied per second with verification, against raw INSERTs into the same PostgreSQL.
  const ingestStore = await pgStore('bench_ingest', dir);
  await ingestStore.query('DROP TABLE IF EXISTS raw_ingest').catch(() => undefined);
  await ingestStore.query('CREATE TABLE raw_ingest (id TEXT PRIMARY KEY, payload TEXT, signature BYTEA)');
  // The page events name blobs this fresh schema does not hold: the ingest measures the events, without them (each is its case's last).
  const slice = events.filter((e) => e.type !== 'page.captured').slice(0, 2000);
  let t = performance.now();
  for (const e of slice) await ingestStore.query('INSERT INTO raw_ingest VALUES ($1, $2, $3)', [e.id, e.payload, Buffer.from(e.signature, 'base64')]);
  const rawPerS = slice.length / ((performance.now() - t) / 1000);
  await ingestStore.query('DROP TABLE raw_ingest');
  await ingestStore.close();
  const s = await serve('bench_ingest_server', false);
  const { applyPush } = await import('../server/src/sync/apply');
  // The office's staff register first, as the push route takes it: each event's signer is checked against it.
  await takeStaffFile(s.store, trust);
  t = performance.now();
  const applied = await applyPush(s.store, { officeCode: 'AUE', workstationCode: 'WI', certSha256: 'x', bin: trust.offices().find((o) => o.code === 'AUE')!.bin }, trust.store(), slice);
  const perS = slice.length / ((performance.now() - t) / 1000);
  const notApplied = applied.filter((r) => r.status !== 'applied');
  if (notApplied.length) throw new Error(`ingest refused ${notApplied.length} events, the first: ${JSON.stringify(notApplied[0])}`);
  await s.close();
  report('sync.server_ingest_events_per_s', perS, 'events/s', rawPerS, { baselineIs: 'raw INSERT of the same rows into the same PostgreSQL, one by one', includes: 'hash, CMS signature, chain and CRL, projection, order, one transaction per run of events of a case' });
}

/** A commit on W1 visible on W2: two browser hosts (real services processes with their sync agents) and a server. */
export async function benchLatency(pkiDir: string) {
  const dir = path.resolve('.bench-data', 'latency');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A schema of its own, new each run: the devices L1 and L2 of an earlier run would hold their codes (device_taken).
  const probe = await pgStore('bench_latency', dir);
  if (probe.kind === 'pg') await probe.query('DROP SCHEMA IF EXISTS bench_latency CASCADE');
  await probe.close().then(() => rmSync(path.join(dir, 'bench_latency'), { recursive: true, force: true }));
  const server = await listenChild([path.resolve('dist/node/server.cjs'), '--pki', pkiDir, '--data-dir', path.join(dir, 'server'), '--port', '0'], { JARDEM_SERVER_SCHEMA: 'bench_latency' });
  const hosts = [];
  for (const code of ['L1', 'L2']) {
    const dataDir = path.join(dir, code);
    const ctx = createContext({ dataDir, appVersion: 'bench' });
    const d = issueDeviceCertificate({ dir: pkiDir, officeCode: 'AUE', workstationCode: code });
    setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: code, device: { certsPem: [d.certPem, ...d.chainPem].join(''), keyPem: d.keyPem }, devicePassphrase: { value: process.env.JARDEM_DEVICE_PASSPHRASE ?? 'bench' }, serverUrl: server.url });
    ctx.db.close();
    hosts.push(await listenChild([path.resolve('dist/node/browser-host.cjs'), '--data-dir', dataDir, '--no-open', '--port', '0']));
  }
  const rpc = async <T>(hostUrl: string, method: string, input: unknown, session?: string) => {
    const u = new URL(hostUrl);
    const body = (await (await fetch(`${u.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': u.hash.slice(8) }, body: JSON.stringify({ method, input, session }) })).json()) as { ok: boolean; value: T };
    if (!body.ok) throw new Error(JSON.stringify(body));
    return body.value;
  };
  const p12 = issueStaffKey({ dir: pkiDir, role: 'specialist', iin: '900512400018', surname: 'Бенч', givenName: 'Тест', officeCode: 'AUE', password: 'pw' }).toString('base64');
  const token = (await rpc<{ token: string }>(hosts[0]!.url, 'session.signIn', { p12Base64: p12, password: 'pw' })).token;
  // W2's stream of pushed events: a case changed there is the commit made visible.
  const u2 = new URL(hosts[1]!.url);
  const seen = new Map<string, number>();
  const stream = await fetch(`${u2.origin}/events`, { headers: { 'x-jardem-secret': u2.hash.slice(8) } });
  void (async () => {
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const m of value.matchAll(/"caseId":"([^"]+)"/g)) if (!seen.has(m[1]!)) seen.set(m[1]!, performance.now());
    }
    // The stream ends when the host is stopped at the end of the measure: "terminated" is expected then.
  })().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 3000));
  const latencies: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const c = await rpc<{ case: { id: string } }>(hosts[0]!.url, 'cases.registerApplicant', { iin: nthFamily(i).iin, surname: `Жылдам${i}`, givenName: 'Тест', birthDate: nthFamily(i).birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, token);
    while (!seen.has(c.case.id) && performance.now() - t < 30_000) await new Promise((r) => setTimeout(r, 20));
    latencies.push((seen.get(c.case.id) ?? Infinity) - t);
  }
  report('sync.commit_on_w1_visible_on_w2.p50', median(latencies), 'ms', null, { p95: percentile([...latencies].sort((a, b) => a - b), 95), samples: latencies.length, target: 'p50 ≤ 2000 ms', measures: 'registerApplicant answered on W1 to the case.changed event on W2’s stream (push, server, long poll, verify, commit)' });
  for (const h of hosts) h.kill();
  server.kill();
}
