/**
 * The browser host: the same services and the same built renderer, over HTTP on 127.0.0.1. Used for
 * end-to-end tests, demos, and wherever the Electron binary is absent.
 *
 * Who may call it: only a page that knows the per-start secret. The secret travels to the renderer in the URL
 * fragment (never sent to a server, never in a page this host serves), so another local process or web page
 * cannot learn it by fetching the app. Requests must also name this host exactly (no DNS rebinding) and, when
 * a browser sends an Origin, come from this origin.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RENDERER_CSP } from '../../shared/csp';
import type { CallEnvelope } from '../../shared/contract/methods';
import type { Result } from '../../shared/errors';
import type { PushEvent } from '../../shared/contract/push';
import { MAX_INPUT_DEPTH } from '../../shared/text';

export interface BrowserHostOptions {
  call: (envelope: CallEnvelope) => Promise<Result<unknown>>;
  /** The services' pushed events, streamed to every open page (Server-Sent Events behind the same secret). */
  onPush?: (listener: (event: PushEvent) => void) => () => void;
  rendererDir: string;
  secret: string;
  port?: number;
  /** Limits against hostile or careless local callers; tests make them short. */
  limits?: Partial<HostLimits>;
}

export interface HostLimits {
  /** A call's body: a scanned or imported file of up to 25 MB travels base64-encoded inside JSON (the services check the 25 MB). */
  maxBodyBytes: number;
  /** Nesting of objects and arrays in a call's JSON: the contract's deepest input is 4 (shared/text.ts MAX_INPUT_DEPTH). */
  maxJsonDepth: number;
  /** A request's headers must arrive within this (a slow-loris connection is closed). */
  headersTimeoutMs: number;
  /** A whole request (a 40 MB upload over the loopback takes well under a second). */
  requestTimeoutMs: number;
  /** An idle kept-alive connection between requests. */
  keepAliveTimeoutMs: number;
  /** Open connections at once; a page uses a handful (its calls and one event stream). */
  maxConnections: number;
}

export const HOST_LIMITS: HostLimits = {
  maxBodyBytes: 40 * 1024 * 1024,
  maxJsonDepth: MAX_INPUT_DEPTH,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 64,
};

/**
 * Whether JSON text nests objects and arrays deeper than `max`, found by one scan of the bytes before parsing:
 * deep nesting would otherwise exhaust the stack of the structured clone to the services
 * (5,000 levels answered 500 and left a call waiting forever).
 */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function startBrowserHost(opts: BrowserHostOptions): Promise<{ url: string; origin: string; close: () => Promise<void> }> {
  const rendererDir = path.resolve(opts.rendererDir);
  const limits: HostLimits = { ...HOST_LIMITS, ...opts.limits };
  let origin = '';
  let hostHeader = '';
  const securityHeaders = {
    'content-security-policy': RENDERER_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default, which would let a slow-loris stay).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      // A request has begun on this connection: Node's own header and request timeouts take over.
      req.socket.setTimeout(0);
      if (req.headers.host !== hostHeader) return json(res, 421, { ok: false, error: { code: 'forbidden' } });
      let url: URL;
      let pathname: string;
      try {
        url = new URL(req.url ?? '/', origin);
        pathname = decodeURIComponent(url.pathname);
      } catch {
        // A malformed address (e.g. a broken %-escape) from any page must not stop the host.
        return json(res, 400, { ok: false, error: { code: 'validation' } });
      }

      if (url.pathname === '/events') {
        if (req.method !== 'GET') return json(res, 405, { ok: false, error: { code: 'forbidden' } });
        if (req.headers.origin !== undefined && req.headers.origin !== origin) return json(res, 403, { ok: false, error: { code: 'forbidden' } });
        if (!sameSecret(req.headers['x-jardem-secret'] as string | undefined, opts.secret)) return json(res, 403, { ok: false, error: { code: 'forbidden' } });
        res.writeHead(200, { ...securityHeaders, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': jardem\n\n');
        const unsubscribe = opts.onPush?.((event) => res.write(`data: ${JSON.stringify(event)}\n\n`)) ?? (() => undefined);
        // A comment now and then keeps proxies and the browser from closing a quiet stream.
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
        req.on('close', () => {
          clearInterval(keepAlive);
          unsubscribe();
        });
        return;
      }

      if (url.pathname === '/rpc') {
        if (req.method !== 'POST') return json(res, 405, { ok: false, error: { code: 'forbidden' } });
        if (req.headers.origin !== undefined && req.headers.origin !== origin) return json(res, 403, { ok: false, error: { code: 'forbidden' } });
        if (!sameSecret(req.headers['x-jardem-secret'] as string | undefined, opts.secret)) {
          return json(res, 403, { ok: false, error: { code: 'forbidden' } });
        }
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 415, { ok: false, error: { code: 'validation' } });
        const chunks: Buffer[] = [];
        let size = 0;
        const tooLarge = { ok: false, error: { code: 'request.too_large', params: { mb: Math.round(limits.maxBodyBytes / 1024 / 1024) } } };
        if (Number(req.headers['content-length'] ?? 0) > limits.maxBodyBytes) {
          res.setHeader('connection', 'close');
          return json(res, 400, tooLarge);
        }
        req.on('data', (chunk: Buffer) => {
          if (res.headersSent) return;
          size += chunk.length;
          if (size > limits.maxBodyBytes) {
            chunks.length = 0;
            // Answered, then the connection goes: the rest of the upload is not read.
            res.setHeader('connection', 'close');
            res.once('finish', () => req.destroy());
            json(res, 400, tooLarge);
          } else chunks.push(chunk);
        });
        req.on('end', () => {
          if (res.headersSent) return;
          let envelope: CallEnvelope;
          const text = Buffer.concat(chunks).toString('utf8');
          if (jsonTooDeep(text, limits.maxJsonDepth)) return json(res, 400, { ok: false, error: { code: 'request.too_deep', params: { max: limits.maxJsonDepth } } });
          try {
            envelope = JSON.parse(text) as CallEnvelope;
          } catch {
            return json(res, 400, { ok: false, error: { code: 'validation' } });
          }
          opts.call(envelope).then(
            (result) => json(res, 200, result),
            () => json(res, 500, { ok: false, error: { code: 'internal' } }),
          );
        });
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { ok: false, error: { code: 'forbidden' } });
      const rel = path.normalize(pathname).replace(/^([/\\])+/, '') || 'index.html';
      let file = path.join(rendererDir, rel);
      if (!file.startsWith(rendererDir + path.sep)) return json(res, 404, { ok: false, error: { code: 'not_found' } });
      if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(rendererDir, 'index.html');
      if (!existsSync(file)) return json(res, 503, { ok: false, error: { code: 'internal', params: { reason: 'renderer not built' } } });
      const immutable = rel.startsWith('assets/');
      res.writeHead(200, {
        ...securityHeaders,
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    },
  );
  server.maxConnections = limits.maxConnections;
  // A connection that never starts a request holds a slot of the cap: it goes after the header timeout too.
  server.on('connection', (socket) => socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy()));

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      origin = `http://127.0.0.1:${port}`;
      hostHeader = `127.0.0.1:${port}`;
      resolve({
        origin,
        url: `${origin}/#secret=${opts.secret}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Browsers keep connections alive: without this, close() waits for the page to go away.
            server.closeAllConnections();
          }),
      });
    });
  });
}
