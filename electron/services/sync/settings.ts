/** Where the workstation syncs (a setting of the workstation, not a legal fact). */
import { readSetting, writeSetting } from '../../../db/repositories/settings';
import type { Db } from '../../../db/connection';

export interface SyncSettings {
  serverUrl: string;
  /** This workstation was set up again (after a disk loss): its device replaces the one its code had at the server. */
  replaceDevice?: boolean;
  /** The CA the server's TLS certificate must chain to (PEM), when it is not in the system's store. */
  serverCaPem?: string;
}

/** The demo office syncs with a server on this machine when one runs (`npm run server`). */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:5190';

export function syncSettings(db: Db): SyncSettings | null {
  return readSetting<SyncSettings>(db, 'sync');
}

export function configureSync(db: Db, settings: SyncSettings): void {
  const url = new URL(settings.serverUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('the server address must be http:// or https://');
  if (settings.serverCaPem !== undefined && !settings.serverCaPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('the server CA file holds no PEM certificate');
  if (settings.serverCaPem !== undefined && url.protocol !== 'https:') throw new Error('a server CA is for an https:// server address');
  writeSetting(db, 'sync', { serverUrl: url.origin, ...(settings.replaceDevice ? { replaceDevice: true } : {}), ...(settings.serverCaPem ? { serverCaPem: settings.serverCaPem } : {}) });
}
