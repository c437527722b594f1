/** Setting up a workstation: which office and workstation code it numbers cases under, and which CAs it trusts. */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeWorkstation } from '../../db/repositories/settings';
import { DATA_FILES, type ServicesContext } from './context';
import { PKI_FILES, readOffices } from './pki/ca';

export function setUpWorkstation(ctx: Pick<ServicesContext, 'db' | 'dataDir'>, opts: { pkiDir: string; officeCode: string; workstationCode: string }) {
  const office = readOffices(opts.pkiDir).find((o) => o.code === opts.officeCode);
  if (!office) throw new Error(`unknown office code ${opts.officeCode}`);
  if (!/^[A-Z0-9]{1,8}$/.test(opts.workstationCode)) throw new Error('a workstation code is 1–8 capital letters or digits');
  mkdirSync(path.join(ctx.dataDir, DATA_FILES.trustDir), { recursive: true });
  copyFileSync(path.join(opts.pkiDir, PKI_FILES.rootCert), path.join(ctx.dataDir, DATA_FILES.roots));
  copyFileSync(path.join(opts.pkiDir, PKI_FILES.issuingCert), path.join(ctx.dataDir, DATA_FILES.intermediates));
  const config = { officeCode: office.code, officeName: office.nameKk, workstationCode: opts.workstationCode };
  writeWorkstation(ctx.db, config);
  return config;
}
