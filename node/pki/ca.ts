/**
 * The simulated PKI's own files: a root and an issuing CA in the shapes of the national one (benefit.md §5), their
 * keys encrypted under a passphrase, and the offices they issue for. Names say "имитация" so that nobody mistakes
 * them for the real НУЦ РК. People's keys are in staff-keys.ts, machines' certificates in machine-certs.ts.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { withCheckDigit } from '../../shared/domain/iin';
import officesData from '../../shared/domain/data/offices-almaty.json';
import { newRsaKey, OID, printable, serialNumber, utf8, type Attr, signCertificate } from './cert-parts';

const { pki } = forge;

export interface Office {
  code: string;
  /** A district department, a Public Service Center, or the city department (it signs the reference data). */
  kind: 'district' | 'center' | 'city';
  /** For a Public Service Center: the district offices it takes applications for. */
  serves?: string[];
  nameKk: string;
  nameRu: string;
  bin: string;
  /** The office's first administrator, named by the city department when it enrols the office (their IIN): the only one who may begin its staff register. */
  adminIin?: string;
}

export const PKI_FILES = {
  rootCert: 'root.crt.pem',
  rootKey: 'root.key.pem',
  issuingCert: 'issuing.crt.pem',
  issuingKey: 'issuing.key.pem',
  offices: 'offices.json',
} as const;

/** Business identification numbers share the IIN check digit; digit 5 '4' marks a legal entity. */
function demoBin(first10: string): string {
  for (let d = 0; d < 10; d++) {
    const bin = withCheckDigit(`${first10}${d}`);
    if (bin) return bin;
  }
  throw new Error('no BIN with a check digit');
}

/**
 * The offices of Almaty (shared/domain/data/offices-almaty.json, with its sources): the eight district departments,
 * the Public Service Center of each, and the city department. BINs are simulated.
 */
export function demoOffices(): Office[] {
  return officesData.offices.map((o) => ({ code: o.code, kind: o.kind as Office['kind'], ...(o.serves ? { serves: o.serves } : {}), nameKk: o.nameKk, nameRu: o.nameRu, bin: demoBin(o.binStart) }));
}

/**
 * The CA keys are kept encrypted (PKCS#8, AES-256-CBC) with a passphrase that is never stored beside them: it comes
 * from the environment (JARDEM_CA_PASSPHRASE) of whoever runs `jardem pki …` or the server's simulator. Anyone who
 * reads the files alone cannot issue a certificate.
 */
export const CA_PASSPHRASE_ENV = 'JARDEM_CA_PASSPHRASE';

export class CaPassphraseError extends Error {}

/**
 * A demo PKI (made by the demo office, nothing real) says its passphrase in this file, as README.md does; a real
 * one never has it.
 */
export const DEMO_PASSPHRASE_FILE = 'demo-ca-passphrase';

export function caPassphrase(given?: string, dir?: string): string {
  const demo = dir ? path.join(dir, DEMO_PASSPHRASE_FILE) : null;
  const p = given ?? process.env[CA_PASSPHRASE_ENV] ?? (demo && existsSync(demo) ? readFileSync(demo, 'utf8').trim() : undefined);
  if (!p) throw new CaPassphraseError(`the CA keys are encrypted: set ${CA_PASSPHRASE_ENV} to their passphrase`);
  return p;
}

function writeEncryptedKey(file: string, key: forge.pki.rsa.PrivateKey, passphrase: string) {
  const pem = createPrivateKey(pki.privateKeyToPem(key)).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
  writeFileSync(file, pem, { mode: 0o600 });
}

/** A CA key, decrypted with the passphrase; a wrong one is refused with a clear message. */
export function readCaKey(dir: string, which: 'root' | 'issuing', passphrase?: string): forge.pki.rsa.PrivateKey {
  const file = path.join(dir, which === 'root' ? PKI_FILES.rootKey : PKI_FILES.issuingKey);
  try {
    const key = createPrivateKey({ key: readFileSync(file, 'utf8'), passphrase: caPassphrase(passphrase, dir) });
    return pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }) as string);
  } catch (error) {
    if (error instanceof CaPassphraseError) throw error;
    throw new CaPassphraseError(`cannot open ${file}: wrong ${CA_PASSPHRASE_ENV}? (${(error as Error).message})`);
  }
}

function caCertificate(opts: {
  subject: Attr[];
  issuer: Attr[];
  publicKey: forge.pki.PublicKey;
  signingKey: forge.pki.rsa.PrivateKey;
  years: number;
  pathLen: number;
  notBefore?: Date;
}) {
  const cert = pki.createCertificate();
  cert.publicKey = opts.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + opts.years * 365 * 24 * 3600 * 1000);
  cert.setSubject(opts.subject);
  cert.setIssuer(opts.issuer);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: opts.pathLen, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, opts.signingKey);
  return cert;
}

/**
 * `jardem pki init`: a root CA and an issuing CA, and the offices they issue keys for. `validFrom`: the CAs'
 * validity starts then (the demo office with a past year of sample cases, signed on those days).
 */
export function initPki(dir: string, offices: Office[] = demoOffices(), passphrase?: string, validFrom?: Date): { rootCert: string; issuingCert: string } {
  const secret = caPassphrase(passphrase, dir);
  mkdirSync(dir, { recursive: true });
  if (existsSync(path.join(dir, PKI_FILES.rootCert))) {
    throw new Error(`a PKI already exists in ${dir}`);
  }
  const root = newRsaKey();
  const rootName = [utf8(OID.CN, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) — ИМИТАЦИЯ'), printable(OID.C, 'KZ')];
  const rootCert = caCertificate({
    subject: rootName,
    issuer: rootName,
    publicKey: root.publicKey,
    signingKey: root.privateKey,
    years: 20,
    pathLen: 1,
    notBefore: validFrom,
  });
  const issuing = newRsaKey();
  const issuingName = [utf8(OID.CN, 'НУЦ РК (RSA) — имитация'), printable(OID.C, 'KZ')];
  const issuingCert = caCertificate({
    subject: issuingName,
    issuer: rootName,
    publicKey: issuing.publicKey,
    signingKey: root.privateKey,
    years: 10,
    pathLen: 0,
    notBefore: validFrom,
  });
  // The PKI folder is its operator's own (0600 like the CA keys): certificates leave it by copy.
  const write = (name: string, text: string, mode = 0o600) => writeFileSync(path.join(dir, name), text, { mode });
  write(PKI_FILES.rootCert, pki.certificateToPem(rootCert));
  writeEncryptedKey(path.join(dir, PKI_FILES.rootKey), root.privateKey, secret);
  write(PKI_FILES.issuingCert, pki.certificateToPem(issuingCert));
  writeEncryptedKey(path.join(dir, PKI_FILES.issuingKey), issuing.privateKey, secret);
  write(PKI_FILES.offices, JSON.stringify(offices, null, 2));
  return { rootCert: pki.certificateToPem(rootCert), issuingCert: pki.certificateToPem(issuingCert) };
}

export function readOffices(dir: string): Office[] {
  return JSON.parse(readFileSync(path.join(dir, PKI_FILES.offices), 'utf8')) as Office[];
}
