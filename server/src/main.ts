/**
 * `npm run server -- [--data-dir DIR] [--pki DIR] [--port N]` (also `node dist/node/server.cjs …`): the central
 * server with its information-system simulator. PostgreSQL when DATABASE_URL is set; otherwise an embedded PGlite
 * database in --data-dir (the server's own folder, never a workstation's; default $XDG_DATA_HOME/jardem-server),
 * locked against a second server. --pki is the simulated PKI's folder: its public certificates, offices.json and
 * crl.pem say whom to trust (default: the demo office's, beside the workstation's default data folder); the
 * gateway's signing key is issued there once (which reads the issuing CA's key, with $JARDEM_CA_PASSPHRASE).
 * Prints one JSON line {"event":"listening","url":…} when ready.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueGatewayCertificate } from '../../node/pki/ca';
import { defaultDataDir, defaultServerDir, demoOfficeDir } from '../../node/paths';
import { buildServer, loadOffices } from './app';
import { generateRegistry } from './is-simulator/registry';
import { migrate } from './migrations';
import { openStore } from './store';
import { pkiTrust } from './trust';

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
      'blob-cache': { type: 'string' },
    },
  });
  const pkiDir = path.resolve(values.pki ?? path.join(demoOfficeDir(defaultDataDir()), 'pki'));
  if (!existsSync(path.join(pkiDir, 'root.crt.pem'))) {
    console.error(`No simulated PKI in ${pkiDir}. Create the demo office first (npm start, then "create the demo office"), or give --pki DIR (jardem pki init --dir DIR).`);
    process.exit(2);
  }
  const keyFile = path.join(pkiDir, 'is-gateway.key.pem');
  const certFile = path.join(pkiDir, 'is-gateway.crt.pem');
  if (!existsSync(keyFile)) {
    const issued = issueGatewayCertificate({ dir: pkiDir, name: 'Мемлекеттік ақпараттық жүйелер шлюзі — имитация' });
    writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
    writeFileSync(certFile, [issued.certPem, ...issued.chainPem].join(''));
  }
  const chainPem = readFileSync(certFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  const dataDir = path.resolve(values['data-dir'] ?? defaultServerDir());
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir, schema: process.env.JARDEM_SERVER_SCHEMA });
  await migrate(store);
  const trust = pkiTrust(pkiDir);
  await loadOffices(store, trust);
  const registry = generateRegistry(Number(values.seed), Number(values.families));
  const app = buildServer({
    store,
    trust,
    // Blob bytes read from the database once, then from disk (content-addressed; instances on one host may share it).
    blobCacheDir: path.resolve(values['blob-cache'] ?? path.join(dataDir, 'blob-cache')),
    simulator: {
      registry,
      signer: { privateKeyPem: readFileSync(keyFile, 'utf8'), chainPem },
      gateway: 'is-simulator',
      fault: values.fault === 'malformed' || values.fault === 'unsigned' ? values.fault : null,
    },
  });
  const address = await app.listen({ port: Number(values.port), host: values.host });
  // One JSON line when ready: tests and scripts wait on it, never on a sleep.
  console.log(JSON.stringify({ event: 'listening', url: address, store: store.kind, dataDir: store.kind === 'pglite' ? dataDir : null, persons: registry.persons.size, pki: pkiDir }));
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
