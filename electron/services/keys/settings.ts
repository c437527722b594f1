/**
 * How this workstation reaches NCALayer: JARDEM_NCALAYER_URL (wss://127.0.0.1:13579 by default, NCALayer's own
 * address) and JARDEM_NCALAYER_CA, a PEM file with the certificate NCALayer's TLS is trusted by (the simulator's
 * self-signed one, or the CA of a real NCALayer's local certificate) and JARDEM_NCALAYER_HASH_FROM_BYTES. Read per conversation, so a changed file counts.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_NCALAYER_URL, type KeyStorage, type NcalayerSettings } from './source';

export function ncalayerSettings(storage: KeyStorage, env: NodeJS.ProcessEnv = process.env): NcalayerSettings {
  const caFile = env.JARDEM_NCALAYER_CA;
  // JARDEM_NCALAYER_HASH_FROM_BYTES: content from this size up is signed by its hash (1 MiB when unset).
  const hashFrom = Number(env.JARDEM_NCALAYER_HASH_FROM_BYTES);
  return { url: env.JARDEM_NCALAYER_URL || DEFAULT_NCALAYER_URL, caPem: caFile ? readFileSync(caFile, 'utf8') : undefined, storage, ...(hashFrom > 0 ? { hashFromBytes: hashFrom } : {}) };
}
