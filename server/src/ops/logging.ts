/**
 * The server's log: Fastify's pino, one JSON object a line (for journald, Loki or Elasticsearch), each request's
 * lines bound to its request id and to the office and workstation its device header names. Personal data never
 * reaches it: the headers that carry a signature or a key are removed, only the method, route and status of a
 * request are written (never a body), and every string that does reach a line passes `redactText`, which masks
 * an IIN (12 digits) to its last four, and a PEM block or a private key whole (the Law on Personal Data and their
 * Protection, art. 8: an operator keeps personal data out of what it does not need them for).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { AUTH_HEADERS, parseDeviceId } from '../../../node/sync-auth';

const REQUEST_ID = /^(?=.*[A-Za-z-])[A-Za-z0-9._-]{8,64}$/;
const IIN = /(?<!\d)\d{12}(?!\d)/g;
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;

/** A string as it may be logged: IINs masked, PEM blocks (certificates, keys) removed. */
export function redactText(text: string): string {
  return text.replace(PEM_BLOCK, '[pem removed]').replace(IIN, (iin) => `********${iin.slice(8)}`);
}

/** Every string of a log line, however deep, through redactText; keys whose value is secret by name, removed. */
const SECRET_KEY = /pass(word|phrase)?|secret|private|key(pem)?$|signature|p12|authorization|cookie|^name(_kk|_ru)?$|^(full|first|last|middle)name$|surname|patronymic/i;
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: redactText(value.message), stack: redactText(value.stack ?? '') };
  // A request, a reply or another class's object is left to its serializer (below), which keeps only safe fields.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactValue(v, depth + 1);
  return out;
}

/** The office and workstation a request's device header names (as claimed: authentication checks it later). */
export function deviceBindings(raw: IncomingMessage): { office?: string; workstation?: string } {
  const header = raw.headers[AUTH_HEADERS.device];
  const id = parseDeviceId(typeof header === 'string' ? header : undefined);
  return id ? { office: id.officeCode, workstation: id.workstationCode } : {};
}

export interface LogOptions {
  level?: string;
  /** Where the lines go (default stdout); a test gives its own stream to read them back. */
  stream?: NodeJS.WritableStream;
}

/**
 * One line a request, when it is answered: its method, route and path, its status and how long it took. A city's
 * workstations make hundreds of requests a second, and a line on arrival as well doubled the log's cost on the thread
 * that answers them for nothing the answer's line does not say.
 */
class OneLineARequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Fastify's logger options: JSON lines, request id, office and workstation, redaction, one line a request. */
export function loggerOptions(opts: LogOptions): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'requestIdHeader' | 'childLoggerFactory' | 'logController'> {
  return {
    logController: new OneLineARequest(),
    logger: {
      level: opts.level ?? 'info',
      ...(opts.stream ? { stream: opts.stream } : {}),
      // The request as logged: no headers, no body, the path without its query.
      serializers: {
        req: (req: { method?: string; url?: string; routeOptions?: { url?: string }; ip?: string }) => ({ method: req.method, url: redactText(String(req.url ?? '').split('?')[0]!), route: req.routeOptions?.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error) => ({ type: err.name, message: redactText(err.message), stack: redactText(err.stack ?? '') }),
      },
      formatters: { log: (object: Record<string, unknown>) => redactValue(object) as Record<string, unknown> },
      hooks: {
        // The message itself (and printf-style arguments) through the same masks as the fields.
        logMethod(args: unknown[], method: (...a: unknown[]) => void) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)));
        },
      },
    },
    // A balancer's request id (X-Request-Id) is kept when it looks like one; otherwise a new one.
    requestIdHeader: false,
    genReqId: (raw) => {
      const given = raw.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    childLoggerFactory: (logger, bindings, options, raw) => logger.child({ ...bindings, ...deviceBindings(raw as IncomingMessage) }, options),
  };
}

