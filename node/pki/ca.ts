/**
 * The simulated PKI: a root and an issuing CA in the shapes of the national one (benefit.md §5), and staff
 * PKCS#12 key files. Names say "имитация" so that nobody mistakes them for the real НУЦ РК.
 * Key pairs come from node:crypto (forge's pure-JS RSA key generation takes seconds); forge builds the
 * certificates and the PKCS#12 files (AES-256, as issued in Kazakhstan).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { DEVICE_EKU, GATEWAY_EKU, ROLE_POLICY, type Role } from '../../shared/roles';
import { withCheckDigit } from '../../shared/domain/iin';
import officesData from '../../shared/domain/data/offices-almaty.json';

const { pki, asn1 } = forge;

export interface Office {
  code: string;
  /** A district department, a Public Service Center, or the city department (it signs the reference data). */
  kind: 'district' | 'center' | 'city';
  /** For a Public Service Center: the district offices it takes applications for. */
  serves?: string[];
  nameKk: string;
  nameRu: string;
  bin: string;
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

function newRsaKey() {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const key = pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: pki.setRsaPublicKey(key.n, key.e) };
}

function serialNumber(): string {
  // Positive 128-bit serial (leading byte below 0x80).
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f | 0x01;
  return bytes.toString('hex');
}

type Attr = { type: string; value: string; valueTagClass: number };
const utf8 = (type: string, value: string): Attr => ({ type, value, valueTagClass: asn1.Type.UTF8 });
const printable = (type: string, value: string): Attr => ({ type, value, valueTagClass: asn1.Type.PRINTABLESTRING });

const OID = {
  CN: '2.5.4.3',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  G: '2.5.4.42',
} as const;

function caCertificate(opts: {
  subject: Attr[];
  issuer: Attr[];
  publicKey: forge.pki.PublicKey;
  signingKey: forge.pki.rsa.PrivateKey;
  years: number;
  pathLen: number;
}) {
  const cert = pki.createCertificate();
  cert.publicKey = opts.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + opts.years * 365 * 24 * 3600 * 1000);
  cert.setSubject(opts.subject);
  cert.setIssuer(opts.issuer);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: opts.pathLen, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(opts.signingKey, forge.md.sha256.create());
  return cert;
}

