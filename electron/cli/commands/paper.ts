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

/** What the signature inside a dropped PDF says, or null for an image. */
export function insideText(lang: Language, inside: FormVerification['inside']): string | null {
  if (!inside) return null;
  if (!inside.present) return formatMessage(lang, 'paper.inside.none');
  if (inside.valid) return formatMessage(lang, 'paper.inside.valid', { signer: inside.signer?.name ?? '', at: inside.signingTime ? officeDateTime(inside.signingTime) : '—' });
  const errors = inside.errors.map((e) => formatMessage(lang, e === 'changed_after_signing' || e === 'signature_damaged' ? `paper.inside.${e}` : `signature.${e}`)).join(', ');
  return formatMessage(lang, 'paper.inside.invalid', { errors });
}

/** The sentences for a verification: the verdict, the signature inside the PDF, and what made the paper no longer current. */
export function paperText(lang: Language, v: FormVerification): string {
  const main = v.verdict === 'genuine' ? formatMessage(lang, 'paper.genuine', { form: `form.${v.form}`, caseNumber: v.caseNumber!, at: officeDateTime(v.issuedAt!), signer: v.signer?.name ?? '' }) : formatMessage(lang, `paper.${v.verdict}`, { caseNumber: v.caseNumber ?? '' });
  const act = v.supersededByAct;
  return [
    main,
    insideText(lang, v.inside),
    act ? formatMessage(lang, 'paper.superseded_by_act', { act: `event.${act.type}`, signer: act.signer.name, at: officeDateTime(act.at) }) : null,
    v.supersededBy ? formatMessage(lang, 'paper.superseded', { at: officeDateTime(v.supersededBy.issuedAt), code: v.supersededBy.verificationCode }) : null,
  ]
    .filter(Boolean)
    .join('\n');
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
