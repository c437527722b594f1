/** HTTP to the central server, every request signed with the device key (node/sync-auth.ts). */
import { SYNC_PROTOCOL } from '../../../shared/contract/sync-protocol';
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
}

export function syncClient(serverUrl: string, device: DeviceIdentity, clock: () => Date, fetchImpl: typeof fetch = fetch): SyncClient {
  const id = deviceId(device);
  const send = async (method: string, pathWithQuery: string, body: Buffer, contentType: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}) => {
    const headers = signRequest({ method, pathWithQuery, body, device: id, privateKeyPem: device.privateKeyPem, protocol: SYNC_PROTOCOL, now: clock() });
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
    const sentAt = clock().getTime();
    const response = await fetchImpl(`${serverUrl}${pathWithQuery}`, {
      method,
      headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': contentType }) },
      body: method === 'GET' ? undefined : new Uint8Array(body),
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    return { response, sentAt };
  };
  const fail = async (response: Response): Promise<never> => {
    let code = `http_${response.status}`;
    let params: Record<string, string | number> = {};
    try {
      const body = (await response.json()) as { error?: { code?: string; params?: Record<string, string | number> } };
      if (typeof body.error?.code === 'string') {
        code = body.error.code;
        params = body.error.params ?? {};
      }
    } catch {
      // A body that is not the server's typed error (a proxy's page, a cut answer): the status says enough.
    }
    throw new ServerError(response.status, code, params);
  };
  return {
    async json<T>(method: 'GET' | 'POST', pathWithQuery: string, body?: unknown, opts?: { signal?: AbortSignal; timeoutMs?: number }) {
      const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body));
      const { response, sentAt } = await send(method, pathWithQuery, bytes, 'application/json', opts);
      if (!response.ok) return fail(response);
      const text = await response.text();
      let value: T;
      try {
        value = JSON.parse(text) as T;
      } catch {
        throw new ServerError(502, 'sync.hostile_answer', { reason: 'not_json' });
      }
      const serverTime = Date.parse((value as { serverTime?: string }).serverTime ?? '');
      return { value, serverTime: Number.isFinite(serverTime) ? serverTime : null, sentAt, receivedAt: clock().getTime() };
    },
    async putBlob(sha256, bytes, mediaType) {
      const { response } = await send('PUT', `/sync/v1/blobs/${sha256}`, bytes, mediaType || 'application/octet-stream', { timeoutMs: 120_000 });
      if (!response.ok) await fail(response);
    },
    async getBlob(sha256) {
      const { response } = await send('GET', `/sync/v1/blobs/${sha256}`, Buffer.alloc(0), '', { timeoutMs: 120_000 });
      if (!response.ok) return fail(response);
      return { bytes: Buffer.from(await response.arrayBuffer()), mediaType: response.headers.get('content-type') ?? 'application/octet-stream' };
    },
  };
}
