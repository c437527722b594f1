/** A workstation's administration: set-up, the scanner, one sync round, the rebuild of the projections. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, formatMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { createContext } from '../../services/context';
import { DATA_FILES } from '../../services/data-files';
import { AppError } from '../../../shared/errors';
import { setUpWorkstation } from '../../services/workstation';
import { DEVICE_PASSPHRASE_ENV, readDeviceFiles } from '../../services/device';
import { configureScanner } from '../../services/pages';
import { scannerSettingsInput } from '../../../shared/contract/schemas';
import { appVersion, defaultDataDir } from '../../services/paths';
import { openDatabase } from '../../../db/open';
import { rebuildProjections } from '../../../db/rebuild';
import { syncRound, syncState } from '../../services/sync/agent';
import { fail, need } from '../common';
import { USAGE } from '../usage';

export async function setupCommand(rest: string[]): Promise<void> {
    const { values } = parseArgs({
      args: rest,
      options: { pki: { type: 'string' }, office: { type: 'string' }, workstation: { type: 'string' }, 'data-dir': { type: 'string' }, device: { type: 'string' }, 'device-passphrase-file': { type: 'string' }, server: { type: 'string' }, 'server-ca': { type: 'string' }, 'replace-device': { type: 'boolean' } },
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
        ...(values['replace-device'] ? { replaceDevice: true } : {}),
        ...(values['server-ca'] ? { serverCaPem: readFileSync(path.resolve(values['server-ca']), 'utf8') } : {}),
      });
      console.log(JSON.stringify({ ...ws, device: values.device ? 'installed' : 'none', server: values.server ?? null }));
    } catch (error) {
      fail((error as Error).message, 2);
    } finally {
      ctx.db.close();
    }
    return;
}

export async function scannerCommand(rest: string[]): Promise<void> {
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

export async function syncCommand(rest: string[]): Promise<void> {
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

export async function dbCommand(rest: string[]): Promise<void> {
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
