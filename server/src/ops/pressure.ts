/**
 * Back-pressure and limits, so that 300 workstations reconnecting at 9:00 after an outage slow down instead of
 * knocking the server over: while the event loop lags (or the operator's check says busy) every sync request is
 * answered 503 `sync.server_busy` with Retry-After (@fastify/under-pressure); each device may make so many
 * requests a minute, beyond which it is answered 429 `sync.rate_limited` with Retry-After (@fastify/rate-limit).
 * The workstation's agent waits that long, with jitter, before its next round. Health and metrics are exempt: a
 * busy instance is still alive, and its figures matter most then.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { AUTH_HEADERS } from '../../../node/sync-auth';
import { HttpError } from '../sync/routes';

export interface PressureOptions {
  /** Busy when the event loop's mean delay passes this (ms); 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Seconds a busy answer asks the client to wait. */
  retryAfterSeconds: number;
  /** Requests one device may make in a minute. */
  perDevicePerMinute: number;
  /** An operator's (or a test's) busy switch, checked every `checkIntervalMs`. */
  busy?: () => boolean;
  checkIntervalMs?: number;
}

export const DEFAULT_PRESSURE: PressureOptions = { maxEventLoopDelayMs: 1000, retryAfterSeconds: 10, perDevicePerMinute: 1200 };

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics', '/health']);

/** The rate limit's key: the device the request names, on the address it came from (a forged header on another address gets a bucket of its own). */
function deviceKey(request: FastifyRequest): string {
  const device = request.headers[AUTH_HEADERS.device];
  return typeof device === 'string' && device.length < 200 ? `${device}@${request.ip}` : request.ip;
}

export function registerPressure(app: FastifyInstance, opts: PressureOptions): void {
  app.register(underPressure, {
    maxEventLoopDelay: opts.maxEventLoopDelayMs,
    retryAfter: opts.retryAfterSeconds,
    ...(opts.busy ? { healthCheck: async () => !opts.busy!(), healthCheckInterval: opts.checkIntervalMs ?? 200 } : {}),
    // What the handler returns is sent as the answer (nothing: the request goes on); the plugin's types say void.
    pressureHandler: ((request: FastifyRequest, reply: FastifyReply) => {
      if (EXEMPT.has(request.routeOptions.url ?? '')) return undefined;
      reply.code(503).header('retry-after', String(opts.retryAfterSeconds));
      return { error: { code: 'sync.server_busy', params: { retryAfter: opts.retryAfterSeconds } } };
    }) as unknown as (request: FastifyRequest, reply: FastifyReply) => void,
  });
  app.register(rateLimit, {
    global: true,
    max: opts.perDevicePerMinute,
    timeWindow: 60_000,
    keyGenerator: deviceKey,
    allowList: (request) => EXEMPT.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) => {
      const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpError(context.statusCode, 'sync.rate_limited', { retryAfter });
    },
  });
}
