/**
 * What the server keeps of each device's requests for its administrator (`devices list`): the app version and
 * protocol it speaks, and the cursor of its last pull (its lag in the metrics); and a device the administrator
 * revoked (`devices revoke`) refused from its next request, `sync.device_revoked`, which its workstation shows.
 */
import type { FastifyInstance } from 'fastify';
import { APP_VERSION_HEADER, AUTH_HEADERS } from '../../../node/sync-auth';
import type { PullResponse } from '../../../shared/contract/sync-protocol';
import { HttpError } from '../sync/routes';
import type { Store } from '../store';
import { noteDeviceRequest, notePull } from './queries';

export function deviceHooks(app: FastifyInstance, store: Store): void {
  // After the sync routes' own preHandler (registered before this one): request.device is the authenticated device.
  app.addHook('preHandler', async (request) => {
    if (!request.device) return;
    const version = request.headers[APP_VERSION_HEADER];
    const protocol = Number(request.headers[AUTH_HEADERS.protocol]);
    const noted = await noteDeviceRequest(store, request.device, typeof version === 'string' ? version.slice(0, 40) : null, Number.isInteger(protocol) ? protocol : null);
    if (noted.revoked) throw new HttpError(403, 'sync.device_revoked');
  });
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (request.routeOptions.url === '/sync/v1/pull' && request.device && payload && typeof payload === 'object') {
      const cursor = Number((payload as PullResponse).cursor);
      if (Number.isFinite(cursor)) await notePull(store, request.device, cursor);
    }
    return payload;
  });
}
