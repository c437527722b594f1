/**
 * The sync endpoints (shared/contract/sync-protocol.ts). Every request is signed with an enrolled device's key
 * (node/sync-auth.ts); the office and workstation come from that device's certificate, never from a body. Bad input
 * gets a typed error `{error: {code, params}}` with a 4xx status and writes nothing.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_EKU } from '../../../shared/roles';
import { blobBatchRequestSchema, enrolRequestSchema, missingBlobsRequestSchema, pushRequestSchema, SYNC_PROTOCOL, type EnrolResponse, type PullResponse, type PushResponse } from '../../../shared/contract/sync-protocol';
import { chainsToTrustedRoot, normalizeSerial } from '../../../node/pki/keyfile';
import { asciiJson } from '../../../node/ascii-json';
import { AUTH_HEADERS, deviceCertificate, parseDeviceId, requestSignatureValid } from '../../../node/sync-auth';
import type { Store } from '../store';
import { DeviceDirectory } from '../store/devices';
import { feedHead, pulledConflictOfRow, pulledEventOfRow, readFeed, type FeedRow, type FeedTable } from '../store/feed';
import { Wakeups } from '../notify';
import { BlobStore } from '../store/blobs';
import type { ServerTrust } from '../trust';
import { isSignedRoute, refuse } from '../gate';
import { enrolDevice } from '../store-devices';
import { numberHighs } from '../store/events-write';
import { referenceActAfter } from '../store/reference-acts';
import { cityRootsSeen, takeCityRoots } from '../reference/city-roots';
import { freshNonce } from '../store-nonces';
import { applyPush, type ApplyOptions, type Device } from './apply';
import { blobOffices, centerOfDevice } from './center';
import { takeStaffFile } from '../staff/register';
import { BLOB_BATCH_TYPE, blobBatchStream } from './blob-batch';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    device?: Device;
  }
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;
const deviceCodes = (cert: X509Certificate) => {
  const m = /(?:^|\n)serialNumber=WS(.+)-([A-Z0-9]{1,8})(?:\n|$)/.exec(cert.subject);
  return m ? { officeCode: m[1]!, workstationCode: m[2]! } : null;
};
const SHA = /^[0-9a-f]{64}$/;

/** The clock offset a device names beside its signed time (milliseconds, within a year), or 0. */
function declaredOffset(value: unknown): number {
  const n = typeof value === 'string' && /^-?\d{1,11}$/.test(value) ? Number(value) : 0;
  return Math.abs(n) <= 366 * 86_400_000 ? n : 0;
}

/** Whether `cert` chains to the trusted root; a chain the verifier cannot read is not trusted. */
function chainsTrusted(...args: Parameters<typeof chainsToTrustedRoot>): boolean {
  try {
    return chainsToTrustedRoot(...args);
  } catch {
    return false;
  }
}

function parsed<T>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[] }[] } } }, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, 'sync.bad_request', { path: r.error.issues[0]?.path.join('.') ?? '' });
  return r.data;
}

