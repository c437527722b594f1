/**
 * Requests to a server whose certificate must chain to the CA it was set up with (`jardem setup --server-ca FILE`):
 * Node's https with that CA as the only trusted one, and the host name checked, as `fetch` would be called. A
 * certificate that does not chain to it, or names another host, is refused before anything is sent, with
 * `sync.tls_untrusted` and the TLS library's reason (shown in the header; the data stay where they are).
 */
import https from 'node:https';
import { Readable } from 'node:stream';
import { ServerError } from './client';

const TLS_REFUSALS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function fetchWithCa(caPem: string): typeof fetch {
  const agent = new https.Agent({ ca: caPem, keepAlive: true });
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'https:') throw new ServerError(0, 'sync.tls_untrusted', { reason: 'not_https' });
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? null : Buffer.from(init.body as Uint8Array);
    return new Promise<Response>((resolve, reject) => {
      const request = https.request(url, { method: init.method ?? 'GET', headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent, signal: init.signal ?? undefined }, (res) => {
        const responseHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 304 || init.method === 'HEAD';
        if (empty) res.resume();
        resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers: responseHeaders }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        reject(error.code && TLS_REFUSALS.has(error.code) ? new ServerError(0, 'sync.tls_untrusted', { reason: error.code }) : error);
      });
      request.end(body ?? undefined);
    });
  }) as typeof fetch;
}
