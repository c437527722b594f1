/** HTTP to the central server, every request signed with the device key (node/sync-auth.ts). */
import { SYNC_PROTOCOL } from '../../../shared/contract/protocol-version';
import { asciiJson } from '../../../node/ascii-json';
import { deviceId, signRequest } from '../../../node/sync-auth';
import type { DeviceIdentity } from '../device';

export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${status} ${code}`);
  }
}

export interface SyncClient {
  json<T>(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<{ value: T; serverTime: number | null; sentAt: number; receivedAt: number }>;
  putBlob(sha256: string, bytes: Buffer, mediaType: string): Promise<void>;
  getBlob(sha256: string): Promise<{ bytes: Buffer; mediaType: string }>;
  /**
   * A blob's bytes as they arrive, from byte `from` on (a cut download resumes): `partial` when the server sent the
   * rest only (206), else the whole blob from its first byte.
   */
  openBlob(sha256: string, from: number): Promise<{ body: ReadableStream<Uint8Array>; partial: boolean; mediaType: string }>;
  /** Several blobs in one answer, framed (server/src/sync/blob-batch.ts), as they arrive. */
  openBlobs(sha256: readonly string[]): Promise<ReadableStream<Uint8Array>>;
}

/** Pauses before a request is sent again after a passing failure (a broken link, a gateway's 502/503/504). */
const RETRY_PAUSES_MS = [150, 500];
const GATEWAY = new Set([502, 503, 504]);

/** A failure that says nothing of the request itself: the link or a gateway in front of the server. */
function passing(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return false;
  // A request signed at a time outside the server's replay window: the answer gave the server's time, and the next
  // try is signed at it (./client.ts ClockSkew).
  if (error instanceof ServerError && error.code === 'sync.request_time') return true;
  if (error instanceof ServerError) return GATEWAY.has(error.status) && error.code === `http_${error.status}`;
  // fetch's "fetch failed", a body cut short ("terminated"), a reset: TypeError or a system error; never the timeout.
  return !(error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

/**
 * Each request is tried up to three times when the link fails it (every request is idempotent: a blob by its hash,
 * an event at most once by its id, each try signed anew with a fresh nonce), so one lost packet does not cost the
 * round; a refusal, a typed error or a timeout is not tried again here.
 */
async function withRetries<T>(op: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= RETRY_PAUSES_MS.length || !passing(error, signal)) throw error;
      await new Promise((r) => setTimeout(r, RETRY_PAUSES_MS[attempt]));
    }
  }
}

/**
 * This device's clock minus the server's, as last measured (null before the first answer). Requests are signed at
 * the server's time as the device estimates it (its clock minus this), within the server's replay window however
 * far its own clock is off, and name the offset beside it for the server's record.
 */
export interface ClockSkew {
  get(): number | null;
  set(offsetMs: number): void;
}

function localSkew(): ClockSkew {
  let offset: number | null = null;
  return { get: () => offset, set: (ms) => (offset = ms) };
}

/** How long past its due a request waits before the log says so. */
const SLOW_MS = 15_000;

export function syncClient(serverUrl: string, device: DeviceIdentity, clock: () => Date, fetchImpl: typeof fetch = fetch, skew: ClockSkew = localSkew()): SyncClient {
  const id = deviceId(device);
  const send = async (method: string, pathWithQuery: string, body: Buffer, contentType: string, opts: { signal?: AbortSignal; timeoutMs?: number; range?: string } = {}) => {
    const offset = skew.get() ?? 0;
    const signedAt = new Date(clock().getTime() - offset);
    const auth = signRequest({ method, pathWithQuery, body, device: id, privateKeyPem: device.privateKeyPem, protocol: SYNC_PROTOCOL, now: signedAt, clockOffsetMs: offset });
    const headers: Record<string, string> = { ...auth, ...(opts.range ? { range: opts.range } : {}) };
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
    const sentAt = clock().getTime();
    // A request the server has not begun to answer 15 s after it should have (a long poll: after its wait) is told in
    // the log once: a round held by one request fails nothing, so nothing else would say where it waits.
    const waitMs = Number(/[?&]wait=(\d+)/.exec(pathWithQuery)?.[1] ?? 0) * 1000;
    const slow = setTimeout(() => console.warn(`[services] sync: ${method} ${pathWithQuery.split('?')[0]} still unanswered after ${Math.round((waitMs + SLOW_MS) / 1000)} s`), waitMs + SLOW_MS);
    slow.unref?.();
    try {
      const response = await fetchImpl(`${serverUrl}${pathWithQuery}`, {
        method,
        headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': contentType }) },
        body: method === 'GET' ? undefined : new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
        signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
      });
      return { response, sentAt };
    } finally {
      clearTimeout(slow);
    }
  };
  const fail = async (response: Response, sentAt?: number): Promise<never> => {
    let code = `http_${response.status}`;
    let params: Record<string, string | number> = {};
    try {
      const body = (await response.json()) as { error?: { code?: string; params?: Record<string, string | number> } };
      if (typeof body.error?.code === 'string') {
        code = body.error.code;
        params = body.error.params ?? {};
      }
      const serverTime = Date.parse(String(params.serverTime ?? ''));
      if (code === 'sync.request_time' && sentAt !== undefined && Number.isFinite(serverTime)) skew.set(Math.round((sentAt + clock().getTime()) / 2 - serverTime));
    } catch {
      // A body that is not the server's typed error (a proxy's page, a cut answer): the status says enough.
    }
    // Busy or limited: how long the server (or a proxy in front of it) asks us to wait, in seconds.
    const retryAfter = Number(response.headers.get('retry-after'));
    if (params.retryAfter === undefined && Number.isFinite(retryAfter) && retryAfter > 0) params = { ...params, retryAfter };
    throw new ServerError(response.status, code, params);
  };
  return {
    json<T>(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown, opts?: { signal?: AbortSignal; timeoutMs?: number }) {
      return withRetries(async () => {
        // In ASCII: a push's names would make the whole body a two-byte string at both ends (node/ascii-json.ts).
        const bytes = body === undefined ? Buffer.alloc(0) : asciiJson(body);
        const { response, sentAt } = await send(method, pathWithQuery, bytes, 'application/json', opts);
        if (!response.ok) return fail(response, sentAt);
        const text = await response.text();
        let value: T;
        try {
          value = JSON.parse(text) as T;
        } catch {
          throw new ServerError(502, 'sync.hostile_answer', { reason: 'not_json' });
        }
        const serverTime = Date.parse((value as { serverTime?: string }).serverTime ?? '');
        return { value, serverTime: Number.isFinite(serverTime) ? serverTime : null, sentAt, receivedAt: clock().getTime() };
      }, opts?.signal);
    },
    putBlob(sha256, bytes, mediaType) {
      return withRetries(async () => {
        const { response, sentAt } = await send('PUT', `/sync/v1/blobs/${sha256}`, bytes, mediaType || 'application/octet-stream', { timeoutMs: 120_000 });
        if (!response.ok) await fail(response, sentAt);
      });
    },
    getBlob(sha256) {
      return withRetries(async () => {
        const { response, sentAt } = await send('GET', `/sync/v1/blobs/${sha256}`, Buffer.alloc(0), '', { timeoutMs: 120_000 });
        if (!response.ok) return fail(response, sentAt);
        return { bytes: Buffer.from(await response.arrayBuffer()), mediaType: response.headers.get('content-type') ?? 'application/octet-stream' };
      });
    },
    openBlob(sha256, from) {
      return withRetries(async () => {
        const { response, sentAt } = await send('GET', `/sync/v1/blobs/${sha256}`, Buffer.alloc(0), '', { timeoutMs: 120_000, ...(from > 0 ? { range: `bytes=${from}-` } : {}) });
        if (!response.ok || !response.body) return fail(response, sentAt);
        return { body: response.body, partial: response.status === 206, mediaType: response.headers.get('content-type') ?? 'application/octet-stream' };
      });
    },
    openBlobs(sha256) {
      return withRetries(async () => {
        const body = Buffer.from(JSON.stringify({ protocol: SYNC_PROTOCOL, sha256 }));
        const { response, sentAt } = await send('POST', '/sync/v1/blobs/batch', body, 'application/json', { timeoutMs: 300_000 });
        if (!response.ok || !response.body) return fail(response, sentAt);
        return response.body;
      });
    },
  };
}
