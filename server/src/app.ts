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
import type { ApplyOptions } from './sync/apply';
import type { ServerTrust } from './trust';

/** A push of 500 events with their payloads; a blob of up to 25 MB (a scan) travels on its own. */
export const LIMITS = { jsonBytes: 16 * 1024 * 1024, blobBytes: 30 * 1024 * 1024 } as const;

export interface ServerOptions {
  store: Store;
  trust: ServerTrust;
  simulator?: Omit<SimulatorOptions, 'answers'>;
  now?: () => Date;
  /** The benchmark's switch (server/src/sync/apply.ts): not on the command line. */
  apply?: ApplyOptions;
  /** The folder of this instance's cache of blob bytes (server/src/store/blobs.ts); none when absent. */
  blobCacheDir?: string;
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
  const app = Fastify({ logger: false, bodyLimit: LIMITS.blobBytes, routerOptions: { maxParamLength: 100 } });
  // The signed bytes are checked as they arrived: every parser keeps the raw body.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: LIMITS.jsonBytes }, (request, body: Buffer, done) => {
    request.rawBody = body;
    try {
      done(null, body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown));
    } catch {
      done(new HttpError(400, 'sync.bad_json'), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LIMITS.blobBytes }, (request, body: Buffer, done) => {
    request.rawBody = body;
    done(null, body);
  });
  app.get('/health', async () => ({ ok: true, store: opts.store.kind }));
  syncRoutes(app, { store: opts.store, trust: opts.trust, now: opts.now, apply: opts.apply, blobCacheDir: opts.blobCacheDir });
  referenceRoutes(app, { store: opts.store, trust: opts.trust, now: opts.now });
  if (opts.simulator) {
    registerSimulator(app, {
      ...opts.simulator,
      answers: {
        get: async (id) => {
          const row = await opts.store.query<{ envelope: string }>('SELECT envelope FROM is_answers WHERE request_id = $1', [id]);
          return row[0] ? (JSON.parse(row[0].envelope) as IsEnvelope) : null;
        },
        put: async (id, envelope) => {
          await opts.store.query('INSERT INTO is_answers (request_id, envelope) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, JSON.stringify(envelope)]);
          const row = await opts.store.query<{ envelope: string }>('SELECT envelope FROM is_answers WHERE request_id = $1', [id]);
          return JSON.parse(row[0]!.envelope) as IsEnvelope;
        },
      },
    });
  }
  return app;
}
