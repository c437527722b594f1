/**
 * The devices' rows and the replay guard, read cheaply: a request costs at most one statement (the device is still
 * enrolled, and its nonce is new, in one round trip, shared with the office's other requests of the moment). What
 * never changes is kept per process: a certificate by its SHA-256 (the hash names its bytes), and an office's BIN for
 * a minute (reference data). The device's last-seen time and clock offset are written at most once a minute per
 * device; each request's own offset travels with the request to the clock flags.
 */
import type { Queryable } from '../store';
import { Admissions, type Admitted, type DeviceKey } from './admissions';

export type { Admitted, DeviceKey } from './admissions';

/** How long an office's reference row (its BIN, kind, the districts a Center serves) is kept per process. */
export const OFFICE_TTL_MS = 60_000;
const SEEN_EVERY_MS = 60_000;

export class DeviceDirectory {
  private readonly certs = new Map<string, string>();
  private readonly bins = new Map<string, { bin: string | null; at: number }>();
  private readonly seen = new Map<string, { at: number; speaks: string }>();

  private readonly admissions: Admissions;

  constructor(private readonly q: Queryable) {
    this.admissions = new Admissions(q);
  }

  /** The enrolled certificate (PEM) of the device, or null when it is not enrolled. */
  async certPem(d: DeviceKey): Promise<string | null> {
    const key = `${d.officeCode}/${d.workstationCode}/${d.certSha256}`;
    const known = this.certs.get(key);
    if (known) return known;
    const row = await this.q.query<{ cert_pem: string }>('SELECT cert_pem FROM devices WHERE office_code = $1 AND workstation_code = $2 AND cert_sha256 = $3', [d.officeCode, d.workstationCode, d.certSha256]);
    if (!row[0]) return null;
    this.certs.set(key, row[0].cert_pem);
    return row[0].cert_pem;
  }

  /**
   * After the request's signature is checked: the device's standing and its nonce, with what the process keeps of the
   * city's data, in one statement shared with the office's other requests of the moment (./admissions.ts).
   */
  admit(d: DeviceKey, nonce: string, rootsSeen = 0): Promise<Admitted> {
    return this.admissions.admit(d, nonce, rootsSeen);
  }

  /** The office's BIN (null for an office the server does not know). */
  async officeBin(code: string, now = Date.now()): Promise<string | null> {
    const known = this.bins.get(code);
    if (known && now - known.at < OFFICE_TTL_MS) return known.bin;
    const row = await this.q.query<{ bin: string }>('SELECT bin FROM offices WHERE code = $1', [code]);
    const bin = row[0]?.bin ?? null;
    this.bins.set(code, { bin, at: now });
    return bin;
  }

  /**
   * What the administrator's list shows of the device (last seen, clock offset, app version, protocol): written at
   * most once a minute per device and process, or at once when its version or protocol changed.
   */
  async note(d: DeviceKey, said: { clockOffsetMs: number | null; appVersion: string | null; protocol: number | null }, now = Date.now()): Promise<void> {
    const key = `${d.officeCode}/${d.workstationCode}/${d.certSha256}`;
    const last = this.seen.get(key);
    const speaks = `${said.appVersion}/${said.protocol}`;
    if (last && now - last.at < SEEN_EVERY_MS && last.speaks === speaks) return;
    this.seen.set(key, { at: now, speaks });
    await this.q.query(
      `UPDATE devices SET last_seen_at = now(), clock_offset_ms = COALESCE($4, clock_offset_ms), app_version = COALESCE($5, app_version), protocol = COALESCE($6, protocol)
       WHERE office_code = $1 AND workstation_code = $2 AND cert_sha256 = $3`,
      [d.officeCode, d.workstationCode, d.certSha256, said.clockOffsetMs, said.appVersion, said.protocol],
    );
  }
}

/** The devices enrolled under an office and workstation code (one is active at a time). */
export async function devicesOf(q: Queryable, officeCode: string, workstationCode: string): Promise<{ certPem: string; certSha256: string }[]> {
  const rows = await q.query<{ cert_pem: string; cert_sha256: string }>('SELECT cert_pem, cert_sha256 FROM devices WHERE office_code = $1 AND workstation_code = $2', [officeCode, workstationCode]);
  return rows.map((r) => ({ certPem: r.cert_pem, certSha256: r.cert_sha256 }));
}

export async function enrolDevice(q: Queryable, d: DeviceKey & { certPem: string; serial: string }): Promise<void> {
  await q.query('INSERT INTO devices (office_code, workstation_code, cert_sha256, cert_pem, serial) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [d.officeCode, d.workstationCode, d.certSha256, d.certPem, d.serial]);
}

/** The highest numbers the office's workstations issued, by sequence scope. */
export async function numberHighs(q: Queryable, officeCode: string): Promise<{ scope: string; last: number }[]> {
  return q.query<{ scope: string; last: number }>('SELECT scope, last FROM number_highs WHERE office_code = $1', [officeCode]);
}

/** The clock offset a device's last request recorded (milliseconds), or null. */
export async function deviceClockOffset(q: Queryable, device: { officeCode: string; workstationCode: string; certSha256: string }): Promise<number | null> {
  const row = await q.query<{ clock_offset_ms: number | null }>('SELECT clock_offset_ms FROM devices WHERE office_code = $1 AND workstation_code = $2 AND cert_sha256 = $3', [device.officeCode, device.workstationCode, device.certSha256]);
  return row[0]?.clock_offset_ms == null ? null : Number(row[0].clock_offset_ms);
}
