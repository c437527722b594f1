/**
 * What the server trusts: the simulated PKI's public folder (its root and issuing certificates, offices.json, and
 * the CRL `jardem pki revoke` publishes as crl.pem). It never reads a CA key for this. The files are read again
 * when they change, so a revocation reaches every instance without a restart.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PKI_FILES, readOffices, type Office } from '../../node/pki/ca';
import { loadCrl } from '../../node/pki/crl';
import { trustStoreFromPem, type TrustStore } from '../../node/pki/keyfile';
import { STAFF_ACTS_FILE } from '../../node/staff-acts';

export const CRL_FILE = 'crl.pem';

export interface ServerTrust {
  store(): TrustStore;
  offices(): Office[];
  /** The CRL the PKI published (crl.pem), as its text, or null: the reference flow carries it to every workstation. */
  crlPem?(): string | null;
  /** The folder's staff acts file (signed acts of the offices' administrators), as its text, or null. */
  staffActsText?(): string | null;
  /** A root the city department added for the whole city (a reference act), with its issuing CAs. */
  addCityRoot?(rootPem: string, intermediatesPem: readonly string[]): void;
}

export function pkiTrust(dir: string): ServerTrust {
  const file = (name: string) => path.join(dir, name);
  for (const f of [PKI_FILES.rootCert, PKI_FILES.issuingCert, PKI_FILES.offices]) {
    if (!existsSync(file(f))) throw new Error(`no ${f} in ${dir}: the server needs the simulated PKI's public folder (--pki DIR)`);
  }
  let cached: { key: string; trust: TrustStore } | null = null;
  const city = { roots: [] as X509Certificate[], intermediates: [] as X509Certificate[] };
  const held = (list: X509Certificate[], cert: X509Certificate) => list.some((c) => c.fingerprint256 === cert.fingerprint256);
  // Asked on every request: one stat per file, its contents read only when it changed.
  const stampOf = (f: string) => {
    const s = statSync(file(f), { throwIfNoEntry: false });
    return s ? `${s.mtimeMs}:${s.size}` : '-';
  };
  const stamp = () => [PKI_FILES.rootCert, PKI_FILES.issuingCert, CRL_FILE].map(stampOf).join('/');
  let staffActs: { stamp: string; text: string | null } | null = null;
  return {
    store() {
      const key = stamp();
      if (cached?.key !== key) {
        const base = trustStoreFromPem(readFileSync(file(PKI_FILES.rootCert), 'utf8'), readFileSync(file(PKI_FILES.issuingCert), 'utf8'));
        const crl = existsSync(file(CRL_FILE)) ? loadCrl(readFileSync(file(CRL_FILE), 'utf8'), base.intermediates) : null;
        cached = { key, trust: { roots: [...base.roots, ...city.roots], intermediates: [...base.intermediates, ...city.intermediates], revoked: crl?.revokedSerials ?? new Set() } };
      }
      return cached.trust;
    },
    addCityRoot(rootPem, intermediatesPem) {
      const before = city.roots.length + city.intermediates.length;
      const root = new X509Certificate(rootPem);
      if (!held(city.roots, root)) city.roots.push(root);
      for (const pem of intermediatesPem) {
        const cert = new X509Certificate(pem);
        if (!held(city.intermediates, cert)) city.intermediates.push(cert);
      }
      // Read again at the next check, with the new root.
      if (city.roots.length + city.intermediates.length !== before) cached = null;
    },
    offices: () => readOffices(dir),
    crlPem: () => (existsSync(file(CRL_FILE)) ? readFileSync(file(CRL_FILE), 'utf8') : null),
    staffActsText() {
      const before = stampOf(STAFF_ACTS_FILE);
      if (staffActs?.stamp === before) return staffActs.text;
      const text = before === '-' ? null : readFileSync(file(STAFF_ACTS_FILE), 'utf8');
      // A file that changed while it was read is read again next time.
      staffActs = { stamp: stampOf(STAFF_ACTS_FILE) === before ? before : '', text };
      return text;
    },
  };
}
