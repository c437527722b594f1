/**
 * `jardem trust add-root FILE`: the administrator adds a trusted root. Without --confirm it only shows the root (its
 * SHA-256 fingerprint, subject, validity) and exits 1; with --confirm equal to that fingerprint it is added.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { errorMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { AppError } from '../../../shared/errors';
import { describeRoot } from '../../../node/pki/trust-roots';
import { addTrustRoot } from '../../services/trust-roots';
import { defaultDataDir } from '../../services/paths';
import { fail } from '../common';
import { USAGE } from '../usage';

export async function trustCommand(rest: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { confirm: { type: 'string' }, 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
  if (positionals[0] !== 'add-root' || positionals.length !== 2) fail(USAGE);
  const lang = (LANGUAGES as readonly string[]).includes(values.lang!) ? (values.lang as Language) : 'ru';
  try {
    const text = readFileSync(positionals[1]!, 'latin1');
    if (!values.confirm) {
      const root = describeRoot(text);
      console.log(JSON.stringify({ sha256: root.sha256, subject: root.subject, notAfter: root.notAfter, confirmWith: `--confirm ${root.sha256}` }));
      process.exit(1);
    }
    const added = addTrustRoot(values['data-dir'] ?? defaultDataDir(), text, values.confirm);
    console.log(JSON.stringify({ added: added.added, sha256: added.sha256, subject: added.subject }));
  } catch (error) {
    if (error instanceof AppError) fail(errorMessage(lang, error.toValue()), 1);
    fail(String(error));
  }
}
