/**
 * Staff PKCS#12 key files from the simulated issuing CA (AES-256, as issued in Kazakhstan): the subject as the
 * national CA writes a person's (IIN, office, BIN), the key usages and the role's policy OIDs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { ROLE_POLICY, type Role } from '../../shared/roles';
import { PKI_FILES, readCaKey, readOffices } from './ca';
import { decodedAttributes, newRsaKey, OID, printable, serialNumber, utf8, signCertificate } from './cert-parts';

const { pki, asn1 } = forge;

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
  signCertificate(cert, issuingKey);

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
