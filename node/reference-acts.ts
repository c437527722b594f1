/**
 * Reference acts (shared/contract/reference-protocol.ts), the Node half: building and signing one, and the one
 * check that both the central server (at push) and a workstation (at pull) run before they accept it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { referenceActContent, parseReferencePayload, type ReferenceAct, type ReferenceKind, type ReferencePayload, type ReferenceRefusal, type ReferenceSource } from '../shared/contract/reference-protocol';
import { AppError } from '../shared/errors';
import { describeRoot } from './pki/trust-roots';
import { canonicalJson } from '../shared/text';
import { officeDateOf } from '../shared/local-date';
import { CmsFormatError, verifyDetached } from './pki/cms';
import { loadCrl, type LoadedCrl } from './pki/crl';
import { chainsToTrustedRoot, normalizeSerial, type TrustStore } from './pki/keyfile';
import { subjectAttribute } from './pki/verdict';
import type { ActSigner } from './events';

const sha256Hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A reference act signed by the person whose key `sign` holds. */
export function signReferenceAct(opts: { id: string; kind: Exclude<ReferenceKind, 'crl'>; payload: unknown; source: ReferenceSource; at: string; signer: { iin: string; certSha256: string }; sign: ActSigner }): ReferenceAct {
  const unsigned = { id: opts.id, kind: opts.kind, payload: canonicalJson(opts.payload), source: opts.source, at: opts.at, signer: opts.signer };
  const content = Buffer.from(referenceActContent(unsigned), 'utf8');
  return { ...unsigned, hash: sha256Hex(content), signature: opts.sign(content).toString('base64') };
}

/** A UUID named by a hash (the CRL's act id is its own content's: the same CRL is one act wherever it is made). */
function uuidOfHash(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The CA's CRL as a reference act: no person signs it; its CA signature inside the PEM is checked by everyone. */
export function crlReferenceAct(pem: string, crl: LoadedCrl): ReferenceAct {
  const payload = canonicalJson({ pem });
  const unsigned = {
    id: uuidOfHash(sha256Hex(payload)),
    kind: 'crl' as const,
    payload,
    source: { act: `CRL ${crl.issuer.replace(/\n/g, ', ')}`, date: crl.thisUpdate.toISOString().slice(0, 10), assumed: false },
    at: crl.thisUpdate.toISOString(),
    signer: null,
  };
  return { ...unsigned, hash: sha256Hex(referenceActContent(unsigned)), signature: '' };
}

/**
 * A root the city is asked to trust: a root CA whose key our verifier checks (never GOST, trust-roots.ts), with the
 * fingerprint the administrator confirmed, and issuing CAs that it issued.
 */
function rootUsable(p: ReferencePayload<'trust_root'>): boolean {
  let root;
  try {
    root = describeRoot(p.pem);
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
  if (root.sha256 !== p.sha256) return false;
  const rootCert = new X509Certificate(root.pem);
  return p.intermediates.every((pem) => {
    try {
      const cert = new X509Certificate(pem);
      return cert.ca && cert.checkIssued(rootCert) && cert.verify(rootCert.publicKey);
    } catch {
      return false;
    }
  });
}

export type ReferenceCheck = { ok: true; crl?: LoadedCrl } | { ok: false; reason: ReferenceRefusal };

/** Whether a person (IIN) holds the role admin in the city department's staff register on an office day. */
export type CityAdminOn = (iin: string, day: string) => boolean;

/**
 * Whether a reference act may be accepted: its payload is what its kind carries, its hash is its content's, and it
 * is signed by an administrator of the city department (`cityBin`; the role as the city's staff register has it on
 * the act's day, `isCityAdmin`) with a key that chains to a trusted root and is not revoked; a CRL instead verifies
 * with a trusted issuing CA's signature.
 */
export function checkReferenceAct(act: ReferenceAct, trust: TrustStore, cityBin: string | null, isCityAdmin: CityAdminOn): ReferenceCheck {
  const parsed = parseReferencePayload(act.kind, act.payload);
  if (!parsed) return { ok: false, reason: 'payload_invalid' };
  const content = Buffer.from(referenceActContent(act), 'utf8');
  if (sha256Hex(content) !== act.hash) return { ok: false, reason: 'hash_mismatch' };
  if (act.kind === 'crl') {
    if (act.signer !== null) return { ok: false, reason: 'signer_mismatch' };
    let crl: LoadedCrl | null = null;
    try {
      crl = loadCrl((parsed as { pem: string }).pem, trust.intermediates);
    } catch {
      crl = null;
    }
    return crl ? { ok: true, crl } : { ok: false, reason: 'crl_untrusted' };
  }
  if (act.kind === 'trust_root' && !rootUsable(parsed as ReferencePayload<'trust_root'>)) return { ok: false, reason: 'root_unusable' };
  if (!act.signer || !act.signature) return { ok: false, reason: 'signature_invalid' };
  let sig;
  try {
    sig = verifyDetached(content, Buffer.from(act.signature, 'base64'));
  } catch (error) {
    if (error instanceof CmsFormatError) return { ok: false, reason: 'signature_invalid' };
    throw error;
  }
  const cert: X509Certificate | null = sig.signerCertificate;
  if (!cert || !sig.contentIntact || !sig.signatureValid) return { ok: false, reason: 'signature_invalid' };
  const at = sig.signingTime ?? new Date();
  if (!chainsToTrustedRoot(cert, sig.certificates, trust, at) || at > new Date(cert.validTo) || at < new Date(cert.validFrom)) return { ok: false, reason: 'signer_untrusted' };
  if (trust.revoked?.has(normalizeSerial(cert.serialNumber))) return { ok: false, reason: 'signer_revoked' };
  const iin = subjectAttribute(cert.subject, 'serialNumber').replace(/^IIN/, '');
  if (sha256Hex(Buffer.from(cert.raw)) !== act.signer.certSha256 || iin !== act.signer.iin) return { ok: false, reason: 'signer_mismatch' };
  const bin = subjectAttribute(cert.subject, 'OU').replace(/^BIN/, '');
  // Only the city department's administrator issues reference data for every district.
  if (!cityBin || bin !== cityBin || !isCityAdmin(iin, officeDateOf(act.at))) return { ok: false, reason: 'not_city_admin' };
  return { ok: true };
}
