/** `jardem demo-office`: the demo office of the first-run screen, from the command line, with a year of sample cases if asked. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createContext } from '../../services/context';
import { createDemoOffice, readDemoKeys } from '../../services/demo-office';
import { createDemoOfficeWithSampleYear, SAMPLE_CASES, SAMPLE_SEED } from '../../services/demo-sample/sample-year';
import { readWorkstation } from '../../../db/repositories/settings';
import { sampleCaseCount } from '../../../db/repositories/sample-cases';
import { tightenTree } from '../../services/data-folder';
import { appVersion, defaultDataDir } from '../../services/paths';
import { errorMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { AppError } from '../../../shared/errors';
import { fail } from '../common';

export async function demoOfficeCommand(rest: string[]): Promise<void> {
  const { values } = parseArgs({
    args: rest,
    options: { 'with-sample-year': { type: 'boolean' }, seed: { type: 'string' }, cases: { type: 'string' }, 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' } },
  });
  const lang = ((LANGUAGES as readonly string[]).includes(values.lang!) ? values.lang : 'ru') as Language;
  const seed = values.seed === undefined ? SAMPLE_SEED : Number(values.seed);
  const cases = values.cases === undefined ? SAMPLE_CASES : Number(values.cases);
  if (!Number.isInteger(seed) || seed < 0) fail('--seed: a whole number, 0 or more');
  if (!Number.isInteger(cases) || cases < 1 || cases > 2000) fail('--cases: a whole number from 1 to 2000');
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const ctx = createContext({ dataDir, appVersion: appVersion() });
  try {
    // As on the first-run screen: never over a workstation set up for real work.
    if (readWorkstation(ctx.db) && !readDemoKeys(ctx)) throw new AppError('demo.workstation_configured');
    if (values['with-sample-year']) {
      await createDemoOfficeWithSampleYear(ctx, { seed, cases, onProgress: (done, total) => process.stderr.write(`\r${done}/${total}`) });
      process.stderr.write('\n');
    } else await createDemoOffice(ctx);
    tightenTree(dataDir);
    console.log(JSON.stringify({ dataDir, keys: readDemoKeys(ctx)?.map((k) => ({ role: k.role, office: k.office, path: k.path, password: k.password })), sampleCases: sampleCaseCount(ctx.db) }));
  } catch (error) {
    if (error instanceof AppError) fail(errorMessage(lang, { code: error.code, params: error.params as Record<string, string | number> | undefined }), 2);
    throw error;
  } finally {
    ctx.db.close();
  }
}
