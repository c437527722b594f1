/**
 * The workstation's device certificate and key: what the sync agent signs its requests to the central server with.
 * Issued at the PKI (`jardem pki device`), installed here by `jardem setup --device DIR`; setup never reads a CA
 * key. The key is kept encrypted at rest (PKCS#8, AES-256-CBC) with a passphrase that does not live in the data
 * folder: $JARDEM_DEVICE_PASSPHRASE, or a file named at setup (the demo office keeps one beside its PKI). Under
 * Electron the operating system's key store would hold it; that is not wired yet.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { DEVICE_EKU } from '../../shared/roles';
import { readSetting, writeSetting } from '../../db/repositories/settings';
import type { Db } from '../../db/connection';
import { chainsToTrustedRoot, type TrustStore } from '../../node/pki/keyfile';
import { DATA_FILES } from './data-files';

export const DEVICE_PASSPHRASE_ENV = 'JARDEM_DEVICE_PASSPHRASE';

export interface DeviceIdentity {
  officeCode: string;
  workstationCode: string;
  certPem: string;
  /** The issuing CA, then the root. */
  chainPem: string[];
  certSha256: string;
  serial: string;
  privateKeyPem: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/** The office and workstation a device certificate names (SERIALNUMBER=WS<office>-<workstation>). */
export function deviceCodes(cert: X509Certificate): { officeCode: string; workstationCode: string } | null {
  const serial = /(?:^|\n)serialNumber=WS(.+)-([A-Z0-9]{1,8})(?:\n|$)/.exec(cert.subject);
  return serial ? { officeCode: serial[1]!, workstationCode: serial[2]! } : null;
}

/** Reads and checks device files as `jardem pki device` wrote them: the certificate (with its chain) and the key. */
export function readDeviceFiles(dir: string): { certsPem: string; keyPem: string } {
  const cert = path.join(dir, 'device.crt.pem');
  const key = path.join(dir, 'device.key.pem');
  if (!existsSync(cert) || !existsSync(key)) throw new Error(`no device.crt.pem and device.key.pem in ${dir} (jardem pki device --out-dir ${dir})`);
  return { certsPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

/**
 * Installs a device certificate and key for this workstation: it must chain to a root the workstation trusts, carry
 * the device purpose, name this office and workstation, and match the key. The key is written encrypted.
 */
export function installDevice(ctx: { dataDir: string; db: Db }, files: { certsPem: string; keyPem: string }, expected: { officeCode: string; workstationCode: string }, trust: TrustStore, passphrase: { value: string; file?: string }) {
  const pems = files.certsPem.match(PEM) ?? [];
  if (pems.length === 0) throw new Error('the device file holds no certificate');
  const cert = new X509Certificate(pems[0]!);
  const chain = pems.slice(1).map((p) => new X509Certificate(p));
  if (!chainsToTrustedRoot(cert, chain, trust, new Date())) throw new Error('the device certificate does not chain to a root this workstation trusts');
  if (!(cert.keyUsage ?? []).includes(DEVICE_EKU)) throw new Error('not a device certificate (no Jardem device purpose)');
  const codes = deviceCodes(cert);
  if (!codes || codes.officeCode !== expected.officeCode || codes.workstationCode !== expected.workstationCode) {
    throw new Error(`the device certificate is for ${codes ? `${codes.officeCode}-${codes.workstationCode}` : 'another device'}, not ${expected.officeCode}-${expected.workstationCode}`);
  }
  const key = createPrivateKey(files.keyPem);
  if (!cert.checkPrivateKey(key)) throw new Error('the device key does not match its certificate');
  const dir = path.join(ctx.dataDir, DATA_FILES.deviceDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, DATA_FILES.deviceKey), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: passphrase.value }), { mode: 0o600 });
  writeFileSync(path.join(dir, DATA_FILES.deviceCert), pems.join(''), { mode: 0o600 });
  if (passphrase.file) writeSetting(ctx.db, 'devicePassphraseFile', passphrase.file);
  return codes;
}

/** The device's passphrase: the environment's, or the file named at setup. Null when neither is there. */
function devicePassphrase(db: Db): string | null {
  if (process.env[DEVICE_PASSPHRASE_ENV]) return process.env[DEVICE_PASSPHRASE_ENV]!;
  const file = readSetting<string>(db, 'devicePassphraseFile');
  return file && existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/** The installed device, its key decrypted in memory; null when none is installed. */
export function loadDevice(ctx: { dataDir: string; db: Db }): DeviceIdentity | null {
  const dir = path.join(ctx.dataDir, DATA_FILES.deviceDir);
  const certFile = path.join(dir, DATA_FILES.deviceCert);
  if (!existsSync(certFile)) return null;
  const pems = readFileSync(certFile, 'utf8').match(PEM) ?? [];
  const cert = new X509Certificate(pems[0]!);
  const codes = deviceCodes(cert);
  if (!codes) return null;
  const passphrase = devicePassphrase(ctx.db);
  if (!passphrase) throw new AppError('sync.device_locked');
  let privateKeyPem: string;
  try {
    privateKeyPem = createPrivateKey({ key: readFileSync(path.join(dir, DATA_FILES.deviceKey), 'utf8'), passphrase }).export({ type: 'pkcs8', format: 'pem' }) as string;
  } catch {
    throw new AppError('sync.device_locked');
  }
  return { ...codes, certPem: pems[0]!, chainPem: pems.slice(1), certSha256: createHash('sha256').update(cert.raw).digest('hex'), serial: cert.serialNumber.toLowerCase(), privateKeyPem };
}
