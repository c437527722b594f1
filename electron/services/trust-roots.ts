/**
 * Adding a trusted root on this workstation: shown first (./../../node/pki/trust-roots.ts), added only when the
 * administrator confirms its SHA-256 fingerprint, compared with the one they read from the issuer's published one.
 * The city department's administrator adds one for the whole city as a reference act (the payload carries the root,
 * its confirmed fingerprint and its issuing CAs); every workstation takes it here. A bundle is replaced whole
 * (written beside it, then renamed), so a crash leaves the old one or the new one.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { ReferencePayload } from '../../shared/contract/reference-protocol';
import { describeRoot, normalizeFingerprint, type ProposedRoot } from '../../node/pki/trust-roots';
import { DATA_FILES } from './data-files';

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

/** Appends a certificate to a PEM bundle unless it holds it already; whether it was added. */
function addToBundle(file: string, pem: string): boolean {
  const bundle = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sha256 = fingerprint(pem);
  if ((bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).some((held) => fingerprint(held) === sha256)) return false;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${bundle.trimEnd()}${bundle ? '\n' : ''}${pem.trim()}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return true;
}

export function addTrustRoot(dataDir: string, text: string, confirmedSha256: string): ProposedRoot & { added: boolean } {
  const root = describeRoot(text);
  if (normalizeFingerprint(confirmedSha256) !== root.sha256) throw new AppError('trust.fingerprint_mismatch', { sha256: root.sha256 });
  return { ...root, added: addToBundle(path.join(dataDir, DATA_FILES.roots), root.pem) };
}

/** A root the city trusts, taken from its reference act (checked before): the root, then its issuing CAs. */
export function takeCityTrustRoot(dataDir: string, p: ReferencePayload<'trust_root'>): void {
  addTrustRoot(dataDir, p.pem, p.sha256);
  for (const pem of p.intermediates) addToBundle(path.join(dataDir, DATA_FILES.intermediates), new X509Certificate(pem).toString());
}
