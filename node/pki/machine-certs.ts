/**
 * Certificates for machines rather than people, from the simulated issuing CA: a workstation's device certificate
 * (its sync client authenticates with it) and the information-system gateway's signing certificate.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { DEVICE_EKU, GATEWAY_EKU } from '../../shared/roles';
import { PKI_FILES, readCaKey, readOffices } from './ca';
import { decodedAttributes, newRsaKey, OID, printable, serialNumber, utf8, type Attr, signCertificate } from './cert-parts';

const { pki } = forge;

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
  signCertificate(cert, issuingKey);
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
export function issueGatewayCertificate(opts: { dir: string; name: string; validFrom?: Date }): DeviceCertificate {
  const backdateMs = opts.validFrom ? Date.now() - opts.validFrom.getTime() : 24 * 3600 * 1000;
  return issueMachineCertificate(opts.dir, [utf8(OID.CN, opts.name), printable(OID.C, 'KZ')], { digitalSignature: true, nonRepudiation: true }, { [GATEWAY_EKU]: true }, 3, backdateMs);
}
