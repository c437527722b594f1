/** Reprinting a certified form, and the journal for a period. */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, formatMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { createContext } from '../../services/context';
import { DATA_FILES } from '../../services/data-files';
import { AppError } from '../../../shared/errors';
import { formServices } from '../../services/forms/forms';
import { appVersion, defaultDataDir } from '../../services/paths';
import { caseIdByNumber } from '../../../db/repositories/documents';
import { journalServices } from '../../services/journal';
import { journalPdfInput } from '../../../shared/contract/schemas';
import { FORM_NAMES, type FormName } from '../../../shared/forms/texts';
import { fail, need } from '../common';
import { USAGE } from '../usage';

export async function formsCommand(rest: string[]): Promise<void> {
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
