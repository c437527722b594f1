/**
 * Health for a load balancer and an orchestrator: `/healthz` says the process answers (restart it if not);
 * `/readyz` says it can serve a workstation now: PostgreSQL answers, its schema is the one this server migrates
 * to, and the verification of signatures is ready. While the process drains (SIGTERM) `/readyz` answers 503, so the
 * balancer stops sending new work while the requests in flight finish.
 */
import type { FastifyInstance } from 'fastify';
import { SERVER_SCHEMA_VERSION } from '../migrations';
import type { Store } from '../store';

export interface Readiness {
  /** True from SIGTERM on: new work goes to another instance. */
  draining(): boolean;
  /** The verification of signatures can take work (the trust store loads; the write path's pool, when it has one, is up). */
  verificationReady(): boolean;
}

export interface ReadyAnswer {
  ready: boolean;
  checks: { database: boolean; schema: number | null; schemaExpected: number; verification: boolean; draining: boolean };
}

async function schemaVersion(store: Store): Promise<number | null> {
  const rows = await store.query<{ version: number }>('SELECT version FROM server_schema WHERE id = 1');
  return rows[0] ? Number(rows[0].version) : null;
}

export async function readiness(store: Store, state: Readiness): Promise<ReadyAnswer> {
  let database = false;
  let schema: number | null = null;
  try {
    schema = await schemaVersion(store);
    database = true;
  } catch {
    // Unreachable, or no schema at all: not ready (the answer says which).
  }
  let verification = false;
  try {
    verification = state.verificationReady();
  } catch {
    verification = false;
  }
  const draining = state.draining();
  const ready = database && schema === SERVER_SCHEMA_VERSION && verification && !draining;
  return { ready, checks: { database, schema, schemaExpected: SERVER_SCHEMA_VERSION, verification, draining } };
}

export function healthRoutes(app: FastifyInstance, deps: { store: Store; state: Readiness }): void {
  // Exempt from back-pressure and limits (./pressure.ts): a busy instance is alive, and the balancer must see it.
  const config = { rateLimit: false };
  // While draining, every answer closes its connection: a kept-alive connection would hold the stop (it is busy
  // when the stop begins and idle after), and the client's next request goes through the balancer to another instance.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (deps.state.draining()) reply.header('connection', 'close');
    return payload;
  });
  app.get('/healthz', { config }, async () => ({ ok: true }));
  app.get('/readyz', { config }, async (_request, reply) => {
    const answer = await readiness(deps.store, deps.state);
    return reply.code(answer.ready ? 200 : 503).send(answer);
  });
}
