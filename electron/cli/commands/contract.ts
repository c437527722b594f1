/** The method contract at the command line: the list of methods, and a call of one (signed in with a key file). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, LANGUAGES, type Language } from '../../../shared/i18n/messages';
import { isMethodName, methods } from '../../../shared/contract/methods';
import type { Result } from '../../../shared/errors';
import { createContext } from '../../services/context';
import { createDispatcher } from '../../services/dispatch';
import { appVersion, defaultDataDir } from '../../services/paths';
import { fail, errorText } from '../common';

export async function methodsCommand(_rest: string[]): Promise<void> {
    for (const [name, def] of Object.entries(methods)) {
      console.log(`${name.padEnd(26)} ${(def.access === 'public' ? 'public' : def.access.join(',')).padEnd(26)} ${def.summary}`);
    }
    return;
}

export async function callCommand(rest: string[]): Promise<void> {
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
