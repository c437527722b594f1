/**
 * `jardem`: the command-line host of the same method contract, and the PKI and IIN tools.
 * Declared as the package's bin, so `npx jardem …` works after `npm ci`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkIin, type Sex } from '../../shared/domain/iin';
import { errorMessage, formatMessage, LANGUAGES, type Language } from '../../shared/i18n/messages';
import { seedCalendar } from '../../shared/domain/calendar';
import { draftYear } from '../../shared/domain/calendar-rules';
import { calculateBenefit, type BenefitInput } from '../../shared/domain/benefit';
import { DomainError } from '../../shared/domain/errors';
import { isMethodName, methods } from '../../shared/contract/methods';
import { isRole, type Role } from '../../shared/roles';
import type { AppErrorValue, Result } from '../../shared/errors';
import { createContext } from '../services/context';
import { createDispatcher } from '../services/dispatch';
import { initPki, issueDeviceCertificate, issueStaffKey, keyFileName } from '../../node/pki/ca';
import { CmsFormatError, signatureCertificates, signDetached } from '../../node/pki/cms';
import { issueCrl, loadCrl, revoke } from '../../node/pki/crl';
import { DATA_FILES } from '../services/data-files';
import { openKeyFile, trustStoreFromPem, type TrustStore } from '../../node/pki/keyfile';
import { verifySignature } from '../../node/pki/verdict';
import { AppError } from '../../shared/errors';
import { setUpWorkstation } from '../services/workstation';
import { DEVICE_PASSPHRASE_ENV, readDeviceFiles } from '../services/device';
import { formServices } from '../services/forms/forms';
import { configureScanner } from '../services/pages';
import { scannerSettingsInput } from '../../shared/contract/schemas';
import { appVersion, defaultDataDir } from '../services/paths';
import { openDatabase } from '../../db/open';
import { rebuildProjections } from '../../db/rebuild';
import { syncRound, syncState } from '../services/sync/agent';
import { caseIdByNumber } from '../../db/repositories/documents';
import { journalServices } from '../services/journal';
import { journalPdfInput } from '../../shared/contract/schemas';
import { FORM_NAMES, type FormName } from '../../shared/forms/texts';

const USAGE = `jardem — Jardem command line

  jardem iin IIN [--birth-date YYYY-MM-DD] [--sex male|female]
  jardem pki init --dir DIR
  jardem pki issue --dir DIR --role specialist|head|center --iin IIN --surname S --given G
                   [--patronymic P] --office CODE --password PW (--out FILE.p12 [--usage sign|auth] | --out-dir DIR)
                   [--not-before YYYY-MM-DD] [--not-after YYYY-MM-DD]
                   --out-dir writes both files a person is issued: RSA256_<IIN>.p12 (signing) and
                   AUTH_RSA256_<IIN>.p12 (authentication)
  jardem pki device --dir DIR --office CODE --workstation CODE --out-dir DIR
                   a workstation's device certificate (sync client): device.crt.pem (with its chain), device.key.pem
  jardem pki revoke --dir DIR --serial HEX [--reason TEXT]
  jardem pki crl --dir DIR --out FILE.pem [--days 7]    the issuing CA's signed revocation list
  jardem forms render FORM --case ID|CASE_NUMBER --out FILE.pdf [--data-dir DIR] [--lang kk|ru|en]
                   FORM: receipt, center_receipt, notice_originals, refusal_acceptance, commission_referral,
                   commission_act, commission_conclusion, decision (assignment or refusal), notification,
                   missing_documents (Appendix 4, the Center channel), handover_record (at the Center);
                   reprints the form exactly as issued and certified (signed inside, PAdES), with FILE.pdf.p7s
  jardem forms render journal --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf [--lang kk|ru] [--channel district|center]
                   [--query IIN|NUMBER] [--data-dir DIR]   the journal of applications (Appendix 21) for a period
                   Without --data-dir: the app's own folder ($JARDEM_DATA_DIR, else ~/.local/share/jardem)
  jardem crl import FILE.pem [--data-dir DIR]           a workstation loads a CRL (used offline)
  jardem sync [--data-dir DIR] [--lang kk|ru|en]          one sync round with the central server; prints
                                                     {pushed, pulled, refused, conflicts, waiting, reference}; exit 0 when it completed
  jardem db rebuild [--data-dir DIR] [--lang kk|ru|en]  rebuilds every projection table from the signed log in one
                                                     transaction and prints what differed (JSON)
  jardem scanner --set JSON [--data-dir DIR]          the scanner source, e.g. '{"source":"sane","device":"test:0","dpi":200,"mode":"Color"}'
  jardem setup --pki DIR --office CODE --workstation CODE [--device DIR [--device-passphrase-file FILE]] [--server URL] [--data-dir DIR]
                   trusts the PKI's root, sets the codes, installs the device certificate from jardem pki device (its
                   key encrypted with $JARDEM_DEVICE_PASSPHRASE or the file's passphrase) and the central server
  jardem workdays --from YYYY-MM-DD --add N        prints the N-th working day after --from
  jardem workdays --from YYYY-MM-DD --to YYYY-MM-DD  prints the working days after --from up to --to
  jardem benefit --input FILE.json [--lang kk|ru|en]
  jardem calendar draft --year YYYY                  drafts a year's calendar by rule (to review)
  jardem sign --key FILE.p12 --password PW FILE      writes FILE.p7s (detached CMS, CAdES-BES)
  jardem verify FILE [FILE.p7s] --ca root.pem [--ca issuing.pem] [--crl FILE.pem]
                                                     prints {valid, signer, signingTime, errors}; exit 0 valid,
                                                     1 invalid, 2 unusable input
  jardem methods
  jardem call METHOD [--input JSON] [--key FILE.p12 --password PW] [--data-dir DIR] [--lang kk|ru|en]
`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** A domain rule refused its input: the message in the person's language, the field, exit 1. */
function failDomain(error: unknown, lang: string | undefined): never {
  if (!(error instanceof DomainError)) throw error;
  const language = (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : 'ru';
  console.error(`${error.field}: ${formatMessage(language, error.code, error.params)}`);
  console.log(JSON.stringify({ error: error.code, field: error.field, params: error.params }));
  process.exit(1);
}

/**
 * An error as a person at the command line reads it: a refusal of a rule (the workflow's guards, the family check,
 * a field) in that rule's own words, one line per field; a field of the input is named, the workflow's are not.
 * The screen's "check the fields marked in red" means nothing here.
 */
function errorText(lang: Language, error: AppErrorValue): string {
  const fields = Object.entries(error.fieldErrors ?? {});
  if (error.code !== 'validation' || fields.length === 0) return errorMessage(lang, error);
  const ruleFields = new Set(['event', 'role', 'on', 'rulesVersion', '_']);
  return fields.map(([field, key]) => `${ruleFields.has(field) ? '' : `${field}: `}${formatMessage(lang, key, error.params)}`).join('\n');
}

function need(values: Record<string, unknown>, ...names: string[]) {
  const missing = names.filter((n) => typeof values[n] !== 'string' || values[n] === '');
  if (missing.length) fail(`missing ${missing.map((m) => `--${m}`).join(', ')}\n\n${USAGE}`);
}

function parseDay(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) fail(`--${name}: not a date (YYYY-MM-DD): ${value}`);
  return d;
}

