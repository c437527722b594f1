/**
 * `npm run server -- [--data-dir DIR] [--pki DIR] [--port N] [--is-simulator]` (also `node dist/node/server.cjs …`):
 * the central server; the information-system simulator only with --is-simulator (the demo and the tests set it),
 * behind the same device signature as sync. PostgreSQL when DATABASE_URL is set; otherwise an embedded PGlite
 * database in --data-dir (the server's own folder, never a workstation's; default $XDG_DATA_HOME/jardem-server),
 * locked against a second server. --pki is the simulated PKI's folder: its public certificates, offices.json and
 * crl.pem say whom to trust (default: the demo office's, beside the workstation's default data folder); the
 * simulated gateway's signing key is issued there once (which reads the issuing CA's key, with $JARDEM_CA_PASSPHRASE).
 * Prints one JSON line {"event":"listening","url":…} when ready; the rest of stdout is the JSON log.
 * TLS (--tls-cert/--tls-key), health, metrics, limits, draining and `devices list|revoke`: server/README.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueGatewayCertificate } from '../../node/pki/machine-certs';
import { defaultDataDir, defaultServerDir, demoOfficeDir } from '../../node/paths';
import { buildServer, loadOffices } from './app';
import { generateRegistry } from './is-simulator/registry';
import { LIMITS } from './limits';
import { migrate } from './migrations';
import { openStore } from './store';
import { pkiTrust } from './trust';
import { drainer } from './ops/drain';
import { listenPlan } from './ops/listen';
import { runDevicesCommand } from './cli/devices';

const envNumber = (name: string, fallback: number) => (process.env[name] && Number.isFinite(Number(process.env[name])) ? Number(process.env[name]) : fallback);

/** The simulated gateway's signing key and chain, issued at the PKI the first time (with the CA's passphrase). */
function gatewaySigner(pkiDir: string) {
  const keyFile = path.join(pkiDir, 'is-gateway.key.pem');
  const certFile = path.join(pkiDir, 'is-gateway.crt.pem');
  if (!existsSync(keyFile)) {
    const issued = issueGatewayCertificate({ dir: pkiDir, name: 'Мемлекеттік ақпараттық жүйелер шлюзі — имитация' });
    writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
    writeFileSync(certFile, [issued.certPem, ...issued.chainPem].join(''));
  }
  const chainPem = readFileSync(certFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  return { privateKeyPem: readFileSync(keyFile, 'utf8'), chainPem };
}

async function main() {
  if (process.argv[2] === 'devices') return runDevicesCommand(process.argv.slice(3));
  const { values } = parseArgs({
    options: {
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean', default: false },
      port: { type: 'string', default: '5190' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '42' },
      families: { type: 'string', default: '300' },
      pki: { type: 'string' },
      'data-dir': { type: 'string' },
      fault: { type: 'string' },
      // The information-system simulator answers with families' personal data (synthetic, but shaped as real): it is
      // for the demo and the tests, never a production server, so it is off unless asked for by name.
      'is-simulator': { type: 'boolean', default: false },
      'blob-cache': { type: 'string' },
    },
  });
  const plan = listenPlan({ host: values.host, certFile: values['tls-cert'] ?? process.env.JARDEM_TLS_CERT, keyFile: values['tls-key'] ?? process.env.JARDEM_TLS_KEY, insecureHttp: values['insecure-http'] });
  if (!plan.ok) {
    console.error(plan.message);
    process.exit(2);
  }
  const pkiDir = path.resolve(values.pki ?? path.join(demoOfficeDir(defaultDataDir()), 'pki'));
  if (!existsSync(path.join(pkiDir, 'root.crt.pem'))) {
    console.error(`No simulated PKI in ${pkiDir}. Create the demo office first (npm start, then "create the demo office"), or give --pki DIR (jardem pki init --dir DIR).`);
    process.exit(2);
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultServerDir());
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir, schema: process.env.JARDEM_SERVER_SCHEMA });
  await migrate(store);
  const trust = pkiTrust(pkiDir);
  await loadOffices(store, trust);
  const registry = values['is-simulator'] ? generateRegistry(Number(values.seed), Number(values.families)) : null;
  const drain = drainer({
    delayMs: envNumber('JARDEM_DRAIN_DELAY_MS', 0),
    timeoutMs: envNumber('JARDEM_DRAIN_TIMEOUT_MS', 40_000),
    close: async () => {
      await app.close();
      await store.close();
    },
    log: (event) => app.log.info({ event }, `server ${event}`),
  });
  const app = buildServer({
    ops: {
      log: { level: process.env.JARDEM_LOG_LEVEL ?? 'info' },
      https: plan.https ?? undefined,
      readiness: { draining: drain.draining },
      processMetrics: true,
      pressure: {
        maxEventLoopDelayMs: envNumber('JARDEM_MAX_EVENT_LOOP_DELAY_MS', 1000),
        retryAfterSeconds: envNumber('JARDEM_RETRY_AFTER_S', 10),
        perDevicePerMinute: envNumber('JARDEM_RATE_LIMIT_PER_MINUTE', 1200),
      },
    },
    // Behind a reverse proxy every office arrives from the proxy's address: its operator raises the cap.
    limits: { connectionsPerAddress: envNumber('JARDEM_CONNECTIONS_PER_ADDRESS', LIMITS.connectionsPerAddress) },
    store,
    trust,
    // Blob bytes read from the database once, then from disk (content-addressed; instances on one host may share it).
    blobCacheDir: path.resolve(values['blob-cache'] ?? path.join(dataDir, 'blob-cache')),
    simulator: registry
      ? {
          registry,
          signer: gatewaySigner(pkiDir),
          gateway: 'is-simulator',
          fault: values.fault === 'malformed' || values.fault === 'unsigned' ? values.fault : null,
        }
      : undefined,
  });
  const address = await app.listen({ port: Number(values.port), host: values.host });
  // One JSON line when ready: tests and scripts wait on it, never on a sleep.
  console.log(JSON.stringify({ event: 'listening', url: address, store: store.kind, dataDir: store.kind === 'pglite' ? dataDir : null, isSimulator: registry !== null, persons: registry?.persons.size ?? 0, pki: pkiDir, tls: plan.https !== null }));
  if (plan.warning) app.log.warn({ event: 'insecure_http' }, plan.warning);
  const stop = async () => {
    await drain.start();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
