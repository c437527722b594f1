/**
 * The renderer's typed client of the method contract. Under Electron it calls the preload bridge (IPC); in the
 * browser host it POSTs to /rpc with the per-start secret from the URL fragment. Same envelope either way.
 */
import type { CallEnvelope, InputOf, MethodName, ResultOf } from '../../../shared/contract/methods';
import type { Result } from '../../../shared/errors';
import type { PushEvent } from '../../../shared/contract/push';

type Transport = (envelope: CallEnvelope) => Promise<Result<unknown>>;

declare global {
  interface Window {
    jardemBridge?: { call: (envelope: CallEnvelope) => Promise<unknown>; printPdf?: (base64: string) => Promise<unknown>; onEvent?: (listener: (event: unknown) => void) => () => void };
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

/** Told when a call finds the screen locked (idle timeout on the services' side): the lock screen shows. */
let onLocked: ((holder: string) => void) | null = null;
export function whenLocked(listener: (holder: string) => void) {
  onLocked = listener;
}

export async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<ResultOf<M>>> {
  const r = (await transport({ method, input, session: sessionToken })) as Result<ResultOf<M>>;
  if (!r.ok && r.error.code === 'session.locked') onLocked?.(String(r.error.params?.holder ?? ''));
  return r;
}

type Listener = (event: PushEvent) => void;
const listeners = new Set<Listener>();
let streaming = false;

/**
 * The services' pushed events: one stream for the whole page (Electron IPC, or the browser host's event stream
 * behind the same secret), reopened by itself after a break. The screens refresh on these and never poll.
 */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!streaming) {
    streaming = true;
    // One screen's failure with an event neither keeps it from the others nor breaks the stream (what is told while
    // it opens again is lost).
    const deliver = (event: unknown) => {
      for (const l of [...listeners]) {
        try {
          l(event as PushEvent);
        } catch (error) {
          console.error('a screen failed with a pushed event', error);
        }
      }
    };
    if (window.jardemBridge?.onEvent) window.jardemBridge.onEvent(deliver);
    else void stream(deliver);
  }
  return () => listeners.delete(listener);
}

async function stream(deliver: (event: unknown) => void): Promise<void> {
  const secret = hostSecret();
  for (;;) {
    try {
      const response = await fetch('/events', { headers: { 'x-jardem-secret': secret }, cache: 'no-store' });
      if (!response.ok || !response.body) throw new Error(`events ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data) deliver(JSON.parse(data) as unknown);
        }
      }
    } catch {
      // The host restarted or the page is leaving: try again shortly.
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