async function main(argv: string[]) {
  // What the command line writes (a data folder, reprinted forms, key files) is the owner's only, whatever the umask.
  if (process.platform !== 'win32') process.umask(0o077);
  const [command, ...rest] = argv;
  switch (command) {
    case 'iin': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { 'birth-date': { type: 'string' }, sex: { type: 'string' } } });
      if (positionals.length !== 1) fail(USAGE);
      const sex = values.sex as Sex | undefined;
      const r = checkIin(positionals[0]!, { birthDate: values['birth-date'] ?? null, sex: sex ?? null });
      console.log(JSON.stringify({ valid: r.valid, errors: r.errors, warnings: r.warnings, birthDate: r.birthDate, sex: r.sex }));
      process.exit(r.valid ? 0 : 1);
    }
    // falls through: process.exit never returns
    case 'pki': {
      const [sub, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          dir: { type: 'string' }, role: { type: 'string' }, iin: { type: 'string' }, surname: { type: 'string' },
          given: { type: 'string' }, patronymic: { type: 'string' }, office: { type: 'string' }, password: { type: 'string' },
          workstation: { type: 'string' }, out: { type: 'string' }, 'out-dir': { type: 'string' }, serial: { type: 'string' }, reason: { type: 'string' }, days: { type: 'string' }, usage: { type: 'string' }, 'not-before': { type: 'string' }, 'not-after': { type: 'string' },
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
        for (const o of outputs) {
          mkdirSync(path.dirname(o.out), { recursive: true });
          writeFileSync(o.out, issue(o.usage), { mode: 0o600 });
        }
        console.log(JSON.stringify({ role: values.role, files: outputs }));
        return;
      }
      fail(USAGE);
    }
    // falls through: fail never returns
    case 'scanner': {
      // The workstation's scanner source, set by whoever administers the machine (like `setup`).
      const { values } = parseArgs({ args: rest, options: { set: { type: 'string' }, 'data-dir': { type: 'string' } } });
      need(values, 'set');
      const parsed = scannerSettingsInput.safeParse(JSON.parse(values.set!));
      if (!parsed.success) fail(`--set: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const ctx = createContext({ dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()), appVersion: appVersion() });
      try {
        configureScanner(ctx, parsed.data);
      } finally {
        ctx.db.close();
      }
      console.log(JSON.stringify(parsed.data));
      return;
    }
    case 'setup': {
      const { values } = parseArgs({
        args: rest,
        options: { pki: { type: 'string' }, office: { type: 'string' }, workstation: { type: 'string' }, 'data-dir': { type: 'string' }, device: { type: 'string' }, 'device-passphrase-file': { type: 'string' }, server: { type: 'string' } },
      });
      need(values, 'pki', 'office', 'workstation');
      const ctx = createContext({ dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()), appVersion: appVersion() });
      try {
        // The device certificate comes from the PKI (jardem pki device): setup never reads a CA key.
        const passphraseFile = values['device-passphrase-file'] ? path.resolve(values['device-passphrase-file']) : undefined;
        const passphrase = passphraseFile ? readFileSync(passphraseFile, 'utf8').trim() : process.env[DEVICE_PASSPHRASE_ENV];
        const ws = setUpWorkstation(ctx, {
          pkiDir: path.resolve(values.pki!),
          officeCode: values.office!,
          workstationCode: values.workstation!,
          ...(values.device ? { device: readDeviceFiles(path.resolve(values.device)), devicePassphrase: passphrase ? { value: passphrase, file: passphraseFile } : undefined } : {}),
          ...(values.server ? { serverUrl: values.server } : {}),
        });
        console.log(JSON.stringify({ ...ws, device: values.device ? 'installed' : 'none', server: values.server ?? null }));
      } catch (error) {
        fail((error as Error).message, 2);
      } finally {
        ctx.db.close();
      }
      return;
    }
    case 'workdays': {
      const { values } = parseArgs({ args: rest, options: { from: { type: 'string' }, add: { type: 'string' }, to: { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
      need(values, 'from');
      const calendar = seedCalendar();
      try {
        if (values.add !== undefined) console.log(calendar.addWorkingDays(values.from!, Number(values.add)));
        else if (values.to !== undefined) console.log(calendar.workingDaysBetween(values.from!, values.to));
        else fail(USAGE);
      } catch (error) {
        failDomain(error, values.lang);
      }
      return;
    }
    case 'benefit': {
      const { values } = parseArgs({ args: rest, options: { input: { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
      need(values, 'input');
      let input: BenefitInput;
      try {
        input = JSON.parse(readFileSync(values.input!, 'utf8')) as BenefitInput;
      } catch (error) {
        fail(`--input: ${(error as Error).message}`);
      }
      try {
        console.log(JSON.stringify(calculateBenefit(input), null, 2));
      } catch (error) {
        failDomain(error, values.lang);
      }
      return;
    }
    case 'calendar': {
      const [sub, ...args] = rest;
      const { values } = parseArgs({ args, options: { year: { type: 'string' } } });
      if (sub !== 'draft') fail(USAGE);
      need(values, 'year');
      console.log(JSON.stringify(draftYear(Number(values.year)), null, 1));
      return;
    }
    case 'sign': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { key: { type: 'string' }, password: { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
      need(values, 'key');
      if (positionals.length !== 1) fail(USAGE);
      const lang = (LANGUAGES as readonly string[]).includes(values.lang!) ? (values.lang as Language) : 'ru';
      try {
        const opened = openKeyFile(readFileSync(values.key!), values.password ?? '');
        const usage = opened.certificate.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean; keyEncipherment?: boolean } | undefined;
        if (!usage?.digitalSignature || !usage.nonRepudiation) throw new AppError(usage?.keyEncipherment ? 'signin.auth_only_key' : 'signin.not_signing_key');
        const validTo = opened.certificate.validity.notAfter;
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
    case 'forms': {
      const [sub, form, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: { case: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' }, from: { type: 'string' }, to: { type: 'string' }, channel: { type: 'string' }, query: { type: 'string' } },
      });
      if (sub !== 'render') fail(USAGE);
      const lang = ((LANGUAGES as readonly string[]).includes(values.lang!) ? values.lang : 'ru') as Language;
      const isJournal = form === 'journal';
      if (!isJournal && !(FORM_NAMES as readonly string[]).includes(form ?? '')) fail(formatMessage(lang, 'cli.form_unknown', { form: form ?? '', forms: FORM_NAMES.join(', ') }));
      need(values, ...(isJournal ? ['from', 'to', 'out'] : ['case', 'out']));
      // The folder the app works in: given, else the same default the app and `npm start` use.
      const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
      if (!existsSync(path.join(dataDir, DATA_FILES.database))) fail(formatMessage(lang, 'cli.no_database', { dataDir }), 1);
      const ctx = createContext({ dataDir, appVersion: appVersion() });
      try {
        if (isJournal) {
          // The journal (Rules, Appendix 21) is a register: rendered for a period from the journal, never stored.
          const input = journalPdfInput.safeParse({ from: values.from, to: values.to, language: lang === 'kk' ? 'kk' : 'ru', ...(values.channel ? { channel: values.channel } : {}), ...(values.query ? { query: values.query } : {}) });
          if (!input.success) fail(input.error.issues.map((i) => `--${i.path.join('.')}: ${formatMessage(lang, i.message)}`).join('\n'), 1);
          const printed = await journalServices(ctx).pdf(input.data);
          writeFileSync(values.out!, Buffer.from(printed.pdfBase64, 'base64'));
          console.log(JSON.stringify({ out: path.resolve(values.out!), rows: printed.rows, from: input.data.from, to: input.data.to }));
          return;
        }
        // A case by its id or by the number printed on the paper.
        const found = caseIdByNumber(ctx.db, values.case!);
        if (!found) fail(formatMessage(lang, 'cli.case_not_found', { case: values.case!, dataDir }), 1);
        const issued = formServices(ctx).reprint({ caseId: found, form: form as FormName });
        writeFileSync(values.out!, Buffer.from(issued.pdfBase64, 'base64'));
        writeFileSync(`${values.out!}.p7s`, Buffer.from(issued.p7sBase64, 'base64'));
        console.log(JSON.stringify({ out: path.resolve(values.out!), signature: path.resolve(`${values.out!}.p7s`), verificationCode: issued.verificationCode }));
      } catch (error) {
        if (error instanceof AppError) fail(errorMessage(lang, error.toValue()), 1);
        throw error;
      } finally {
        ctx.db.close();
      }
      return;
    }
    case 'sync': {
      const { values } = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
      const lang = ((LANGUAGES as readonly string[]).includes(values.lang!) ? values.lang : 'ru') as Language;
      const ctx = createContext({ dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()), appVersion: appVersion() });
      try {
        // One round, as the services' agent makes them: push what waits, pull what the office did.
        const r = await syncRound(ctx);
        const error = syncState(ctx).lastError;
        console.log(JSON.stringify({ pushed: r.pushed, pulled: r.pulled, refused: r.refused, conflicts: r.conflicts, held: r.held, waiting: r.waiting, completed: r.completed, ...(r.reference ? { reference: r.reference } : {}) }));
        if (!r.completed && error) console.error(errorMessage(lang, error as { code: string; params?: Record<string, string | number> }));
        process.exit(r.completed ? 0 : 1);
      } finally {
        ctx.db.close();
      }
    }
    // falls through: process.exit never returns
    case 'db': {
      const [sub, ...args] = rest;
      const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
      if (sub !== 'rebuild') fail(USAGE);
      const lang = ((LANGUAGES as readonly string[]).includes(values.lang!) ? values.lang : 'ru') as Language;
      const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
      let db;
      try {
        db = openDatabase(path.join(dataDir, DATA_FILES.database));
      } catch (error) {
        if (error instanceof AppError) fail(errorMessage(lang, error.toValue()), 1);
        throw error;
      }
      try {
        // Every projection table from the log, in one transaction; what differed is reported, row keys included.
        const report = rebuildProjections(db);
        const tables = report.differences.map((d) => `${d.table} (−${d.onlyBefore} +${d.onlyAfter})`).join(', ');
        console.log(JSON.stringify({ ...report, dataDir, message: formatMessage(lang, report.differences.length ? 'rebuild.differed' : 'rebuild.same', { cases: report.cases, events: report.events, tables }) }));
      } finally {
        db.close();
      }
      return;
    }
    case 'crl': {
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
    case 'verify': {
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
    // falls through: process.exit never returns
    case 'methods': {
      for (const [name, def] of Object.entries(methods)) {
        console.log(`${name.padEnd(26)} ${(def.access === 'public' ? 'public' : def.access.join(',')).padEnd(26)} ${def.summary}`);
      }
      return;
    }
    case 'call': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { input: { type: 'string' }, key: { type: 'string' }, password: { type: 'string' }, 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' } },
      });
      const name = positionals[0];
      if (!name || !isMethodName(name)) fail(`unknown method ${name ?? ''}: see jardem methods`);
      const lang = (LANGUAGES as readonly string[]).includes(values.lang!) ? (values.lang as Language) : 'ru';
      let input: unknown = {};
      try {
        input = values.input ? (JSON.parse(values.input) as unknown) : {};
      } catch {
        fail('--input: not JSON');
      }
      let dispatch: ReturnType<typeof createDispatcher>;
      try {
        dispatch = createDispatcher(createContext({ dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()), appVersion: appVersion() }));
      } catch (error) {
        const code = (error as { code?: string }).code;
        fail(code ? errorMessage(lang, error as { code: string }) : String(error));
      }
      const report = (result: Result<unknown>): never => {
        if (result.ok) {
          console.log(JSON.stringify(result.value, null, 2));
          process.exit(0);
        }
        console.error(errorText(lang, result.error));
        console.log(JSON.stringify(result.error));
        process.exit(1);
      };
      let session: string | undefined;
      if (values.key) {
        const signed = await dispatch({ method: 'session.signIn', input: { p12Base64: readFileSync(values.key).toString('base64'), password: values.password ?? '' } });
        if (!signed.ok) report(signed);
        session = (signed as { value: { token: string } }).value.token;
      }
      report(await dispatch({ method: name, input, session }));
    }
    // falls through: report never returns
    default:
      fail(USAGE, command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
