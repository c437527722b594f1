/**
 * `jardem verify-form FILE [FILE.p7s]`: is a printed form genuine? Its QR code read from the PDF or the image (a scan,
 * a photo), checked offline against the workstation's stored forms and trust store, said in the person's language.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { officeDateTime } from '../../../shared/local-date';
import { createContext } from '../../services/context';
import { appVersion, defaultDataDir } from '../../services/paths';
import { isPdf, qrTextsOf } from '../../services/verify-form/decode';
import { verifyFormCode, type FormVerification } from '../../services/verify-form/check';
import { fail } from '../common';

/** The sentence for a verification, with its warning when a later copy replaced the paper. */
export function paperText(lang: Language, v: FormVerification): string {
  if (v.verdict !== 'genuine') return formatMessage(lang, `paper.${v.verdict}`, { caseNumber: v.caseNumber ?? '' });
  const main = formatMessage(lang, 'paper.genuine', { form: `form.${v.form}`, caseNumber: v.caseNumber!, at: officeDateTime(v.issuedAt!), signer: v.signer?.name ?? '' });
  return v.supersededBy ? `${main}\n${formatMessage(lang, 'paper.superseded', { at: officeDateTime(v.supersededBy.issuedAt), code: v.supersededBy.verificationCode })}` : main;
}

export async function verifyFormCommand(rest: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
  const lang = ((LANGUAGES as readonly string[]).includes(values.lang!) ? values.lang : 'ru') as Language;
  const [file, p7sFile] = positionals;
  if (!file) fail('usage: jardem verify-form FILE.pdf|IMAGE [FILE.p7s] [--data-dir DIR] [--lang kk|ru|en]');
  const bytes = readFileSync(path.resolve(file));
  const texts = await qrTextsOf(path.resolve(file));
  if (texts.length === 0) {
    console.log(JSON.stringify({ verdict: 'no_qr' }));
    fail(formatMessage(lang, 'paper.no_qr'), 1);
  }
  const ctx = createContext({ dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()), appVersion: appVersion() });
  try {
    const given = isPdf(bytes) ? { pdf: bytes, ...(p7sFile ? { p7s: readFileSync(path.resolve(p7sFile)) } : {}) } : {};
    const v = verifyFormCode(ctx, texts[0]!, given);
    console.log(JSON.stringify(v));
    console.error(paperText(lang, v));
    process.exit(v.verdict === 'genuine' && v.detached?.valid !== false ? 0 : 1);
  } finally {
    ctx.db.close();
  }
}
