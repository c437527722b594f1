/**
 * Where a helper thread's script is: its bundle beside the bundle that starts it (unpacked beside app.asar in the
 * packaged app, as worker threads cannot load a script from inside the archive: electron-builder.yml), or the
 * build's when the code runs from source (the tests).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function threadScript(file: string, what: string): string {
  const here = typeof __dirname === 'string' ? __dirname : null;
  const candidates = [here && path.join(here, file).replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`), path.resolve('dist/node', file)];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`${what} not built: dist/node/${file} (run npm run build)`);
  return found;
}
