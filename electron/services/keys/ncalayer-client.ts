/**
 * ncalayer-js-client run in the services (Node) with `ws` as its WebSocket. The client takes its WebSocket class
 * from the global scope when it is first loaded and opens `new WebSocket(url)` with no options, so it is loaded
 * once under a `ws` subclass that adds the CA NCALayer's TLS is trusted by (per URL): verification stays on.
 * Its errors become the typed ones a person reads (keys.absent, keys.cancelled, keys.no_storage, keys.interrupted).
 */
import WebSocket, { type ClientOptions } from 'ws';
import type { NCALayerClient as Client } from 'ncalayer-js-client';
import { AppError } from '../../../shared/errors';

const trustByUrl = new Map<string, string>();

class TrustingWebSocket extends WebSocket {
  constructor(url: string) {
    const ca = trustByUrl.get(url);
    const options: ClientOptions = ca ? { ca } : {};
    super(url, options);
  }
}

let loaded: Promise<typeof Client> | null = null;

function loadClient(): Promise<typeof Client> {
  loaded ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    const before = g.WebSocket;
    g.WebSocket = TrustingWebSocket;
    try {
      const mod = (await import('ncalayer-js-client')) as { NCALayerClient?: typeof Client; default?: { NCALayerClient: typeof Client } };
      return mod.NCALayerClient ?? mod.default!.NCALayerClient;
    } finally {
      if (before === undefined) delete g.WebSocket;
      else g.WebSocket = before;
    }
  })();
  return loaded;
}

/** NCALayer's answers that mean a person's action or a missing token, by the words NCALayer and the client use. */
function typedError(error: unknown, storage: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { canceledByUser?: boolean }).canceledByUser || /action\.canceled|cancel/i.test(message)) return new AppError('keys.cancelled');
  // After a connection was made, the connection closing or failing mid-request means NCALayer went away (restarted).
  if (/закрыл соединение|Ошибка взаимодействия|closed/i.test(message)) return new AppError('keys.interrupted');
  if (/storage\.not\.found|token|key\.not\.found/i.test(message)) return new AppError('keys.no_storage', { storage: `keys.storage.${storage}` });
  return new AppError('keys.failed', { detail: message.slice(0, 200) });
}

/** One conversation with NCALayer: connect, `run`, close. A service that does not answer is keys.absent. */
export async function withNcalayer<T>(settings: { url: string; caPem?: string; storage: string }, run: (client: Client) => Promise<T>): Promise<T> {
  const NCALayerClient = await loadClient();
  // Each conversation says what it trusts: a setting without a CA falls back to Node's roots, never to an earlier CA.
  if (settings.caPem) trustByUrl.set(settings.url, settings.caPem);
  else trustByUrl.delete(settings.url);
  // Kaztoken's own HTTP API (127.0.0.1:24680) is not used: signing goes through NCALayer's messages only.
  const client = new NCALayerClient(settings.url, false);
  try {
    await client.connect();
  } catch {
    client.wsConnection?.close();
    throw new AppError('keys.absent');
  }
  try {
    return await run(client);
  } catch (error) {
    throw error instanceof AppError ? error : typedError(error, settings.storage);
  } finally {
    client.wsConnection?.close();
  }
}
