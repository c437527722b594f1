/** Setting up a workstation: which office and workstation code it numbers cases under, and which CAs it trusts. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeWorkstation } from '../../db/repositories/settings';
import { DATA_FILES, type ServicesContext } from './context';
import { seedPrecincts } from './precincts';
import { issueDeviceCertificate, PKI_FILES, readOffices } from '../../node/pki/ca';

function addToBundle(certFile: string, bundleFile: string) {
  const pem = readFileSync(certFile, 'utf8').trim();
  const bundle = existsSync(bundleFile) ? readFileSync(bundleFile, 'utf8') : '';
  if (!bundle.includes(pem)) writeFileSync(bundleFile, `${bundle.trim() ? `${bundle.trim()}\n` : ''}${pem}\n`);
}

export function setUpWorkstation(ctx: Pick<ServicesContext, 'db' | 'dataDir'>, opts: { pkiDir: string; officeCode: string; workstationCode: string }) {
  const office = readOffices(opts.pkiDir).find((o) => o.code === opts.officeCode);
  if (!office) throw new Error(`unknown office code ${opts.officeCode}`);
  if (!/^[A-Z0-9]{1,8}$/.test(opts.workstationCode)) throw new Error('a workstation code is 1–8 capital letters or digits');
  mkdirSync(path.join(ctx.dataDir, DATA_FILES.trustDir), { recursive: true });
  // Trust is added, never replaced: a workstation may trust more than one CA.
  addToBundle(path.join(opts.pkiDir, PKI_FILES.rootCert), path.join(ctx.dataDir, DATA_FILES.roots));
  addToBundle(path.join(opts.pkiDir, PKI_FILES.issuingCert), path.join(ctx.dataDir, DATA_FILES.intermediates));
  const centers = readOffices(opts.pkiDir).filter((o) => o.kind === 'center' && o.serves?.includes(office.code));
  const config = {
    officeCode: office.code,
    officeName: office.nameKk,
    officeNameRu: office.nameRu,
    workstationCode: opts.workstationCode,
    acceptedBins: [office.bin, ...centers.map((c) => c.bin)],
    centers: centers.map((c) => ({ code: c.code, bin: c.bin, nameKk: c.nameKk, nameRu: c.nameRu })),
  };
  // The workstation's own certificate, for sync: issued once, kept when the workstation is set up again.
  const deviceDir = path.join(ctx.dataDir, DATA_FILES.deviceDir);
  if (!existsSync(path.join(deviceDir, DATA_FILES.deviceCert))) {
    const device = issueDeviceCertificate({ dir: opts.pkiDir, officeCode: office.code, workstationCode: opts.workstationCode });
    mkdirSync(deviceDir, { recursive: true });
    writeFileSync(path.join(deviceDir, DATA_FILES.deviceKey), device.keyPem, { mode: 0o600 });
    writeFileSync(path.join(deviceDir, DATA_FILES.deviceCert), [device.certPem, ...device.chainPem].join(''));
  }
  writeWorkstation(ctx.db, config);
  seedPrecincts(ctx.db, office.code);
  return config;
}
