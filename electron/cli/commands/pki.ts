/** The simulated PKI (its CA, staff keys, device certificates, revocation), detached signatures, and a workstation's CRL. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkIin } from '../../../shared/domain/iin';
import { errorMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { isRole, type Role } from '../../../shared/roles';
import { initPki, readOffices } from '../../../node/pki/ca';
import { appendStaffAct, nameOfficeAdmin } from '../../../node/pki/staff-file';
import { officeDate } from '../../../shared/local-date';
import { issueStaffKey, keyFileName } from '../../../node/pki/staff-keys';
import { issueDeviceCertificate } from '../../../node/pki/machine-certs';
import { CmsFormatError, signatureCertificates, signDetached } from '../../../node/pki/cms';
import { issueCrl, loadCrl, revoke } from '../../../node/pki/crl';
import { DATA_FILES } from '../../services/data-files';
import { openKeyFile, trustStoreFromPem, type TrustStore } from '../../../node/pki/keyfile';
import { verifySignature } from '../../../node/pki/verdict';
import { certificateInfo } from '../../../node/pki/certificate-info';
import { AppError } from '../../../shared/errors';
import { defaultDataDir } from '../../services/paths';
import { fail, need, parseDay } from '../common';
import { USAGE } from '../usage';

/**
 * The staff register beside an issued key (the PKI folder's staff acts file): an administrator of an office that has
 * none named yet is named its first administrator and begins its register with their new key; with --register-by,
 * the office's administrator grants the person the role from --from (today unless given).
 */
function registerIssued(dir: string, values: Record<string, string | boolean | undefined>, signKey: Buffer | null): 'genesis' | 'granted' | null {
  const str = (k: string) => values[k] as string | undefined;
  const entry = { office: str('office')!, iin: str('iin')!, role: str('role') as Role, name: [str('surname'), str('given'), str('patronymic')].filter(Boolean).join(' '), from: str('from') ?? officeDate(new Date()), to: null };
  const signerOf = (bytes: Buffer, password: string) => {
    const opened = openKeyFile(bytes, password);
    return { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
  };
  if (entry.role === 'admin' && signKey && !readOffices(dir).find((o) => o.code === entry.office)?.adminIin) {
    nameOfficeAdmin(dir, entry.office, entry.iin);
    appendStaffAct(dir, signerOf(signKey, str('password')!), entry);
    return 'genesis';
  }
  if (!str('register-by')) return null;
  appendStaffAct(dir, signerOf(readFileSync(path.resolve(str('register-by')!)), str('register-password') ?? ''), entry);
  return 'granted';
}

export async function pkiCommand(rest: string[]): Promise<void> {
    const [sub, ...args] = rest;
    const { values } = parseArgs({
      args,
      options: {
        dir: { type: 'string' }, role: { type: 'string' }, iin: { type: 'string' }, surname: { type: 'string' },
        given: { type: 'string' }, patronymic: { type: 'string' }, office: { type: 'string' }, password: { type: 'string' },
        workstation: { type: 'string' }, out: { type: 'string' }, 'out-dir': { type: 'string' }, serial: { type: 'string' }, reason: { type: 'string' }, days: { type: 'string' }, usage: { type: 'string' }, 'not-before': { type: 'string' }, 'not-after': { type: 'string' },
        'register-by': { type: 'string' }, 'register-password': { type: 'string' }, from: { type: 'string' },
      },
    });
    if (sub === 'init') {
      need(values, 'dir');
      initPki(path.resolve(values.dir!));
      console.log(JSON.stringify({ dir: path.resolve(values.dir!), root: 'root.crt.pem', issuing: 'issuing.crt.pem' }));
      return;
    }
    if (sub === 'device') {
      need(values, 'dir', 'office', 'workstation', 'out-dir');
      const device = issueDeviceCertificate({ dir: path.resolve(values.dir!), officeCode: values.office!, workstationCode: values.workstation! });
      const outDir = path.resolve(values['out-dir']!);
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path.join(outDir, 'device.key.pem'), device.keyPem, { mode: 0o600 });
      writeFileSync(path.join(outDir, 'device.crt.pem'), [device.certPem, ...device.chainPem].join(''));
      console.log(JSON.stringify({ files: [path.join(outDir, 'device.crt.pem'), path.join(outDir, 'device.key.pem')] }));
      return;
    }
    if (sub === 'revoke') {
      need(values, 'dir', 'serial');
      const list = revoke(path.resolve(values.dir!), values.serial!, values.reason ?? 'unspecified');
      console.log(JSON.stringify({ revoked: list.length }));
      return;
    }
    if (sub === 'crl') {
      need(values, 'dir', 'out');
      writeFileSync(values.out!, issueCrl(path.resolve(values.dir!), new Date(), Number(values.days ?? 7)));
      console.log(JSON.stringify({ out: path.resolve(values.out!) }));
      return;
    }
    if (sub === 'issue') {
      need(values, 'dir', 'role', 'iin', 'surname', 'given', 'office', 'password');
      if (!values.out === !values['out-dir']) fail(`give --out FILE.p12 or --out-dir DIR\n\n${USAGE}`);
      if (!isRole(values.role!)) fail(`--role: one of specialist, head, center, secretary, admin`);
      const iin = checkIin(values.iin!);
      if (!iin.valid) fail(`--iin: ${iin.errors.join(', ')}`);
      const usage = (values.usage ?? 'sign') as 'sign' | 'auth';
      if (usage !== 'sign' && usage !== 'auth') fail('--usage: sign or auth');
      const issue = (u: 'sign' | 'auth') =>
        issueStaffKey({
          dir: path.resolve(values.dir!), role: values.role as Role, iin: values.iin!, surname: values.surname!, givenName: values.given!,
          patronymic: values.patronymic, officeCode: values.office!, password: values.password!, usage: u,
          notBefore: parseDay(values['not-before'], 'not-before'), notAfter: parseDay(values['not-after'], 'not-after'),
        });
      const outputs: { out: string; usage: 'sign' | 'auth' }[] = values['out-dir']
        ? (['sign', 'auth'] as const).map((u) => ({ out: path.resolve(values['out-dir']!, keyFileName(u, values.iin!)), usage: u }))
        : [{ out: path.resolve(values.out!), usage }];
      let signKey: Buffer | null = null;
      for (const o of outputs) {
        mkdirSync(path.dirname(o.out), { recursive: true });
        const bytes = issue(o.usage);
        if (o.usage === 'sign') signKey = bytes;
        writeFileSync(o.out, bytes, { mode: 0o600 });
      }
      const register = registerIssued(path.resolve(values.dir!), values, signKey);
      console.log(JSON.stringify({ role: values.role, files: outputs, ...(register ? { register } : {}) }));
      return;
    }
    fail(USAGE);
}

