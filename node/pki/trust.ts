/**
 * What a trust store says of a certificate, judged once per (certificate, trust store version) and kept: the path
 * to a trusted root and the span of time in which every intermediate on it was valid. A new CRL, root or
 * intermediate is a new version, so a revocation takes effect from the next check.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { infoOfX509, type CertificateInfo } from './certificate-info';

export interface TrustStore {
  roots: X509Certificate[];
  intermediates: X509Certificate[];
  /** Serials (upper-case hex, no leading zeros) revoked by the newest CRL the workstation has. */
  revoked?: ReadonlySet<string>;
}

const versions = new WeakMap<TrustStore, string>();

/** A stable id of what the trust decision depends on: the roots, the intermediates and the revoked serials. */
export function trustStoreVersion(trust: TrustStore): string {
  let v = versions.get(trust);
  if (v === undefined) {
    const h = createHash('sha256');
    for (const c of trust.roots) h.update(Buffer.from(c.raw)).update('|');
    h.update('#');
    for (const c of trust.intermediates) h.update(Buffer.from(c.raw)).update('|');
    h.update('#');
    h.update([...(trust.revoked ?? [])].sort().join(','));
    v = h.digest('hex').slice(0, 32);
    versions.set(trust, v);
  }
  return v;
}

/** The span (ms) in which the path's intermediates were all valid; null when the certificate reaches no root. */
export interface ChainVerdict {
  from: number;
  to: number;
}

const verdicts = new Map<string, ChainVerdict | null>();
const LIMIT = 8192;

const issuedBy = (child: CertificateInfo, parent: CertificateInfo) => {
  if (parent.unsupportedKey || !child.x509.checkIssued(parent.x509)) return false;
  try {
    return child.x509.verify(parent.publicKey());
  } catch {
    return false;
  }
};

function findPath(cert: CertificateInfo, extra: readonly CertificateInfo[], trust: TrustStore): ChainVerdict | null {
  const roots = trust.roots.map(infoOfX509);
  const pool = [...trust.intermediates.map(infoOfX509), ...extra];
  let current = cert;
  let from = -Infinity;
  let to = Infinity;
  for (let depth = 0; depth < 5; depth++) {
    if (roots.some((r) => issuedBy(current, r))) return { from, to };
    const next = pool.find((c) => c.sha256 !== current.sha256 && c.isCa && issuedBy(current, c));
    if (!next) return null;
    from = Math.max(from, next.validFrom);
    to = Math.min(to, next.validTo);
    current = next;
  }
  return null;
}

/** The cached chain verdict of `cert` with the certificates its signature carries. */
export function chainVerdict(cert: CertificateInfo, extra: readonly CertificateInfo[], trust: TrustStore): ChainVerdict | null {
  const key = `${cert.sha256}|${trustStoreVersion(trust)}|${extra.map((c) => c.sha256.slice(0, 16)).join(',')}`;
  if (verdicts.has(key)) return verdicts.get(key)!;
  const verdict = findPath(cert, extra, trust);
  if (verdicts.size >= LIMIT) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, verdict);
  return verdict;
}

/** Whether `cert` reaches a trusted root with every intermediate on the way valid at `at`. */
export function chainValidAt(cert: CertificateInfo, extra: readonly CertificateInfo[], trust: TrustStore, at: Date): boolean {
  const v = chainVerdict(cert, extra, trust);
  const t = at.getTime();
  return v !== null && v.from <= t && t <= v.to;
}

/** Whether the certificate itself was valid at `at`. */
export const validAt = (cert: CertificateInfo, at: Date) => cert.validFrom <= at.getTime() && at.getTime() <= cert.validTo;

export const isRevoked = (cert: CertificateInfo, trust: TrustStore) => trust.revoked?.has(cert.serial) === true;
