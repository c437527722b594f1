/**
 * The central server answers the information-system simulator's routes only to an enrolled device, as it answers
 * sync (server/src/gate.ts): a request to the gateway is signed with the device key as the sync agent signs one, at
 * the server's time as this device estimates it. A workstation without a device (a gateway of its own in tests)
 * sends it unsigned.
 */
import { SYNC_PROTOCOL } from '../../shared/contract/sync-protocol';
import { deviceId, signRequest } from '../../node/sync-auth';
import type { ServicesContext } from './context';
import { loadDevice } from './device';
import { ensureEnrolled, syncState } from './sync/agent';
import { syncSettings } from './sync/settings';

export const IS_REQUEST_PATH = '/is/v1/requests';

/** The signature headers of a POST of `body` to the gateway, or none when this workstation has no usable device. */
export function gatewayHeaders(ctx: ServicesContext, body: string): Record<string, string> {
  let device;
  try {
    device = loadDevice(ctx);
  } catch {
    return {};
  }
  if (!device) return {};
  const offset = syncState(ctx).clockOffsetMs ?? 0;
  const now = new Date(ctx.realNow().getTime() - offset);
  return signRequest({ method: 'POST', pathWithQuery: IS_REQUEST_PATH, body: Buffer.from(body, 'utf8'), device: deviceId(device), privateKeyPem: device.privateKeyPem, protocol: SYNC_PROTOCOL, now, clockOffsetMs: offset });
}

/** The server's typed refusal of the device (a `sync.*` code on 401/403), read from a copy of the answer. */
export async function deviceRefusal(response: Response): Promise<string | null> {
  if (response.status !== 401 && response.status !== 403) return null;
  try {
    const code = ((await response.clone().json()) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && code.startsWith('sync.') ? code : null;
  } catch {
    return null;
  }
}

/** Enrols the device when the server does not know it yet and sync is set up; true when it may be asked again. */
export async function enrolForGateway(ctx: ServicesContext, fetchImpl: typeof fetch): Promise<boolean> {
  if (!syncSettings(ctx.db)) return false;
  try {
    await ensureEnrolled(ctx, fetchImpl);
    return true;
  } catch {
    return false;
  }
}