export async function signCommand(rest: string[]): Promise<void> {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { key: { type: 'string' }, password: { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
    need(values, 'key');
    if (positionals.length !== 1) fail(USAGE);
    const lang = (LANGUAGES as readonly string[]).includes(values.lang!) ? (values.lang as Language) : 'ru';
    try {
      const opened = openKeyFile(readFileSync(values.key!), values.password ?? '');
      const usage = certificateInfo(Buffer.from(opened.certificate.raw)).keyUsage;
      if (!usage.digitalSignature || !usage.nonRepudiation) throw new AppError(usage.keyEncipherment ? 'signin.auth_only_key' : 'signin.not_signing_key');
      const validTo = new Date(opened.certificate.validTo);
      if (validTo < new Date()) throw new AppError('signin.expired', { date: validTo.toISOString().slice(0, 10) });
      const file = positionals[0]!;
      writeFileSync(`${file}.p7s`, signDetached(readFileSync(file), { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem }));
      console.log(JSON.stringify({ signed: file, signature: `${file}.p7s` }));
    } catch (error) {
      if (error instanceof AppError) fail(errorMessage(lang, error.toValue()), 1);
      fail(String(error));
    }
    return;
}

export async function verifyCommand(rest: string[]): Promise<void> {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ca: { type: 'string', multiple: true }, crl: { type: 'string' } } });
    if (positionals.length < 1 || positionals.length > 2 || !values.ca?.length) fail(USAGE);
    const [file, sig = `${positionals[0]}.p7s`] = positionals as [string, string?];
    let content: Buffer;
    let p7s: Buffer;
    let trust: TrustStore;
    try {
      content = readFileSync(file);
      p7s = readFileSync(sig);
      const pems = values.ca.map((f) => readFileSync(f, 'utf8'));
      // Self-signed certificates are roots; the others are intermediates.
      const all = trustStoreFromPem(pems.join('\n'), '');
      trust = { roots: all.roots.filter((c) => c.checkIssued(c)), intermediates: all.roots.filter((c) => !c.checkIssued(c)) };
      if (values.crl) {
        // The CRL's signer is the issuing CA: it is carried in the signature itself.
        const carried = signatureCertificates(readFileSync(sig));
        const crl = loadCrl(readFileSync(values.crl, 'utf8'), [...trust.intermediates, ...trust.roots, ...carried.filter((c) => c.ca)]);
        if (!crl) fail('unusable input: the CRL is not signed by a known CA');
        trust.revoked = crl.revokedSerials;
      }
    } catch (error) {
      fail(`unusable input: ${(error as Error).message}`);
    }
    try {
      const verdict = verifySignature(content, p7s, trust);
      console.log(JSON.stringify(verdict, null, 2));
      process.exit(verdict.valid ? 0 : 1);
    } catch (error) {
      if (error instanceof CmsFormatError) fail(`unusable input: ${sig} is not a CMS signature (${error.message})`);
      throw error;
    }
}

export async function crlCommand(rest: string[]): Promise<void> {
    const [sub, ...args] = rest;
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
    if (sub !== 'import' || positionals.length !== 1) fail(USAGE);
    const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
    const pem = readFileSync(positionals[0]!, 'utf8');
    const issuers = trustStoreFromPem(readFileSync(path.join(dataDir, DATA_FILES.intermediates), 'utf8'), '').roots;
    const crl = loadCrl(pem, issuers);
    if (!crl) fail('the CRL is not signed by a CA this workstation trusts', 1);
    mkdirSync(path.join(dataDir, DATA_FILES.crlDir), { recursive: true });
    const target = path.join(dataDir, DATA_FILES.crlDir, `${crl.thisUpdate.toISOString().replace(/[:.]/g, '-')}.pem`);
    writeFileSync(target, pem);
    console.log(JSON.stringify({ imported: target, revoked: crl.revokedSerials.size }));
    return;
}
