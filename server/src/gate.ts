/**
 * What the server checks before it reads a single byte of a body (Fastify's onRequest): the connections of the
 * caller's address, the signed headers of a device's request (protocol, device, time, nonce, signature), the time
 * the request was signed at against the server's clock (the replay window), and the declared length against the
 * route's limit. A refused request gets its typed answer `{error: {code, params}}` once the body it was already
 * sending has been read and thrown away (never kept): a client that is still writing when the answer comes would
 * otherwise see a broken connection instead of the reason.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { SYNC_PROTOCOL } from '../../shared/contract/sync-protocol';
import { AUTH_HEADERS, parseDeviceId } from '../../node/sync-auth';
import { LIMITS, type ServerLimits } from './limits';
import { outsideReplayWindow } from './replay-window';

/** A body past this is not read to its end for the sake of an answer: the connection is closed instead. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/** Routes whose requests a device signs: every sync route, and the simulator's when it is on. */
export function isSignedRoute(url: string, simulator: boolean): boolean {
  return url.startsWith('/sync/v1/') || (simulator && url.startsWith('/is/v1/'));
}

/** Whether the sync routes authenticate the request as an enrolled device's (every signed route but the enrolment). */
export function authenticatesDevice(url: string, simulator: boolean): boolean {
  return isSignedRoute(url, simulator) && !url.startsWith('/sync/v1/enrol');
}

/** The most a request to `method url` may carry. */
export function bodyLimitOf(method: string, url: string, limits: ServerLimits = LIMITS): number {
  if (method === 'GET' || method === 'HEAD') return 0;
  if (method === 'PUT' && url.startsWith('/sync/v1/blobs/')) return limits.blobBytes;
  if (url.startsWith('/is/v1/')) return limits.isBytes;
  return limits.jsonBytes;
}

function hasBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return (Number.isFinite(length) && length > 0) || request.headers['transfer-encoding'] !== undefined;
}

/** Reads what is left of the body and throws it away; resolves when it ended, or false when it was too much. */
export function drainBody(request: FastifyRequest): Promise<boolean> {
  const raw = request.raw;
  if (raw.complete || raw.readableEnded || !hasBody(request)) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ok: boolean) => {
      raw.removeListener('data', onData);
      raw.removeListener('end', onEnd);
      raw.removeListener('close', onEnd);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > DRAIN_MAX_BYTES) finish(false);
    };
    const onEnd = () => finish(raw.complete);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onEnd);
    raw.resume();
  });
}

/** Answers `status` with the typed refusal after the body is read and dropped (or with the connection closed). */
export async function refuse(request: FastifyRequest, reply: FastifyReply, status: number, code: string, params: Record<string, string | number> = {}) {
  const drained = await drainBody(request);
  if (!drained) reply.header('connection', 'close');
  return reply.code(status).send({ error: { code, params } });
}

/** Counts the open connections of each address (a district office behind one NAT is one address). */
function connectionCounter(app: FastifyInstance) {
  const open = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    open.set(address, (open.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const n = (open.get(address) ?? 1) - 1;
      if (n <= 0) open.delete(address);
      else open.set(address, n);
    });
  });
  return (address: string) => open.get(address) ?? 0;
}

/** Why a device's request is refused from its headers alone, or null. */
export function headerProblem(headers: FastifyRequest['headers'], now: Date): { status: number; code: string; params?: Record<string, string | number> } | null {
  if (headers[AUTH_HEADERS.protocol] !== String(SYNC_PROTOCOL)) return { status: 400, code: 'sync.protocol_version', params: { expected: SYNC_PROTOCOL } };
  const device = headers[AUTH_HEADERS.device];
  if (!parseDeviceId(typeof device === 'string' ? device : undefined)) return { status: 401, code: 'sync.device_unknown' };
  for (const h of [AUTH_HEADERS.time, AUTH_HEADERS.nonce, AUTH_HEADERS.signature]) {
    if (typeof headers[h] !== 'string' || headers[h] === '') return { status: 401, code: 'sync.request_signature' };
  }
  const window = outsideReplayWindow(headers[AUTH_HEADERS.time] as string, now);
  if (window) return { status: 401, code: 'sync.request_time', params: window };
  return null;
}

export function registerGate(app: FastifyInstance, opts: { limits: ServerLimits; now: () => Date; simulator: boolean }) {
  const connections = connectionCounter(app);
  app.addHook('onRequest', async (request, reply) => {
    if (connections(request.socket.remoteAddress ?? '') > opts.limits.connectionsPerAddress) {
      reply.header('connection', 'close');
      return refuse(request, reply, 429, 'sync.too_many_connections', { limit: opts.limits.connectionsPerAddress });
    }
    const url = request.url;
    if (isSignedRoute(url, opts.simulator)) {
      const problem = headerProblem(request.headers, opts.now());
      if (problem) return refuse(request, reply, problem.status, problem.code, problem.params);
    }
    const limit = bodyLimitOf(request.method, url, opts.limits);
    const length = Number(request.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > limit) return refuse(request, reply, 413, 'sync.body_too_large', { limit });
    if (limit === 0 && request.headers['transfer-encoding'] !== undefined) return refuse(request, reply, 413, 'sync.body_too_large', { limit });
  });
}
