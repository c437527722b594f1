/**
 * The renderer's typed client of the method contract. Under Electron it calls the preload bridge (IPC); in the
 * browser host it POSTs to /rpc with the per-start secret from the URL fragment. Same envelope either way.
 */
import type { CallEnvelope, InputOf, MethodName, ResultOf } from '../../../shared/contract/methods';
import type { Result } from '../../../shared/errors';

type Transport = (envelope: CallEnvelope) => Promise<Result<unknown>>;

declare global {
  interface Window {
    jardemBridge?: { call: (envelope: CallEnvelope) => Promise<unknown>; printPdf?: (base64: string) => Promise<unknown> };
  }
}

const SECRET_KEY = 'jardem.hostSecret';

/** Reads the browser host's secret from #secret=… once, keeps it for reloads of this tab, and clears the URL. */
function hostSecret(): string {
  const match = /(?:^#|&)secret=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(SECRET_KEY, match[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(SECRET_KEY) ?? '';
}

function httpTransport(): Transport {
  const secret = hostSecret();
  return async (envelope) => {
    try {
      const response = await fetch('/rpc', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jardem-secret': secret },
        body: JSON.stringify(envelope),
      });
      return (await response.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'network' } };
    }
  };
}

function ipcTransport(bridge: NonNullable<Window['jardemBridge']>): Transport {
  return async (envelope) => {
    try {
      return (await bridge.call(envelope)) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'network' } };
    }
  };
}

const transport: Transport = window.jardemBridge ? ipcTransport(window.jardemBridge) : httpTransport();

let sessionToken: string | undefined;
export function setSessionToken(token: string | undefined) {
  sessionToken = token;
}

export function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<ResultOf<M>>> {
  return transport({ method, input, session: sessionToken }) as Promise<Result<ResultOf<M>>>;
}
