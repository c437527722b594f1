/** `jardem staff`: the office's staff register at the command line (the administrator's signed acts). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LANGUAGES, type Language } from '../../../shared/i18n/messages';
import type { Result } from '../../../shared/errors';
import { AppError } from '../../../shared/errors';
import { createContext } from '../../services/context';
import { createDispatcher } from '../../services/dispatch';
import { importStaffFile } from '../../services/staff';
import { appVersion, defaultDataDir } from '../../services/paths';
import { errorText, fail, need } from '../common';
import { USAGE } from '../usage';

export async function staffCommand(rest: string[]): Promise<void> {
  const [sub, ...args] = rest;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' }, password: { type: 'string' }, iin: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, 'data-dir': { type: 'string' }, lang: { type: 'string', default: 'ru' },
    },
  });
  const lang = (LANGUAGES as readonly string[]).includes(values.lang!) ? (values.lang as Language) : 'ru';
  const ctx = createContext({ dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()), appVersion: appVersion() });
  if (sub === 'import') {
    if (!positionals[0]) fail(USAGE);
    try {
      console.log(JSON.stringify(importStaffFile(ctx, path.resolve(positionals[0]))));
    } catch (error) {
      if (error instanceof AppError) fail(errorText(lang, error.toValue()), 1);
      throw error;
    }
    return;
  }
  const method = sub === 'add' ? 'staff.grant' : sub === 'end' ? 'staff.end' : sub === 'list' ? 'staff.list' : null;
  if (!method) fail(USAGE);
  need(values, 'key');
  if (sub === 'add') need(values, 'iin', 'role', 'name', 'from');
  if (sub === 'end') need(values, 'iin', 'role', 'to');
  const dispatch = createDispatcher(ctx);
  const report = (result: Result<unknown>): never => {
    if (result.ok) {
      console.log(JSON.stringify(result.value, null, 2));
      process.exit(0);
    }
    console.error(errorText(lang, result.error));
    console.log(JSON.stringify(result.error));
    process.exit(1);
  };
  const signed = await dispatch({ method: 'session.signIn', input: { p12Base64: readFileSync(values.key!).toString('base64'), password: values.password ?? '' } });
  if (!signed.ok) report(signed);
  const session = (signed as { value: { token: string } }).value.token;
  const input =
    sub === 'add' ? { iin: values.iin, role: values.role, name: values.name, from: values.from, ...(values.to ? { to: values.to } : {}) } : sub === 'end' ? { iin: values.iin, role: values.role, to: values.to } : {};
  report(await dispatch({ method, input, session }));
}