export function syncRoutes(app: FastifyInstance, deps: { store: Store; trust: ServerTrust; now?: () => Date; apply?: ApplyOptions; simulator?: boolean; blobCacheDir?: string }) {
  const { store, trust } = deps;
  const now = deps.now ?? (() => new Date());
  const directory = new DeviceDirectory(store);
  const wakeups = new Wakeups(store);
  const blobs = new BlobStore(store, deps.blobCacheDir ?? null);

  /** The request's signature by the device it names, its protocol, and no replay of its nonce. */
  const authenticate = async (request: FastifyRequest, certPem?: string): Promise<Device & { certPem: string }> => {
    if (request.headers[AUTH_HEADERS.protocol] !== String(SYNC_PROTOCOL)) throw new HttpError(400, 'sync.protocol_version', { expected: SYNC_PROTOCOL });
    const id = parseDeviceId(request.headers[AUTH_HEADERS.device] as string | undefined);
    if (!id) throw new HttpError(401, 'sync.device_unknown');
    // An enrolled device's certificate never changes (its hash names it): read once per process.
    const pem = certPem ?? (await directory.certPem(id));
    if (!pem) throw new HttpError(401, 'sync.device_unknown');
    if (trust.store().revoked?.has(normalizeSerial(deviceCertificate(pem).serialNumber))) throw new HttpError(403, 'sync.device_revoked');
    const body = request.upload ? { sha256: request.upload.sha256 } : (request.rawBody ?? Buffer.alloc(0));
    if (!requestSignatureValid(request.headers, request.method, request.url, body, pem)) throw new HttpError(401, 'sync.request_signature');
    // Within the replay window (checked before the body, ../gate.ts), a nonce is answered once. An enrolled device's
    // standing is read in the same statement, on every request: a replaced or revoked one is refused at once.
    const nonce = request.headers[AUTH_HEADERS.nonce] as string;
    let staffHead: number | undefined;
    if (certPem) {
      if (!(await freshNonce(store, id, nonce))) throw new HttpError(409, 'sync.replay');
    } else {
      const admitted = await directory.admit(id, nonce, cityRootsSeen(trust));
      if (!admitted.enrolled) throw new HttpError(401, 'sync.device_unknown');
      // Replaced by another device for the same workstation: it numbers no more cases.
      if (admitted.retired) throw new HttpError(403, 'sync.device_retired', { office: id.officeCode, workstation: id.workstationCode });
      if (admitted.revoked) throw new HttpError(403, 'sync.device_revoked');
      if (!admitted.fresh) throw new HttpError(409, 'sync.replay');
      // Before any signature of the request's events is checked: a root the city added meanwhile, on any instance.
      if (admitted.rootsAdded) await takeCityRoots(store, trust);
      staffHead = admitted.staffHead;
    }
    const bin = await directory.officeBin(id.officeCode);
    if (!bin) throw new HttpError(403, 'sync.office_unknown', { office: id.officeCode });
    // The device's clock, as metadata: its offset from the server's goes with this request to the clock flags and is
    // recorded (shown there as a warning). A device signs the server's time as it estimates it and names its own
    // clock's offset from it beside.
    const deviceTime = Date.parse(request.headers[AUTH_HEADERS.time] as string);
    const clockOffsetMs = Number.isFinite(deviceTime) ? Math.round(deviceTime - now().getTime()) + declaredOffset(request.headers[AUTH_HEADERS.clockOffset]) : null;
    return { ...id, bin, certPem: pem, clockOffsetMs, staffHead };
  };

  app.addHook('preHandler', async (request) => {
    if (!isSignedRoute(request.url, deps.simulator === true) || request.url.startsWith('/sync/v1/enrol')) return;
    request.device = await authenticate(request);
  });

  app.post('/sync/v1/enrol', async (request): Promise<EnrolResponse> => {
    const body = parsed(enrolRequestSchema, request.body);
    const pems = body.certsPem.match(PEM) ?? [];
    if (pems.length === 0) throw new HttpError(400, 'sync.bad_request', { path: 'certsPem' });
    // Every certificate of the chain is read before any is trusted: one that is not DER is named by its place.
    const certs = pems.map((p, i) => {
      try {
        return new X509Certificate(p);
      } catch {
        throw new HttpError(400, 'sync.certificate_malformed', { index: i });
      }
    });
    const cert = certs[0]!;
    const chain = certs.slice(1);
    const store_ = trust.store();
    if (!chainsTrusted(cert, chain, store_, now()) || !(cert.keyUsage ?? []).includes(DEVICE_EKU)) throw new HttpError(403, 'sync.device_untrusted');
    const codes = deviceCodes(cert);
    const id = parseDeviceId(request.headers[AUTH_HEADERS.device] as string | undefined);
    const sha = createHash('sha256').update(cert.raw).digest('hex');
    if (!codes || !id || id.officeCode !== codes.officeCode || id.workstationCode !== codes.workstationCode || id.certSha256 !== sha) throw new HttpError(400, 'sync.device_mismatch');
    const device = await authenticate(request, pems[0]!);
    // One active device per office and workstation code: another is refused, unless it explicitly replaces it.
    const outcome = await enrolDevice(store, {
      ...id,
      certPem: pems[0]!,
      serial: normalizeSerial(cert.serialNumber),
      replace: body.replace === true,
      revoked: (p) => store_.revoked?.has(normalizeSerial(new X509Certificate(p).serialNumber)) ?? false,
    });
    if (outcome.status === 'taken') throw new HttpError(409, 'sync.device_taken', { office: codes.officeCode, workstation: codes.workstationCode });
    if (outcome.status === 'retired') throw new HttpError(403, 'sync.device_retired', { office: codes.officeCode, workstation: codes.workstationCode });
    const highs = await numberHighs(store, device.officeCode);
    const mine = highs.filter((h) => h.scope.split('/').includes(codes.workstationCode));
    return { protocol: SYNC_PROTOCOL, officeCode: codes.officeCode, workstationCode: codes.workstationCode, serverTime: now().toISOString(), highestNumbers: mine };
  });

  app.post('/sync/v1/blobs/missing', async (request) => {
    const body = parsed(missingBlobsRequestSchema, request.body);
    if (body.sha256.length === 0) return { missing: [] };
    // A Center's blobs go to each district it serves (the partition its cases live in): missing from any is missing.
    const offices = blobOffices(await centerOfDevice(store, request.device!.officeCode), request.device!.officeCode);
    const known = await blobs.heldByAll(offices, body.sha256);
    return { missing: [...new Set(body.sha256)].filter((s) => !known.has(s)) };
  });

  app.put('/sync/v1/blobs/:sha256', async (request, reply) => {
    const sha = (request.params as { sha256: string }).sha256;
    if (!SHA.test(sha)) throw new HttpError(400, 'sync.bad_request', { path: 'sha256' });
    // Hashed as it arrived (../blob-upload.ts): a blob is stored under its own hash or not at all.
    const upload = request.upload ?? { file: '', sha256: createHash('sha256').update(request.rawBody ?? Buffer.alloc(0)).digest('hex'), size: 0 };
    if (upload.sha256 !== sha) throw new HttpError(400, 'sync.blob_hash_mismatch');
    const bytes = upload.bytes ?? (upload.file ? await readFile(upload.file) : (request.rawBody ?? Buffer.alloc(0)));
    const type = String(request.headers['content-type'] ?? 'application/octet-stream').slice(0, 100);
    await blobs.put(blobOffices(await centerOfDevice(store, request.device!.officeCode), request.device!.officeCode), sha, type, bytes, upload.file || undefined);
    return reply.code(204).send();
  });

  app.get('/sync/v1/blobs/:sha256', async (request, reply) => {
    const sha = (request.params as { sha256: string }).sha256;
    if (!SHA.test(sha)) throw new HttpError(400, 'sync.bad_request', { path: 'sha256' });
    const offices = blobOffices(await centerOfDevice(store, request.device!.officeCode), request.device!.officeCode);
    const blob = await blobs.get(offices, sha);
    if (!blob) throw new HttpError(404, 'sync.blob_not_found');
    const bytes = blob.bytes;
    // A download cut short resumes from what arrived (RFC 9110 §14.2): "bytes=N-" is the one form the agent asks.
    const from = /^bytes=(\d{1,12})-$/.exec(String(request.headers.range ?? ''));
    reply.header('content-type', blob.mediaType).header('accept-ranges', 'bytes');
    if (from && Number(from[1]) > 0 && Number(from[1]) < bytes.length) {
      const start = Number(from[1]);
      return reply.code(206).header('content-range', `bytes ${start}-${bytes.length - 1}/${bytes.length}`).send(bytes.subarray(start));
    }
    return reply.send(bytes);
  });

  app.post('/sync/v1/blobs/batch', async (request, reply) => {
    const body = parsed(blobBatchRequestSchema, request.body);
    const offices = blobOffices(await centerOfDevice(store, request.device!.officeCode), request.device!.officeCode);
    return reply.header('content-type', BLOB_BATCH_TYPE).send(blobBatchStream(blobs, offices, [...new Set(body.sha256)]));
  });

  app.post('/sync/v1/push', async (request): Promise<PushResponse> => {
    const body = parsed(pushRequestSchema, request.body);
    await takeStaffFile(store, trust);
    const results = await applyPush(store, request.device!, trust.store(), body.events, { now, ...deps.apply });
    return { protocol: SYNC_PROTOCOL, serverTime: now().toISOString(), results };
  });

  app.get('/sync/v1/pull', async (request, reply): Promise<PullResponse> => {
    const q = request.query as { cursor?: string; limit?: string; wait?: string; ref?: string };
    const cursor = /^\d{1,15}$/.test(q.cursor ?? '0') ? Number(q.cursor ?? 0) : NaN;
    if (!Number.isFinite(cursor)) throw new HttpError(400, 'sync.bad_request', { path: 'cursor' });
    const limit = Math.min(Math.max(Number(q.limit ?? 500) || 500, 1), 1000);
    const waitMs = Math.min(Math.max(Number(q.wait ?? 0) || 0, 0), 25) * 1000;
    // The caller's last act of the city's reference order, if it says (an older workstation does not).
    const ref = /^\d{1,15}$/.test(q.ref ?? '') ? Number(q.ref) : null;
    const office = request.device!.officeCode;
    // A Center's devices pull its own feed: the events of the cases it took, in the Center's order (./center.ts).
    const table: FeedTable = (await centerOfDevice(store, office)) ? 'center_events' : 'events';
    const read = () => readFeed(store, table, office, cursor, limit + 1);
    // A long poll: the caller waits (up to 25 s) for another workstation's act, woken by the office's channel
    // (../notify.ts), armed before each read so that a commit between the read and the wait still wakes it.
    const until = Date.now() + waitMs;
    let rows: FeedRow[];
    for (;;) {
      const wait = waitMs > 0 ? await wakeups.arm(office, Math.max(until - Date.now(), 0)) : null;
      rows = await read();
      if (!wait || rows.length > 0 || Date.now() >= until || request.socket.destroyed) {
        wait?.cancel();
        break;
      }
      // An act of the city's reference data the caller has not taken, stored before this wait was armed: its
      // wake-up came too early for this wait, so the answer is now.
      if (ref !== null && (await referenceActAfter(store, ref))) {
        wait.cancel();
        break;
      }
      const gone = () => wait.cancel();
      request.socket.once('close', gone);
      const why = await wait.woken;
      request.socket.off('close', gone);
      // The city's reference data changed: answer now, so that the round goes on to take it.
      if (why === 'reference') break;
    }
    const taken = rows.slice(0, limit);
    const events = taken.flatMap((x) => (x.event ? [pulledEventOfRow(x.event)] : []));
    const conflicts = taken.flatMap((x) => (x.conflict ? [pulledConflictOfRow(x.seq, x.conflict)] : []));
    const head = rows.length > limit ? await feedHead(store, table, office) : undefined;
    // In ASCII bytes: a page of megabytes is written and read at one-byte speed (node/ascii-json.ts). Fastify's
    // types ask a serializer for a string; it sends a Buffer as it is.
    reply.type('application/json; charset=utf-8').serializer(asciiJson as (value: unknown) => unknown as (payload: unknown) => string);
    return { protocol: SYNC_PROTOCOL, serverTime: now().toISOString(), cursor: String(taken.at(-1)?.seq ?? cursor), events, conflicts, more: rows.length > limit, ...(head ? { head } : {}) };
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply: FastifyReply) => {
    if (error instanceof HttpError) return reply.code(error.status).send({ error: { code: error.code, params: error.params } });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refuse(request, reply, 413, 'sync.body_too_large');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: { code: 'sync.bad_request', params: { path: 'content-type' } } });
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: { code: 'sync.bad_request', params: {} } });
    // Through the request's logger: its redaction (server/src/ops/logging.ts) keeps personal data out of the log.
    request.log.error({ err: error }, 'internal error');
    return reply.code(500).send({ error: { code: 'sync.internal' } });
  });
}
