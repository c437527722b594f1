/**
 * `jardem backup create|verify|restore`: the same services as the Backup and Restore screens. The passphrase is
 * read from a file (a command line is visible to every account on the machine, and kept in shell histories).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { AppError } from '../../../shared/errors';
import { openDatabase } from '../../../db/open';
import { readWorkstation } from '../../../db/repositories/settings';
import { DATA_FILES } from '../../services/data-files';
import { appVersion, defaultDataDir } from '../../services/paths';
import { createBackup } from '../../services/backup/create';
import { resolveBackup } from '../../services/backup/rotation';
import { restoreBackup } from '../../services/backup/restore';
import { BACKUP_TMP } from '../../services/backup/create';
import { verifyBackup } from '../../services/backup/verify';
import type { BackupProgress } from '../../services/backup/progress';
import { fail, need } from '../common';
import { USAGE } from '../usage';

const OPTIONS = {
  out: { type: 'string' },
  from: { type: 'string' },
  'data-dir': { type: 'string' },
  'passphrase-file': { type: 'string' },
  keep: { type: 'string' },
  office: { type: 'string' },
  lang: { type: 'string', default: 'ru' },
} as const;

/** The file's first line: a passphrase file ends with a newline, which is not part of it. */
function readPassphrase(file: string): string {
  try {
    return readFileSync(path.resolve(file), 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    fail(`--passphrase-file: ${(error as Error).message}`);
  }
}

const showProgress = (p: BackupProgress) => console.error(JSON.stringify({ progress: p }));

/** The office of the workstation in `dataDir`, when there is one set up. */
function officeOf(dataDir: string | undefined): string | undefined {
  if (!dataDir || !existsSync(path.join(dataDir, DATA_FILES.database))) return undefined;
  const db = openDatabase(path.join(dataDir, DATA_FILES.database), { readonly: true });
  try {
    return readWorkstation(db)?.officeCode;
  } finally {
    db.close();
  }
}

export async function backupCommand(rest: string[]): Promise<void> {
  const [sub, ...args] = rest;
  const { values } = parseArgs({ args, options: OPTIONS });
  const lang = ((LANGUAGES as readonly string[]).includes(values.lang!) ? values.lang : 'ru') as Language;
  try {
    if (sub === 'create') {
      need(values, 'out', 'passphrase-file');
      const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
      if (!existsSync(path.join(dataDir, DATA_FILES.database))) throw new AppError('backup.not_set_up');
      const keep = values.keep ? Number(values.keep) : undefined;
      if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) fail('--keep: a whole number, 1 or more');
      const db = openDatabase(path.join(dataDir, DATA_FILES.database));
      try {
        const r = await createBackup({ dataDir, db, outDir: path.resolve(values.out!), passphrase: readPassphrase(values['passphrase-file']!), appVersion: appVersion(), keep, onProgress: showProgress });
        console.log(JSON.stringify({ ok: true, ...r }));
      } finally {
        db.close();
      }
      return;
    }
    if (sub === 'verify') {
      need(values, 'from', 'passphrase-file');
      const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : undefined;
      const file = resolveBackup(path.resolve(values.from!));
      const r = await verifyBackup(file, readPassphrase(values['passphrase-file']!), { officeCode: values.office ?? officeOf(dataDir), tmpParent: dataDir ? path.join(dataDir, BACKUP_TMP) : undefined, onProgress: showProgress });
      console.log(JSON.stringify({ ok: true, file: r.file, size: r.size, officeCode: r.header.officeCode, workstationCode: r.header.workstationCode, createdAt: r.header.createdAt, ...r.manifest.database, files: r.manifest.files.length, missingBlobs: r.manifest.missingBlobs.length }));
      return;
    }
    if (sub === 'restore') {
      need(values, 'from', 'data-dir', 'passphrase-file');
      const r = await restoreBackup({ from: path.resolve(values.from!), dataDir: path.resolve(values['data-dir']!), passphrase: readPassphrase(values['passphrase-file']!), officeCode: values.office, onProgress: showProgress });
      console.log(JSON.stringify({ ok: true, dataDir: r.dataDir, file: r.file, officeCode: r.header.officeCode, workstationCode: r.header.workstationCode, createdAt: r.header.createdAt, ...r.manifest.database }));
      return;
    }
    fail(USAGE);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.log(JSON.stringify({ ok: false, error: error.toValue() }));
    fail(errorMessage(lang, error.toValue()), 1);
  }
}
