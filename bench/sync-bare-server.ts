/**
 * The sync bench's baseline server: HTTP, JSON and PostgreSQL with nothing of the protocol's checks.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { WireEvent } from '../shared/contract/sync-protocol';
import type { Store } from '../server/src/store';

/** A bare Fastify that stores the same rows with raw INSERTs: the floor of HTTP + JSON + PostgreSQL. */
export async function bareServer(store: Store) {
  await store.query('CREATE TABLE IF NOT EXISTS bare_events (office_code TEXT, id TEXT PRIMARY KEY, case_id TEXT, seq INT, case_version INT, type TEXT, payload TEXT, actor_iin TEXT, actor_role TEXT, actor_cert_sha256 TEXT, at TEXT, prev_hash TEXT, hash TEXT, signature BYTEA)');
  await store.query('CREATE TABLE IF NOT EXISTS bare_blobs (sha256 TEXT PRIMARY KEY, bytes BYTEA)');
  const app = Fastify({ bodyLimit: 32 * 1024 * 1024 });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 }, (_r, body, done) => done(null, body));
  app.put('/blob/:sha', async (req) => {
    await store.query('INSERT INTO bare_blobs VALUES ($1, $2) ON CONFLICT DO NOTHING', [(req.params as { sha: string }).sha, req.body as Buffer]);
    return {};
  });
  app.post('/push', async (req) => {
    for (const e of (req.body as { events: WireEvent[] }).events) {
      await store.query('INSERT INTO bare_events VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING', [
        'AUE', e.id, e.caseId, e.seq, e.caseVersion, e.type, e.payload, e.actor.iin, e.actor.role, e.actor.certSha256, e.at, e.prevHash, e.hash, Buffer.from(e.signature, 'base64'),
      ]);
    }
    return { results: [] };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
}
