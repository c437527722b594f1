/**
 * The workstation whose services process the kill loop of tests/faults.test.ts kills: its folder set up as the
 * office's installer would, and its SQLite file read (read-only, the host may be running) against the server's log.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { expect } from 'vitest';
import { createContext } from '../electron/services/context';
import { setUpWorkstation } from '../electron/services/workstation';
import { issueDeviceCertificate } from '../node/pki/machine-certs';
import type { Store } from '../server/src/store';
import { compareAcked, localLog, serverLog, type Wire } from './fault-run';

/** The workstation's folder set up as the office's installer would, syncing with `serverUrl`. */
export function installedFolder(dataDir: string, pkiDir: string, officeCode: string, workstationCode: string, serverUrl: string): void {
  const setup = createContext({ dataDir, appVersion: 'test' });
  const device = issueDeviceCertificate({ dir: pkiDir, officeCode, workstationCode });
  setUpWorkstation(setup, { pkiDir, officeCode, workstationCode, device: { certsPem: [device.certPem, ...device.chainPem].join(''), keyPem: device.keyPem }, devicePassphrase: { value: process.env.JARDEM_DEVICE_PASSPHRASE! }, serverUrl });
  setup.db.close();
}

const readOnly = (dataDir: string) => new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });

/** What the workstation was told the server holds, against the server's log (see compareAcked). */
export async function ackedOnServer(store: Store, office: string, dataDir: string) {
  const d = readOnly(dataDir);
  try {
    return await compareAcked(store, office, d);
  } finally {
    d.close();
  }
}

/** Waits until the running services have sent everything and hold what the server holds; both logs and the workstation's counts. */
export async function settledFolder(store: Store, office: string, dataDir: string) {
  let local: Wire[] = [];
  let counts = { refused: -1, held: -1, conflicts: -1 };
  let server: Wire[] = [];
  for (let i = 0; ; i++) {
    const d = readOnly(dataDir);
    const pending = d.prepare("SELECT count(*) FROM event_sync WHERE state = 'pending'").pluck().get() as number;
    local = localLog(d);
    counts = d.prepare("SELECT (SELECT count(*) FROM event_sync WHERE state = 'refused') AS refused, (SELECT count(*) FROM sync_held) AS held, (SELECT count(*) FROM event_refusals) AS conflicts").get() as typeof counts;
    d.close();
    server = await serverLog(store, office);
    if (pending === 0 && local.length === server.length) return { local, counts, server };
    expect(i, 'the restarted services did not send everything').toBeLessThan(150);
    await new Promise((r) => setTimeout(r, 200));
  }
}
