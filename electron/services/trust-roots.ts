/**
 * Adding a trusted root on this workstation: shown first (./../../node/pki/trust-roots.ts), added only when the
 * administrator confirms its SHA-256 fingerprint, compared with the one they read from the issuer's published one.
 * The roots file is replaced whole (written beside it, then renamed), so a crash leaves the old one or the new one.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { describeRoot, normalizeFingerprint, type ProposedRoot } from '../../node/pki/trust-roots';
import { DATA_FILES } from './data-files';

export function addTrustRoot(dataDir: string, text: string, confirmedSha256: string): ProposedRoot & { added: boolean } {
  const root = describeRoot(text);
  if (normalizeFingerprint(confirmedSha256) !== root.sha256) throw new AppError('trust.fingerprint_mismatch', { sha256: root.sha256 });
  const file = path.join(dataDir, DATA_FILES.roots);
  const bundle = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present = (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).some((pem) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase() === root.sha256);
  if (present) return { ...root, added: false };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${bundle.trimEnd()}${bundle ? '\n' : ''}${root.pem.trim()}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return { ...root, added: true };
}
