/**
 * The central server as one Fastify app: the sync endpoints and the information-system simulator. Stateless: all
 * state is in the store (PostgreSQL or PGlite), so any instance serves any request.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { IsEnvelope } from '../../shared/contract/is-protocol';
import { registerSimulator, type SimulatorOptions } from './is-simulator/app';
import type { Store } from './store';
import { HttpError, syncRoutes } from './sync/routes';
import { referenceRoutes } from './reference/routes';
import { staffRoutes } from './staff/routes';
import { cityReportRoutes } from './reports/routes';
import { takeCityRoots } from './reference/city-roots';
import { CITY_REPORT_PATH } from '../../shared/contract/city-report';
import type { ApplyOptions } from './sync/apply';
import type { ServerTrust } from './trust';
import { fastifyLimitOptions, LIMITS, type ServerLimits } from './limits';
import { authenticatesDevice, bodyLimitOf, registerGate } from './gate';
import { registerBlobUpload } from './blob-upload';
import { clientErrorHandler, logSocketTimeouts } from './ops/connection-log';
import { healthRoutes, type Readiness } from './ops/health';
import { loggerOptions, type LogOptions } from './ops/logging';
import { createMetrics, metricsRoutes } from './ops/metrics';
import { DEFAULT_PRESSURE, registerPressure, type PressureOptions } from './ops/pressure';
import { deviceHooks } from './ops/device-hooks';

export { LIMITS };

export interface ServerOptions {
  store: Store;
  trust: ServerTrust;
  simulator?: Omit<SimulatorOptions, 'answers'>;
  now?: () => Date;
  /** The benchmark's switch (server/src/sync/apply.ts): not on the command line. */
  apply?: ApplyOptions;
  /** Shorter limits and time-outs for tests (./limits.ts). */
  limits?: Partial<ServerLimits>;
  /** The folder of this instance's cache of blob bytes (server/src/store/blobs.ts); none when absent. */
  blobCacheDir?: string;
  /** How the server is run (server/README.md "Running it"): its log, back-pressure, readiness and TLS. */
  ops?: OpsOptions;
}

export interface OpsOptions {
  /** JSON lines through pino (./ops/logging.ts); none when absent. */
  log?: LogOptions;
  /** Back-pressure and the per-device limit (./ops/pressure.ts), over the defaults; none when absent (tests). */
  pressure?: Partial<PressureOptions>;
  /** Draining (from SIGTERM) and the verification's readiness, for /readyz. */
  readiness?: Partial<Readiness>;
  /** Serve HTTPS with this key and certificate chain (PEM). */
  https?: { key: string; cert: string };
  /** The process's own figures (memory, event loop) in /metrics: for the real process, not a test's. */
  processMetrics?: boolean;
}

/** The offices of the PKI's offices.json, as the reference table every instance reads. */
export async function loadOffices(store: Store, trust: ServerTrust): Promise<void> {
  for (const o of trust.offices()) {
    await store.query(
      `INSERT INTO offices (code, kind, serves, name_kk, name_ru, bin) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, serves = excluded.serves, name_kk = excluded.name_kk, name_ru = excluded.name_ru, bin = excluded.bin`,
      [o.code, o.kind, JSON.stringify(o.serves ?? []), o.nameKk, o.nameRu, o.bin],
    );
  }
}

export function buildServer(opts: ServerOptions): FastifyInstance {
  const limits: ServerLimits = { ...LIMITS, ...opts.limits };
  const now = opts.now ?? (() => new Date());
  const ops = opts.ops ?? {};
  const limitOptions = fastifyLimitOptions(limits);
  const app = Fastify({
    ...(ops.log ? loggerOptions(ops.log) : { logger: false }),
    ...limitOptions,
    // Node's header and request time-outs are server options: over TLS they go with the key and certificate.
    ...(ops.https ? { https: { key: ops.https.key, cert: ops.https.cert, ...limitOptions.http } } : {}),
    routerOptions: { maxParamLength: 100 },
    clientErrorHandler,
  }) as unknown as FastifyInstance;
  logSocketTimeouts(app.server, app.log);
  // The signed bytes are checked as they arrived: the JSON parser keeps the raw body, a blob is hashed as it streams.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: limits.jsonBytes }, (request, body: Buffer, done) => {
    request.rawBody = body;
    try {
      done(null, body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown));
    } catch {
      done(new HttpError(400, 'sync.bad_json'), undefined);
    }
  });
  registerBlobUpload(app, (request) => bodyLimitOf(request.method, request.url, limits), opts.blobCacheDir);
  app.get('/health', async () => ({ ok: true, store: opts.store.kind }));
  const readiness: Readiness = {
    draining: ops.readiness?.draining ?? (() => false),
    // The trust store loading is what verification needs here; the write path's pool adds its own check.
    verificationReady: ops.readiness?.verificationReady ?? (() => opts.trust.store().roots.length > 0),
  };
  healthRoutes(app, { store: opts.store, state: readiness });
  metricsRoutes(app, createMetrics(opts.store, { processMetrics: ops.processMetrics }));
  if (ops.pressure) registerPressure(app, { ...DEFAULT_PRESSURE, ...ops.pressure });
  // Headers, the signed time and the declared length are checked before any body is read (./gate.ts), after the
  // back-pressure: a busy instance sheds a request before it spends anything on it. Registered as a plugin that
  // shares the root's scope (Fastify's skip-override), so its hooks follow the back-pressure's in order.
  const gate = async (root: FastifyInstance) => registerGate(root, { limits, now, simulator: !!opts.simulator });
  app.register(Object.assign(gate, { [Symbol.for('skip-override')]: true }));
  // The routes in a scope registered after the limits, so that the per-device limit sees each of them; the
  // simulator behind the same device authentication as sync.
  app.register(async (scope) => {
    // Before any signature is checked: the roots the city added, whichever instance took their act. A device's
    // request learns whether there is a new one in its authentication's statement (./sync/routes.ts).
    scope.addHook('preHandler', async (request) => {
      if (authenticatesDevice(request.url, !!opts.simulator)) return;
      if (request.method === 'POST' || request.url.startsWith(CITY_REPORT_PATH)) await takeCityRoots(opts.store, opts.trust);
    });
    syncRoutes(scope, { store: opts.store, trust: opts.trust, now: opts.now, apply: opts.apply, simulator: !!opts.simulator, blobCacheDir: opts.blobCacheDir });
    deviceHooks(scope, opts.store);
    referenceRoutes(scope, { store: opts.store, trust: opts.trust, now: opts.now });
    staffRoutes(scope, { store: opts.store, trust: opts.trust });
    cityReportRoutes(scope, { store: opts.store, trust: opts.trust, now: opts.now });
    if (opts.simulator) registerSimulator(scope, { ...opts.simulator, answers: simulatorAnswers(opts.store) });
  });
  return app;
}

/** The simulator's answers, kept in the database so that any instance answers a request again the same way. */
function simulatorAnswers(store: Store): SimulatorOptions['answers'] {
  return {
    get: async (id) => {
      const row = await store.query<{ envelope: string }>('SELECT envelope FROM is_answers WHERE request_id = $1', [id]);
      return row[0] ? (JSON.parse(row[0].envelope) as IsEnvelope) : null;
    },
    put: async (id, envelope) => {
      await store.query('INSERT INTO is_answers (request_id, envelope) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, JSON.stringify(envelope)]);
      const row = await store.query<{ envelope: string }>('SELECT envelope FROM is_answers WHERE request_id = $1', [id]);
      return JSON.parse(row[0]!.envelope) as IsEnvelope;
    },
  };
}
