/**
 * The demo office a newcomer can create at first start: a simulated PKI, the offices of Almaty, four staff key
 * files and the workstation's device certificate. All of it lives beside the workstation's data folder, never in it
 * (a workstation never holds a CA key): for ~/.local/share/jardem, in ~/.local/share/jardem-demo-office. The CA
 * keys are encrypted with $JARDEM_CA_PASSPHRASE, or, for the demo only, with the passphrase README.md states.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tightenTree } from './data-folder';
import path from 'node:path';
import type { DemoKey } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { withCheckDigit } from '../../shared/domain/iin';
import type { ServicesContext } from './context';
import { CA_PASSPHRASE_ENV, DEMO_PASSPHRASE_FILE, initPki } from '../../node/pki/ca';
import { issueStaffKey, keyFileName } from '../../node/pki/staff-keys';
import { issueDeviceCertificate } from '../../node/pki/machine-certs';
import { makeRsaKeysAhead } from '../../node/pki/cert-parts';
import { demoOfficeDir } from '../../node/paths';
import { setUpWorkstation } from './workstation';
import { registerDemoStaff, type DemoStaffPerson } from './demo-staff';
import { importStaffFile } from './staff';
import { writeSetting } from '../../db/repositories/settings';
import { DEFAULT_SERVER_URL } from './sync/settings';

/** The demo PKI's CA passphrase when $JARDEM_CA_PASSPHRASE is not set (README.md states it): a demo, nothing real. */
export const DEMO_CA_PASSPHRASE = 'jardem-demo-ca';

/** The city department's code in the offices of Almaty (shared/domain/data/offices-almaty.json). */
export const CITY_OFFICE = 'ALMATY';

