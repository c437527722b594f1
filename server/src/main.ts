/**
 * `npm run server -- [--data-dir DIR] [--pki DIR] [--port N] [--is-simulator]` (also `node dist/node/server.cjs …`):
 * the central server; the information-system simulator only with --is-simulator (the demo and the tests set it),
 * behind the same device signature as sync. PostgreSQL when DATABASE_URL is set; otherwise an embedded PGlite
 * database in --data-dir (the server's own folder, never a workstation's; default $XDG_DATA_HOME/jardem-server),
 * locked against a second server. --pki is the simulated PKI's folder: its public certificates, offices.json and
 * crl.pem say whom to trust (default: the demo office's, beside the workstation's default data folder); the
 * simulated gateway's signing key is issued there once (reading the issuing CA's key, with $JARDEM_CA_PASSPHRASE).
 * Prints one JSON line {"event":"listening","url":…} when ready.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueGatewayCertificate } from '../../node/pki/machine-certs';
import { defaultDataDir, defaultServerDir, demoOfficeDir } from '../../node/paths';
import { buildServer, loadOffices } from './app';
import { generateRegistry } from './is-simulator/registry';
import { migrate } from './migrations';
import { openStore } from './store';
import { pkiTrust } from './trust';

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
  const { values } = parseArgs({
    options: {
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
    },
  });
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
  const app = buildServer({
    store,
    trust,
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
  console.log(JSON.stringify({ event: 'listening', url: address, store: store.kind, dataDir: store.kind === 'pglite' ? dataDir : null, isSimulator: registry !== null, persons: registry?.persons.size ?? 0, pki: pkiDir }));
  const stop = async () => {
    setTimeout(() => process.exit(0), 5000).unref();
    await app.close();
    await store.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
