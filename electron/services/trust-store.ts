/**
 * The workstation's trust store: the roots and intermediates it was set up with and the newest CRL of each issuer
 * it holds. Read again only when one of those files changes (an administrator may add a CA or import a newer CRL
 * without restarting the services), so every verification of a pull or of Verify case shares one store and its
 * certificate verdicts (node/pki/trust.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { loadCrl, type LoadedCrl } from '../../node/pki/crl';
import { trustStoreFromPem, type TrustStore } from '../../node/pki/keyfile';
import { DATA_FILES } from './data-files';

function newestRevocations(dir: string, issuers: X509Certificate[]): Set<string> {
  const newest = new Map<string, LoadedCrl>();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.pem'))) {
      const crl = loadCrl(readFileSync(path.join(dir, name), 'utf8'), issuers);
      if (crl && (!newest.has(crl.issuer) || newest.get(crl.issuer)!.thisUpdate < crl.thisUpdate)) newest.set(crl.issuer, crl);
    }
  }
  return new Set([...newest.values()].flatMap((c) => [...c.revokedSerials]));
}

const stampOf = (file: string) => {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
};

export function workstationTrust(dataDir: string): () => TrustStore {
  const file = (rel: string) => path.join(dataDir, rel);
  const read = (rel: string) => (existsSync(file(rel)) ? readFileSync(file(rel), 'utf8') : '');
  let cached: { stamp: string; store: TrustStore } | null = null;
  return () => {
    const crlDir = file(DATA_FILES.crlDir);
    const crls = existsSync(crlDir) ? readdirSync(crlDir).sort().map((n) => `${n}=${stampOf(path.join(crlDir, n))}`) : [];
    const stamp = [stampOf(file(DATA_FILES.roots)), stampOf(file(DATA_FILES.intermediates)), ...crls].join('|');
    if (cached?.stamp !== stamp) {
      const store = trustStoreFromPem(read(DATA_FILES.roots), read(DATA_FILES.intermediates));
      cached = { stamp, store: { ...store, revoked: newestRevocations(crlDir, store.intermediates) } };
    }
    return cached.store;
  };
}
