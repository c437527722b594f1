/**
 * Metrics in Prometheus's text format at `/metrics` (prom-client, a registry of each app's own so that two apps in
 * one test process do not mix): request latency per route, events accepted and refused by reason, conflicts and
 * clock flags, each office's last event and each device's lag behind it (from its last pull), the database
 * pool's use, the signatures waiting for the verification threads and the runs waiting for their office's batch. The office and device figures are read
 * from the database at the scrape, so every instance behind a balancer reports the same.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PushResponse } from '../../../shared/contract/sync-protocol';
import type { Store } from '../store';
import { deviceLags, officeHeads } from './queries';
import { signaturesWaiting } from '../../../node/verify-pool';
import { runsWaiting } from '../sync/office-queue';

export interface ServerMetrics {
  registry: Registry;
  /** A push's answer, counted by office and outcome. */
  countPush(office: string, response: PushResponse): void;
  observeRequest(labels: { route: string; method: string; status: string }, seconds: number): void;
  /** Reads the office and device figures from the database (at each scrape). */
  refresh(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServerMetrics;
  }
}

export function createMetrics(store: Store, opts: { processMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'jardem_server_' });
  const accepted = new Counter({ name: 'jardem_events_accepted_total', help: 'Events applied to a case line, by office', labelNames: ['office'], registers: [registry] });
  const duplicate = new Counter({ name: 'jardem_events_duplicate_total', help: 'Events pushed again that were already applied (acknowledged), by office', labelNames: ['office'], registers: [registry] });
  const refused = new Counter({ name: 'jardem_events_refused_total', help: 'Events refused, by office and reason', labelNames: ['office', 'reason'], registers: [registry] });
  const conflicts = new Counter({ name: 'jardem_conflicts_total', help: 'Acts kept as a conflict (another act holds their place), by office', labelNames: ['office'], registers: [registry] });
  const flags = new Counter({ name: 'jardem_clock_flags_total', help: 'Clock flags given to accepted acts, by office and flag', labelNames: ['office', 'flag'], registers: [registry] });
  new Gauge({
    name: 'jardem_verification_queue',
    help: 'Pushed signatures waiting for the verification threads or being checked there',
    registers: [registry],
    collect() {
      this.set(signaturesWaiting());
    },
  });
  new Gauge({
    name: 'jardem_office_batch_waiting_runs',
    help: "Verified case runs waiting for their office's next batch (one transaction applies a batch)",
    registers: [registry],
    collect() {
      this.set(runsWaiting(store));
    },
  });
  new Gauge({
    name: 'jardem_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting requests)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const use = store.poolUse?.() ?? { total: 1, idle: 0, waiting: 0 };
      this.set({ state: 'total' }, use.total);
      this.set({ state: 'idle' }, use.idle);
      this.set({ state: 'waiting' }, use.waiting);
    },
  });
  new Gauge({
    name: 'jardem_office_last_event_seq',
    help: "Each office's last number in the server's order",
    labelNames: ['office'],
    registers: [registry],
  });
  const lastEventSeconds = new Gauge({ name: 'jardem_office_last_event_timestamp_seconds', help: "When each office's last event arrived (Unix time)", labelNames: ['office'], registers: [registry] });
  const lag = new Gauge({ name: 'jardem_device_lag_events', help: "Events of its office a device has not pulled yet (the office's last number minus its last pull's cursor)", labelNames: ['office', 'workstation'], registers: [registry] });
  const lastPull = new Gauge({ name: 'jardem_device_last_pull_timestamp_seconds', help: "When each device last pulled (Unix time)", labelNames: ['office', 'workstation'], registers: [registry] });
  const headSeq = registry.getSingleMetric('jardem_office_last_event_seq') as Gauge;
  const hist = new Histogram({
    name: 'jardem_http_request_duration_seconds',
    help: 'Request latency by route, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  /** The office and device figures, read at the scrape (every instance reports the same). */
  const readDatabaseFigures = async () => {
    headSeq.reset();
    lastEventSeconds.reset();
    lag.reset();
    lastPull.reset();
    for (const h of await officeHeads(store)) {
      headSeq.set({ office: h.office }, h.head);
      if (h.lastEventAt) lastEventSeconds.set({ office: h.office }, h.lastEventAt.getTime() / 1000);
    }
    for (const d of await deviceLags(store)) {
      lag.set({ office: d.office, workstation: d.workstation }, d.lag);
      lastPull.set({ office: d.office, workstation: d.workstation }, d.lastPullAt.getTime() / 1000);
    }
  };

  return {
    registry,
    countPush(office, response) {
      for (const r of response.results) {
        if (r.status === 'applied') accepted.inc({ office });
        else if (r.status === 'duplicate') duplicate.inc({ office });
        else if (r.status === 'refused') refused.inc({ office, reason: r.reason ?? 'unknown' });
        else if (r.status === 'conflict') conflicts.inc({ office });
        if (r.status === 'applied') for (const f of r.flags ?? []) flags.inc({ office, flag: f });
      }
    },
    observeRequest: (labels, seconds) => hist.observe(labels, seconds),
    refresh: readDatabaseFigures,
  };
}

/** The hooks that feed the metrics, and `/metrics` itself. */
export function metricsRoutes(app: FastifyInstance, metrics: ServerMetrics): void {
  app.decorate('metrics', metrics);
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern (/sync/v1/blobs/:sha256), never the path itself: one series per route.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (request.routeOptions.url === '/sync/v1/push' && request.device && payload && typeof payload === 'object' && Array.isArray((payload as PushResponse).results)) {
      metrics.countPush(request.device.officeCode, payload as PushResponse);
    }
    return payload;
  });
  app.get('/metrics', { config: { rateLimit: false } }, async (_request, reply) => {
    await metrics.refresh().catch(() => undefined);
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