/** `jardem pki init`: a root CA and an issuing CA, and the offices they issue keys for. */
export function initPki(dir: string, offices: Office[] = demoOffices(), passphrase?: string): { rootCert: string; issuingCert: string } {
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

export interface IssueOptions {
  dir: string;
  role: Role;
  iin: string;
  surname: string;
  givenName: string;
  patronymic?: string;
  officeCode: string;
  password: string;
  /** 'sign': digitalSignature + nonRepudiation (RSA256_…); 'auth': digitalSignature + keyEncipherment (AUTH_RSA256_…). */
  usage?: 'sign' | 'auth';
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * A parsed certificate's subject as attributes forge can encode again. forge keeps parsed UTF8String values as
 * UTF-8 bytes but encodes given values to UTF-8, so reusing parsed attributes would encode them twice and the
 * issuer name would no longer match the CA's subject.
 */
function decodedAttributes(cert: forge.pki.Certificate): Attr[] {
  return cert.subject.attributes.map((a) => ({
    type: a.type!,
    value: (a.valueTagClass as unknown) === asn1.Type.UTF8 ? forge.util.decodeUtf8(a.value as string) : (a.value as string),
    valueTagClass: a.valueTagClass as number,
  }));
}

/** `jardem pki issue`: a staff key pair, its certificate from the issuing CA, in a PKCS#12 file (DER bytes). */
export function issueStaffKey(opts: IssueOptions): Buffer {
  const issuingCert = pki.certificateFromPem(readFileSync(path.join(opts.dir, PKI_FILES.issuingCert), 'utf8'));
  const issuingKey = readCaKey(opts.dir, 'issuing');
  const rootCert = pki.certificateFromPem(readFileSync(path.join(opts.dir, PKI_FILES.rootCert), 'utf8'));
  const office = readOffices(opts.dir).find((o) => o.code === opts.officeCode);
  if (!office) throw new Error(`unknown office code ${opts.officeCode} (see ${PKI_FILES.offices})`);

  const key = newRsaKey();
  const cert = pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 3600 * 1000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const subject = [
    utf8(OID.CN, `${opts.surname} ${opts.givenName}`),
    utf8(OID.SURNAME, opts.surname),
    printable(OID.SERIALNUMBER, `IIN${opts.iin}`),
    printable(OID.C, 'KZ'),
    utf8(OID.O, office.nameKk),
    printable(OID.OU, `BIN${office.bin}`),
  ];
  if (opts.patronymic) subject.push(utf8(OID.G, opts.patronymic));
  cert.setSubject(subject);
  cert.setIssuer(decodedAttributes(issuingCert));
  const usage = opts.usage ?? 'sign';
  const policy = ROLE_POLICY[opts.role];
  const eku: Record<string, boolean | string> = { name: 'extKeyUsage' };
  for (const oid of [...policy.nationalOids, policy.jardemOid]) eku[oid] = true;
  // A signing key also carries "protected e-mail" (1.3.6.1.5.5.7.3.4): PDF readers (NSS in poppler and Firefox,
  // Acrobat) trust a document signer's certificate only for that usage. [assumed: as NCA signing certificates]
  if (usage === 'sign') eku.emailProtection = true;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    usage === 'sign'
      ? { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    eku,
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(issuingKey, forge.md.sha256.create());

  const p12 = forge.pkcs12.toPkcs12Asn1(key.privateKey, [cert, issuingCert, rootCert], opts.password, {
    algorithm: 'aes256',
    generateLocalKeyId: true,
    friendlyName: `${opts.surname} ${opts.givenName}`,
  });
  return Buffer.from(asn1.toDer(p12).getBytes(), 'binary');
}

/** File names as Kazakh key files are named: RSA256_… for signing, AUTH_RSA256_… for authentication. */
export function keyFileName(usage: 'sign' | 'auth', tag: string): string {
  return `${usage === 'auth' ? 'AUTH_' : ''}RSA256_${tag}.p12`;
}

export interface DeviceCertificate {
  certPem: string;
  keyPem: string;
  /** Issuing CA and root, so a server can check the chain. */
  chainPem: string[];
}

/**
 * A certificate for a machine rather than a person, from the issuing CA: a fresh RSA key, the subject and the
 * key usages given, the chain beside it (issuing CA, then root).
 */
function issueMachineCertificate(dir: string, subject: Attr[], keyUsage: Record<string, boolean | string>, eku: Record<string, boolean | string>, years: number, backdateMs: number): DeviceCertificate {
  const issuingCertPem = readFileSync(path.join(dir, PKI_FILES.issuingCert), 'utf8');
  const issuingCert = pki.certificateFromPem(issuingCertPem);
  const issuingKey = readCaKey(dir, 'issuing');
  const key = newRsaKey();
  const cert = pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - backdateMs);
  cert.validity.notAfter = new Date(Date.now() + years * 365 * 24 * 3600 * 1000);
  cert.setSubject(subject);
  cert.setIssuer(decodedAttributes(issuingCert));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, ...keyUsage },
    { name: 'extKeyUsage', ...eku },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(issuingKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: pki.privateKeyToPem(key.privateKey), chainPem: [issuingCertPem, readFileSync(path.join(dir, PKI_FILES.rootCert), 'utf8')] };
}

/**
 * A workstation's own certificate: the sync client authenticates with it, so the
 * central server knows which office and workstation a change comes from. TLS client authentication plus the
 * Jardem device OID; SERIALNUMBER names the workstation as office-workstation, the same pair that numbers cases.
 */
export function issueDeviceCertificate(opts: { dir: string; officeCode: string; workstationCode: string; years?: number }): DeviceCertificate {
  const office = readOffices(opts.dir).find((o) => o.code === opts.officeCode);
  if (!office) throw new Error(`unknown office code ${opts.officeCode} (see ${PKI_FILES.offices})`);
  const subject = [
    utf8(OID.CN, `Jardem ${office.code}-${opts.workstationCode}`),
    printable(OID.SERIALNUMBER, `WS${office.code}-${opts.workstationCode}`),
    printable(OID.C, 'KZ'),
    utf8(OID.O, office.nameKk),
    printable(OID.OU, `BIN${office.bin}`),
  ];
  return issueMachineCertificate(opts.dir, subject, { digitalSignature: true, keyEncipherment: true }, { clientAuth: true, [DEVICE_EKU]: true }, opts.years ?? 3, 3600 * 1000);
}

/**
 * The information-system gateway's signing certificate (the simulator in server/ signs its answers with it).
 * digitalSignature + nonRepudiation and the Jardem gateway OID; no staff role.
 */
export function issueGatewayCertificate(opts: { dir: string; name: string }): DeviceCertificate {
  return issueMachineCertificate(opts.dir, [utf8(OID.CN, opts.name), printable(OID.C, 'KZ')], { digitalSignature: true, nonRepudiation: true }, { [GATEWAY_EKU]: true }, 3, 24 * 3600 * 1000);
}