interface DemoPerson {
  role: DemoKey['role'];
  surname: string;
  givenName: string;
  patronymic: string;
  /** First 10 digits of the IIN (birth date, century/sex digit, serial start); the rest is completed. */
  iinStart: string;
  officeCode: string;
  password: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { role: 'specialist', surname: 'Сейітқали', givenName: 'Әйгерім', patronymic: 'Нұрланқызы', iinStart: '9005124000', officeCode: 'AUE', password: 'demo-specialist' },
  { role: 'head', surname: 'Жұмабеков', givenName: 'Ерлан', patronymic: 'Серікұлы', iinStart: '7803043000', officeCode: 'AUE', password: 'demo-head' },
  { role: 'center', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна', iinStart: '8511204000', officeCode: 'CON-AUE', password: 'demo-center' },
  // Not asked for by the skeleton: lets a newcomer see the administrator's calendar corrections.
  { role: 'admin', surname: 'Төлегенов', givenName: 'Болат', patronymic: 'Маратұлы', iinStart: '8202023000', officeCode: 'AUE', password: 'demo-admin' },
  // The city department's administrator (office ALMATY): what they enter on any workstation of the city
  // (calendar corrections, thresholds, precinct commissions) becomes a signed reference act for every district.
  { role: 'admin', surname: 'Ахметова', givenName: 'Сәуле', patronymic: 'Қайратқызы', iinStart: '7507074000', officeCode: 'ALMATY', password: 'demo-city-admin' },
];

function completeIin(start: string): string {
  for (let d = 0; d < 10; d++) {
    const iin = withCheckDigit(`${start}${d}`);
    if (iin) return iin;
  }
  throw new Error('no IIN with a check digit');
}

const demoDir = (ctx: Pick<ServicesContext, 'dataDir'>) => demoOfficeDir(ctx.dataDir);
const keysIndex = (ctx: Pick<ServicesContext, 'dataDir'>) => path.join(demoDir(ctx), 'keys.json');

/**
 * The keys a demo office is made with (its CAs', its people's, its workstation's), made at once before it: a key
 * more is made on the spot, a key fewer is left for the next.
 */
const DEMO_OFFICE_KEYS = 14;

export function readDemoKeys(ctx: Pick<ServicesContext, 'dataDir'>): DemoKey[] | null {
  return existsSync(keysIndex(ctx)) ? (JSON.parse(readFileSync(keysIndex(ctx), 'utf8')) as DemoKey[]) : null;
}

/**
 * `opts.validFrom`: the demo PKI and its keys are valid from then (the demo office with a past year of sample
 * cases, each act signed on its own day: demo-sample/); else from about now.
 */
export async function createDemoOffice(ctx: ServicesContext, opts: { validFrom?: Date } = {}): Promise<DemoKey[]> {
  if (readDemoKeys(ctx)) throw new AppError('demo.already_exists');
  await makeRsaKeysAhead(DEMO_OFFICE_KEYS);
  const pkiDir = path.join(demoDir(ctx), 'pki');
  const keyDir = path.join(demoDir(ctx), 'keys');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  if (!existsSync(path.join(pkiDir, 'root.crt.pem'))) {
    mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
    // A demo PKI says its CA passphrase (README.md states it too); $JARDEM_CA_PASSPHRASE wins when it is set.
    if (!process.env[CA_PASSPHRASE_ENV]) writeFileSync(path.join(pkiDir, DEMO_PASSPHRASE_FILE), DEMO_CA_PASSPHRASE, { mode: 0o600 });
    initPki(pkiDir, undefined, undefined, opts.validFrom);
  }
  const staff: DemoStaffPerson[] = [];
  const keys: DemoKey[] = DEMO_PEOPLE.map((p) => {
    const iin = completeIin(p.iinStart);
    const bytes = issueStaffKey({
      dir: pkiDir,
      role: p.role,
      iin,
      surname: p.surname,
      givenName: p.givenName,
      patronymic: p.patronymic,
      officeCode: p.officeCode,
      password: p.password,
      notBefore: opts.validFrom,
    });
    const fileName = keyFileName('sign', `${p.role}_${iin}`);
    writeFileSync(path.join(keyDir, fileName), bytes, { mode: 0o600 });
    staff.push({ role: p.role, iin, name: `${p.surname} ${p.givenName} ${p.patronymic}`, officeCode: p.officeCode, key: bytes, password: p.password });
    return { role: p.role, fileName, path: path.join(keyDir, fileName), password: p.password, holder: `${p.surname} ${p.givenName} ${p.patronymic}`, office: p.officeCode };
  });
  // Each office's register: its named first administrator begins it and grants the demo people their roles.
  registerDemoStaff(pkiDir, staff, opts.validFrom);
  // Each person's authentication key too (AUTH_RSA256_…, as НУЦ РК issues a pair), for a sign-in through NCALayer:
  // the keys folder's own index is what `jardem ncalayer-sim --keys` reads (both files of each person).
  const simIndex = DEMO_PEOPLE.flatMap((p, i) => {
    const iin = completeIin(p.iinStart);
    const authName = keyFileName('auth', `${p.role}_${iin}`);
    const auth = issueStaffKey({ dir: pkiDir, role: p.role, iin, surname: p.surname, givenName: p.givenName, patronymic: p.patronymic, officeCode: p.officeCode, password: p.password, usage: 'auth', notBefore: opts.validFrom });
    writeFileSync(path.join(keyDir, authName), auth, { mode: 0o600 });
    return [{ fileName: keys[i]!.fileName, password: p.password }, { fileName: authName, password: p.password }];
  });
  writeFileSync(path.join(keyDir, 'keys.json'), JSON.stringify(simIndex, null, 2), { mode: 0o600 });
  // The workstation's device certificate, issued at the (demo) PKI; its key's passphrase is kept beside the PKI.
  const device = issueDeviceCertificate({ dir: pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  const passphraseFile = path.join(demoDir(ctx), 'device-passphrase');
  if (!existsSync(passphraseFile)) writeFileSync(passphraseFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  setUpWorkstation(ctx, {
    pkiDir,
    officeCode: 'AUE',
    workstationCode: 'W1',
    device: { certsPem: [device.certPem, ...device.chainPem].join(''), keyPem: device.keyPem },
    devicePassphrase: { value: readFileSync(passphraseFile, 'utf8').trim(), file: passphraseFile },
    // It syncs with a central server on this machine when one runs (npm run server).
    serverUrl: DEFAULT_SERVER_URL,
  });
  // The registers' acts taken now: the sample cases are committed before anyone signs in.
  importStaffFile(ctx);
  // The demo scans from SANE's virtual `test` scanner where SANE is installed (Linux), configured in the data
  // folder without touching /etc; elsewhere the scanner shows as not found and files can be imported.
  const saneDir = path.join(demoDir(ctx), 'sane');
  mkdirSync(saneDir, { recursive: true });
  writeFileSync(path.join(saneDir, 'dll.conf'), 'test\n');
  const systemTestConf = '/etc/sane.d/test.conf';
  writeFileSync(path.join(saneDir, 'test.conf'), existsSync(systemTestConf) ? readFileSync(systemTestConf) : 'number_of_devices 1\n');
  writeSetting(ctx.db, 'scanner', { source: 'sane', device: 'test:0', dpi: 200, mode: 'Color', saneConfigDir: saneDir, testPicture: 'Grid' });
  // The PKI writes its public certificates world-readable and SANE's folder follows the umask: the whole demo office
  // is closed to other accounts like the data folder (it holds the demo keys' passwords).
  tightenTree(demoDir(ctx));
  // Written last: its presence means the demo office is complete.
  writeFileSync(keysIndex(ctx), JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** A demo key by its role, and its office when two share a role (the district's and the city's administrator). */
export function demoKeyFile(ctx: Pick<ServicesContext, 'dataDir'>, role: DemoKey['role'], office?: string) {
  const key = readDemoKeys(ctx)?.find((k) => k.role === role && (office ? k.office === office : k.office !== CITY_OFFICE));
  if (!key) throw new AppError('demo.not_created');
  return { ...key, p12Base64: readFileSync(key.path).toString('base64') };
}

/** The demo PKI's folder (beside the data folder): the sample year issues its sample gateway there. */
export const demoPkiDir = (ctx: Pick<ServicesContext, 'dataDir'>) => path.join(demoDir(ctx), 'pki');
