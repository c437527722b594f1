/**
 * What the server keeps of each device's requests for its administrator (`devices list`): the app version and
 * protocol it speaks, its clock's offset and when it was last heard from (written at most once a minute, or at once
 * when it speaks another version), and the cursor of its last pull (its lag in the metrics). A device the
 * administrator revoked (`devices revoke`) is refused from its next request by the sync routes' authentication.
 */
import type { FastifyInstance } from 'fastify';
import { APP_VERSION_HEADER, AUTH_HEADERS } from '../../../node/sync-auth';
import type { PullResponse } from '../../../shared/contract/sync-protocol';
import type { Store } from '../store';
import { notePull } from './queries';
import { DeviceDirectory } from '../store/devices';

export function deviceHooks(app: FastifyInstance, store: Store): void {
  const directory = new DeviceDirectory(store);
  // After the sync routes' own preHandler (registered before this one): request.device is the authenticated device.
  app.addHook('preHandler', async (request) => {
    if (!request.device) return;
    const version = request.headers[APP_VERSION_HEADER];
    const protocol = Number(request.headers[AUTH_HEADERS.protocol]);
    await directory.note(request.device, { clockOffsetMs: request.device.clockOffsetMs ?? null, appVersion: typeof version === 'string' ? version.slice(0, 40) : null, protocol: Number.isInteger(protocol) ? protocol : null });
  });
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (request.routeOptions.url === '/sync/v1/pull' && request.device && payload && typeof payload === 'object') {
      const cursor = Number((payload as PullResponse).cursor);
      if (Number.isFinite(cursor)) await notePull(store, request.device, cursor);
    }
    return payload;
  });
}
