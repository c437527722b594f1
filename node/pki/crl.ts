/**
 * Revocation of the simulated PKI: the issuing CA keeps a list of revoked serials and publishes a signed
 * X.509 v2 CRL that workstations load offline (benefit.md §5: "CRL files work offline"). forge cannot write
 * CRLs, so the ASN.1 is built here and signed with node:crypto; `openssl crl -verify` checks it.
 */
import { createPrivateKey, sign as rsaSign, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { PKI_FILES, readCaKey } from './ca';

const { asn1 } = forge;
const T = asn1.Type;
const C = asn1.Class;
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

const seq = (v: forge.asn1.Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, v);
const der = (n: forge.asn1.Asn1) => Buffer.from(asn1.toDer(n).getBytes(), 'binary');
const parse = (b: Buffer) => asn1.fromDer(forge.util.createBuffer(b.toString('binary')), true);
const time = (d: Date) => asn1.create(C.UNIVERSAL, T.UTCTIME, false, asn1.dateToUtcTime(d));
const integerFromHex = (hex: string) => {
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return asn1.create(C.UNIVERSAL, T.INTEGER, false, (bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes).toString('binary'));
};

export interface Revocation {
  serial: string;
  revokedAt: string;
  reason: string;
}

const REVOKED_FILE = 'revoked.json';

export function readRevocations(dir: string): Revocation[] {
  const file = path.join(dir, REVOKED_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Revocation[]) : [];
}

/** `jardem pki revoke`: adds a certificate's serial to the issuing CA's revocation list. */
export function revoke(dir: string, serial: string, reason: string, at = new Date()): Revocation[] {
  const normalized = serial.replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');
  if (!/^[0-9A-F]+$/.test(normalized)) throw new Error(`not a hexadecimal serial number: ${serial}`);
  const list = readRevocations(dir);
  if (!list.some((r) => r.serial === normalized)) list.push({ serial: normalized, revokedAt: at.toISOString(), reason });
  writeFileSync(path.join(dir, REVOKED_FILE), JSON.stringify(list, null, 2));
  // The signed CRL is published beside it at once: the central server reads it from the PKI's public folder.
  writeFileSync(path.join(dir, 'crl.pem'), issueCrl(dir, at));
  return list;
}

/** The CRL of the issuing CA, PEM, valid for `days`. */
export function issueCrl(dir: string, now = new Date(), days = 7): string {
  const caPem = readFileSync(path.join(dir, PKI_FILES.issuingCert), 'utf8');
  const ca = new X509Certificate(caPem);
  const tbsCa = (parse(Buffer.from(ca.raw)).value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const subject = tbsCa[tbsCa[0]!.tagClass === C.CONTEXT_SPECIFIC ? 5 : 4]!;
  const algorithm = seq([asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(SHA256_WITH_RSA).getBytes()), asn1.create(C.UNIVERSAL, T.NULL, false, '')]);
  const revoked = readRevocations(dir).map((r) => seq([integerFromHex(r.serial), time(new Date(r.revokedAt))]));
  const tbs = seq([
    asn1.create(C.UNIVERSAL, T.INTEGER, false, String.fromCharCode(1)), // v2
    algorithm,
    subject,
    time(now),
    time(new Date(now.getTime() + days * 86_400_000)),
    ...(revoked.length ? [seq(revoked)] : []),
  ]);
  const tbsDer = der(tbs);
  const signature = rsaSign('sha256', tbsDer, createPrivateKey(forge.pki.privateKeyToPem(readCaKey(dir, 'issuing'))));
  const crl = seq([tbs, algorithm, asn1.create(C.UNIVERSAL, T.BITSTRING, false, `\0${signature.toString('binary')}`)]);
  return `-----BEGIN X509 CRL-----\n${der(crl).toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END X509 CRL-----\n`;
}

export interface LoadedCrl {
  issuer: string;
  thisUpdate: Date;
  revokedSerials: Set<string>;
}

/** Reads a CRL and checks its signature against one of `issuers`; null when none signed it. */
export function loadCrl(pem: string, issuers: X509Certificate[]): LoadedCrl | null {
  const body = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const crl = parse(body).value as forge.asn1.Asn1[];
  const tbsNode = crl[0]!;
  const tbs = tbsNode.value as forge.asn1.Asn1[];
  const signature = Buffer.from((crl[2]!.value as string).slice(1), 'binary');
  const tbsDer = der(tbsNode);
  const issuer = issuers.find((c) => rsaVerify('sha256', tbsDer, c.publicKey, signature));
  if (!issuer) return null;
  const offset = tbs[0]!.type === T.INTEGER ? 1 : 0;
  const thisUpdate = asn1.utcTimeToDate(tbs[offset + 2]!.value as string);
  const list = tbs[offset + 4];
  const revokedSerials = new Set<string>();
  if (list && list.type === T.SEQUENCE) {
    for (const entry of list.value as forge.asn1.Asn1[]) {
      const serial = Buffer.from((entry.value as forge.asn1.Asn1[])[0]!.value as string, 'binary').toString('hex').toUpperCase().replace(/^0+(?=.)/, '');
      revokedSerials.add(serial);
    }
  }
  return { issuer: issuer.subject, thisUpdate, revokedSerials };
}
