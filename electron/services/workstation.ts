/**
 * Setting up a workstation: which office and workstation code it numbers cases under, which CAs it trusts, the
 * central server it syncs with, and its device certificate (issued at the PKI; setup never reads a CA key).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeWorkstation } from '../../db/repositories/settings';
import type { ServicesContext } from './context';
import { DATA_FILES } from './data-files';
import { seedPrecincts } from './precincts';
import { PKI_FILES, readOffices } from '../../node/pki/ca';
import { trustStoreFromPem } from '../../node/pki/keyfile';
import { installDevice } from './device';
import { privateDir } from './blob-store';
import { configureSync } from './sync/settings';
import { useStaffFile } from './staff';
import { STAFF_ACTS_FILE } from '../../node/staff-acts';

function addToBundle(certFile: string, bundleFile: string) {
  const pem = readFileSync(certFile, 'utf8').trim();
  const bundle = existsSync(bundleFile) ? readFileSync(bundleFile, 'utf8') : '';
  // The data folder's files are its owner's only (data-folder.ts), whatever the umask.
  if (!bundle.includes(pem)) writeFileSync(bundleFile, `${bundle.trim() ? `${bundle.trim()}\n` : ''}${pem}\n`, { mode: 0o600 });
}

export interface SetupOptions {
  /** The PKI's public folder: its root and issuing certificates and offices.json (its CA keys are not read). */
  pkiDir: string;
  officeCode: string;
  workstationCode: string;
  /** The device certificate (with its chain) and key, as `jardem pki device` wrote them. */
  device?: { certsPem: string; keyPem: string };
  /** Where the device key's passphrase comes from: the value, and the file it was read from (kept as a setting). */
  devicePassphrase?: { value: string; file?: string };
  /** The central server (sync). */
  serverUrl?: string;
  /** Set up again after a disk loss: the device replaces the one enrolled for this code (the server retires it). */
  replaceDevice?: boolean;
  /** The CA its TLS certificate chains to (PEM), when it is not in the system's store. */
  serverCaPem?: string;
}

export function setUpWorkstation(ctx: Pick<ServicesContext, 'db' | 'dataDir'>, opts: SetupOptions) {
  const offices = readOffices(opts.pkiDir);
  const office = offices.find((o) => o.code === opts.officeCode);
  if (!office) throw new Error(`unknown office code ${opts.officeCode}`);
  if (!/^[A-Z0-9]{1,8}$/.test(opts.workstationCode)) throw new Error('a workstation code is 1–8 capital letters or digits');
  privateDir(path.join(ctx.dataDir, DATA_FILES.trustDir));
  // Trust is added, never replaced: a workstation may trust more than one CA.
  addToBundle(path.join(opts.pkiDir, PKI_FILES.rootCert), path.join(ctx.dataDir, DATA_FILES.roots));
  addToBundle(path.join(opts.pkiDir, PKI_FILES.issuingCert), path.join(ctx.dataDir, DATA_FILES.intermediates));
  const centers = offices.filter((o) => o.kind === 'center' && o.serves?.includes(office.code));
  const city = offices.find((o) => o.kind === 'city');
  const config = {
    officeCode: office.code,
    officeName: office.nameKk,
    officeNameRu: office.nameRu,
    workstationCode: opts.workstationCode,
    acceptedBins: [office.bin, ...centers.map((c) => c.bin)],
    centers: centers.map((c) => ({ code: c.code, bin: c.bin, nameKk: c.nameKk, nameRu: c.nameRu })),
    // A Center is an office of its own: its cases live in the partitions of the districts it serves (server/README.md).
    ...(office.kind === 'center'
      ? { serves: (office.serves ?? []).map((code) => offices.find((o) => o.code === code)).filter((o) => o !== undefined).map((o) => ({ code: o.code, nameKk: o.nameKk, nameRu: o.nameRu })) }
      : {}),
    ...(city ? { city: { code: city.code, bin: city.bin } } : {}),
    staffOffices: [office, ...centers, ...offices.filter((o) => office.serves?.includes(o.code)), ...(city && city.code !== office.code ? [city] : [])].map((o) => ({ code: o.code, bin: o.bin, adminIin: o.adminIin ?? null })),
  };
  if (opts.device) {
    if (!opts.devicePassphrase) throw new Error('the device key is kept encrypted: give its passphrase (JARDEM_DEVICE_PASSPHRASE or --device-passphrase-file)');
    const read = (rel: string) => readFileSync(path.join(ctx.dataDir, rel), 'utf8');
    installDevice(ctx, opts.device, { officeCode: office.code, workstationCode: opts.workstationCode }, trustStoreFromPem(read(DATA_FILES.roots), read(DATA_FILES.intermediates)), opts.devicePassphrase);
  }
  writeWorkstation(ctx.db, config);
  // The PKI folder's staff acts (the simulated one keeps those of the people it issued keys for): read at every sign-in.
  useStaffFile(ctx, path.join(opts.pkiDir, STAFF_ACTS_FILE));
  seedPrecincts(ctx.db, office.code);
  if (opts.serverUrl) configureSync(ctx.db, { serverUrl: opts.serverUrl, replaceDevice: opts.replaceDevice, ...(opts.serverCaPem ? { serverCaPem: opts.serverCaPem } : {}) });
  return config;
}
