/**
 * `npm run server -- devices list [--office CODE] [--json]` and
 * `npm run server -- devices revoke --office CODE --workstation CODE [--cert SHA256|SERIAL] [--reason TEXT]`:
 * the city IT department's view of the enrolled workstations (office, workstation, certificate serial, first and
 * last seen, app version, protocol, last pull) and its way to stop one at once. A revoked device is refused from
 * its next request (`sync.device_revoked`); its workstation says so in the header. Revoking the certificate at
 * the PKI (the CRL) as well stops its staff's use of it everywhere; this stops the device on this server now.
 * The database: DATABASE_URL (with JARDEM_SERVER_SCHEMA), or --data-dir for PGlite while no server holds it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultServerDir } from '../../../node/paths';
import { migrate } from '../migrations';
import { openStore } from '../store';
import { listDevices, revokeDevices, type DeviceRow } from '../ops/queries';

const USAGE = `usage:
  npm run server -- devices list [--office CODE] [--json]
  npm run server -- devices revoke --office CODE --workstation CODE [--cert SHA256|SERIAL] [--reason TEXT]`;

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

function table(rows: DeviceRow[]): string {
  const head = ['office', 'workstation', 'serial', 'first seen', 'last seen', 'app', 'protocol', 'last pull', 'status'];
  const body = rows.map((d) => [d.office, d.workstation, d.serial, when(d.enrolledAt), when(d.lastSeenAt), d.appVersion ?? '-', d.protocol === null ? '-' : String(d.protocol), d.lastPullCursor === null ? '-' : `${d.lastPullCursor} at ${when(d.lastPullAt)}`, d.revokedAt ? `revoked ${when(d.revokedAt)}` : 'active']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  return [head, ...body].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function runDevicesCommand(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      office: { type: 'string' },
      workstation: { type: 'string' },
      cert: { type: 'string' },
      reason: { type: 'string', default: 'revoked by the administrator' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  if (command !== 'list' && command !== 'revoke') {
    console.error(USAGE);
    process.exit(2);
  }
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: path.resolve(values['data-dir'] ?? defaultServerDir()), schema: process.env.JARDEM_SERVER_SCHEMA });
  try {
    await migrate(store);
    if (command === 'list') {
      const rows = await listDevices(store, values.office);
      console.log(values.json ? JSON.stringify(rows) : rows.length ? table(rows) : 'no devices enrolled');
      return;
    }
    if (!values.office || !values.workstation) {
      console.error(`devices revoke needs --office and --workstation\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    const n = await revokeDevices(store, { office: values.office, workstation: values.workstation, cert: values.cert }, values.reason);
    if (n === 0) {
      console.error(`no active device ${values.office}/${values.workstation}${values.cert ? ` with certificate ${values.cert}` : ''}: see devices list`);
      process.exitCode = 1;
      return;
    }
    console.log(`revoked ${n} device(s) of ${values.office}/${values.workstation}: refused from the next request`);
  } finally {
    await store.close();
  }
}
