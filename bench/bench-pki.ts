/**
 * The benches' PKI: a simulated CA with the bench specialist's key, and the office's staff register naming them (the
 * server and the workstations accept a signed act only from someone the register gives the role on its day).
 * Made once in `.bench-data/pki` on a fresh clone; a folder made before the registers gets its register added.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { initPki } from '../node/pki/ca';
import { issueStaffKey } from '../node/pki/staff-keys';
import { staffActsText } from '../node/pki/staff-file';
import { registerDemoStaff } from '../electron/services/demo-staff';

/** The bench specialist and the office's administrator who grants them the role (test IINs with check digits). */
const SPECIALIST = { iin: '900512400018', surname: 'Бенч', givenName: 'Тест' };
const ADMIN = { iin: '700101300005', surname: 'Бенч', givenName: 'Әкімші' };

export function benchKey(): { pkiDir: string; key: string } {
  const pkiDir = path.resolve('.bench-data', 'pki');
  const key = path.join(pkiDir, 'RSA256_bench.p12');
  if (!existsSync(key)) {
    mkdirSync(pkiDir, { recursive: true });
    if (!existsSync(path.join(pkiDir, 'root.crt.pem'))) initPki(pkiDir);
    writeFileSync(key, issueStaffKey({ dir: pkiDir, role: 'specialist', ...SPECIALIST, officeCode: 'AUE', password: 'pw' }));
  }
  if (!staffActsText(pkiDir).includes(SPECIALIST.iin)) {
    const admin = issueStaffKey({ dir: pkiDir, role: 'admin', ...ADMIN, officeCode: 'AUE', password: 'pw' });
    registerDemoStaff(pkiDir, [
      { role: 'admin', iin: ADMIN.iin, name: `${ADMIN.surname} ${ADMIN.givenName}`, officeCode: 'AUE', key: admin, password: 'pw' },
      // Granted from a day before any act a bench signs (an act is checked against the register on its own day).
      { role: 'specialist', iin: SPECIALIST.iin, name: `${SPECIALIST.surname} ${SPECIALIST.givenName}`, officeCode: 'AUE', key: readFileSync(key), password: 'pw' },
    ], new Date(Date.UTC(2020, 0, 1)));
  }
  return { pkiDir, key };
}
