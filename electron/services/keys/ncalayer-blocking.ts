/**
 * NCALayer's signatures for the synchronous act signer. An ActSigner (node/events.ts) is `(content) => Buffer`, called
 * inside every act's service, inside signEvents and the PAdES signer, right before the one commit path; making each of
 * those signing moments async would ripple through every service and the tests that sign with a key file. The services
 * worker answers one call at a time anyway (it owns the one SQLite writer), so it waits here, blocked on a helper
 * thread that talks to NCALayer (synckit: Atomics.wait on a shared buffer), while NCALayer's dialog is open.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createSyncFn } from 'synckit';
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { NcalayerSettings } from './source';

export type NcalayerRequest =
  | { op: 'certificate'; settings: NcalayerSettings }
  | { op: 'sign'; settings: NcalayerSettings; content?: Uint8Array; digest?: Uint8Array };
export type NcalayerReply = { ok: true; value: string } | { ok: false; code: ErrorCode; params?: Record<string, string | number> };

/** A person reads NCALayer's dialog, types the password, plugs a token in: the wait is theirs, up to this long. */
const DIALOG_MS = 10 * 60_000;

/** The helper's bundle beside the services' one (unpacked beside app.asar when packaged), or the build's in tests. */
function threadPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : null;
  const candidates = [
    process.env.JARDEM_NCALAYER_THREAD,
    here && path.join(here, 'ncalayer-thread.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`),
    path.resolve('dist/node/ncalayer-thread.cjs'),
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('NCALayer helper not built: dist/node/ncalayer-thread.cjs (run npm run build)');
  return found;
}

let call: ((request: NcalayerRequest) => NcalayerReply) | null = null;

/** Asks NCALayer and waits for its answer; its refusals become the typed errors a person reads. */
export function askNcalayer(request: NcalayerRequest): string {
  call ??= createSyncFn<(request: NcalayerRequest) => Promise<NcalayerReply>>(threadPath(), { timeout: DIALOG_MS });
  let reply: NcalayerReply;
  try {
    reply = call(request);
  } catch (error) {
    // The helper thread gave no answer in time (or died): nothing came back, nothing is signed.
    throw new AppError('keys.failed', { detail: (error instanceof Error ? error.message : String(error)).slice(0, 200) });
  }
  if (!reply.ok) throw new AppError(reply.code, reply.params);
  return reply.value;
}
