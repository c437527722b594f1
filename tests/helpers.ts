import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoOffices, initPki } from '../node/pki/ca';
import { issueStaffKey, type IssueOptions } from '../node/pki/staff-keys';
import { createContext, type ServicesContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { setUpWorkstation } from '../electron/services/workstation';
import { withCheckDigit } from '../shared/domain/iin';

export function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `jardem-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const SPECIALIST = { iin: '900512400018', surname: 'Сейітқали', givenName: 'Әйгерім', patronymic: 'Нұрланқызы' };
export const HEAD = { iin: '780304300003', surname: 'Жұмабеков', givenName: 'Ерлан', patronymic: 'Серікұлы' };

/** A real simulated PKI on disk, with a helper that issues real PKCS#12 files from it. */
export function makePki(dir: string) {
  // The demo offices and a second district (Бостандық) whose staff must not sign in at Әуезов.
  initPki(dir, [...demoOffices().filter((o) => o.code !== 'BOS'), { code: 'BOS', kind: 'district', nameKk: 'Бостандық ауданының бөлімі', nameRu: 'Отдел Бостандыкского района', bin: '130440005678' }]);
  return {
    dir,
    issue: (opts: Partial<IssueOptions> = {}) =>
      issueStaffKey({ dir, role: 'specialist', officeCode: 'AUE', password: 'pw', ...SPECIALIST, ...opts }).toString('base64'),
  };
}

/** A workstation with its own SQLite file, trusting `pkiDir`, and the services' dispatcher over it. */
export function makeWorkstation(dataDir: string, pkiDir: string, now?: () => Date): { ctx: ServicesContext; dispatch: ReturnType<typeof createDispatcher> } {
  const ctx = createContext({ dataDir, appVersion: 'test', now });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  return { ctx, dispatch: createDispatcher(ctx) };
}

/**
 * The n-th valid IIN of a person born on `yymmdd` with century-and-sex digit `c` (3: a man of the 1900s): a family
 * has one open application at a time, so tests that open many cases give each applicant their own.
 */
export function nthIin(yymmdd: string, c: number, n: number): string {
  let found = -1;
  for (let serial = 0; serial < 10_000; serial++) {
    const iin = withCheckDigit(`${yymmdd}${c}${String(serial).padStart(4, '0')}`);
    if (iin && ++found === n) return iin;
  }
  throw new Error('no such IIN');
}
