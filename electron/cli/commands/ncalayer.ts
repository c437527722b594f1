/**
 * `jardem ncalayer-sim`: the NCALayer-protocol simulator (node/ncalayer-sim) as a process of its own, for demos
 * and end-to-end tests. Its TLS certificate is kept in the keys folder so that a workstation told to trust it
 * goes on trusting it after the simulator is started again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSimKeys } from '../../../node/ncalayer-sim/keys';
import { startNcalayerSim } from '../../../node/ncalayer-sim/server';
import { selfSignedTls } from '../../../node/ncalayer-sim/tls';
import { fail, need } from '../common';

export async function ncalayerSimCommand(rest: string[]): Promise<void> {
  const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, keys: { type: 'string' }, password: { type: 'string', default: '' } } });
  need(values, 'port', 'keys');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port: not a port number: ${values.port}`);
  const keysDir = path.resolve(values.keys!);
  const tlsDir = path.join(keysDir, 'ncalayer-sim-tls');
  const certFile = path.join(tlsDir, 'cert.pem');
  const keyFile = path.join(tlsDir, 'key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const tls = selfSignedTls();
    mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, tls.keyPem, { mode: 0o600 });
    writeFileSync(certFile, tls.certPem);
  }
  let keys;
  try {
    keys = loadSimKeys(keysDir, values.password);
  } catch (error) {
    fail(`--keys ${keysDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sim = await startNcalayerSim({ port, keys, tls: { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') } });
  console.log(JSON.stringify({ event: 'listening', url: sim.url, caFile: certFile, keys: keys.map((k) => ({ name: k.name, iin: k.iin, storage: k.storage, keyType: k.keyType })) }));
  const end = () => void sim.stop().then(() => process.exit(0));
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
  await new Promise(() => {});
}
