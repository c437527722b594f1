/**
 * `npm run server`: the central server's first piece, the information-system simulator.
 *   --port 5190 (default)  --seed 42 (default)  --families 300 (default)
 *   --pki DIR: the simulated PKI whose issuing CA certifies the gateway's signing key (default: the demo
 *   office's PKI in the workstation's data folder). The gateway key is issued once and kept in DIR.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueGatewayCertificate } from '../../node/pki/ca';
import { buildSimulator } from './is-simulator/app';
import { generateRegistry } from './is-simulator/registry';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5190' }, seed: { type: 'string', default: '42' }, families: { type: 'string', default: '300' }, pki: { type: 'string' }, fault: { type: 'string' } },
});
const dataDir = process.env.JARDEM_DATA_DIR || path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jardem');
const pkiDir = path.resolve(values.pki ?? path.join(dataDir, 'demo-office', 'pki'));
if (!existsSync(path.join(pkiDir, 'issuing.key.pem'))) {
  console.error(`No simulated PKI in ${pkiDir}. Create the demo office first (npm start) or give --pki DIR (jardem pki init --dir DIR).`);
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
const registry = generateRegistry(Number(values.seed), Number(values.families));
const app = buildSimulator({
  registry,
  signer: { privateKeyPem: readFileSync(keyFile, 'utf8'), chainPem },
  gateway: 'is-simulator',
  fault: values.fault === 'malformed' || values.fault === 'unsigned' ? values.fault : null,
});
void app.listen({ port: Number(values.port), host: '127.0.0.1' }).then((address) => {
  // One JSON line when ready: tests and scripts wait on it, never on a sleep.
  console.log(JSON.stringify({ event: 'listening', url: address, persons: registry.persons.size, pki: pkiDir }));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
