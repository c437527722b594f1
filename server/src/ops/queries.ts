/**
 * The operations side's SQL (health, metrics, devices): reads of the office order and the devices' table, and the
 * devices' bookkeeping. Every query names the office where it writes (one shard on Citus); the reads for a scrape
 * or an administrator's list read across offices, which is rare and small.
 */
import type { Queryable } from '../store';

export interface OfficeHead {
  office: string;
  head: number;
  lastEventAt: Date | null;
}

/** Each office's last number and when its last event arrived. */
export async function officeHeads(q: Queryable): Promise<OfficeHead[]> {
  const rows = await q.query<{ office_code: string; last: number; received_at: string | Date | null }>(
    `SELECT o.office_code, o.last, (SELECT e.received_at FROM events e WHERE e.office_code = o.office_code AND e.server_seq = o.last) AS received_at
     FROM office_seq o ORDER BY o.office_code`,
  );
  return rows.map((r) => ({ office: r.office_code, head: Number(r.last), lastEventAt: r.received_at ? new Date(r.received_at) : null }));
}

export interface DeviceRow {
  office: string;
  workstation: string;
  certSha256: string;
  serial: string;
  enrolledAt: Date;
  lastSeenAt: Date | null;
  appVersion: string | null;
  protocol: number | null;
  lastPullAt: Date | null;
  lastPullCursor: number | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  clockOffsetMs: number | null;
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

export async function listDevices(q: Queryable, office?: string): Promise<DeviceRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT office_code, workstation_code, cert_sha256, serial, enrolled_at, last_seen_at, app_version, protocol, last_pull_at, last_pull_cursor, revoked_at, revoked_reason, clock_offset_ms
     FROM devices WHERE ($1::text IS NULL OR office_code = $1) ORDER BY office_code, workstation_code, enrolled_at`,
    [office ?? null],
  );
  return rows.map((r) => ({
    office: String(r.office_code),
    workstation: String(r.workstation_code),
    certSha256: String(r.cert_sha256),
    serial: String(r.serial),
    enrolledAt: date(r.enrolled_at)!,
    lastSeenAt: date(r.last_seen_at),
    appVersion: (r.app_version as string | null) ?? null,
    protocol: r.protocol === null ? null : Number(r.protocol),
    lastPullAt: date(r.last_pull_at),
    lastPullCursor: r.last_pull_cursor === null ? null : Number(r.last_pull_cursor),
    revokedAt: date(r.revoked_at),
    revokedReason: (r.revoked_reason as string | null) ?? null,
    clockOffsetMs: r.clock_offset_ms === null ? null : Number(r.clock_offset_ms),
  }));
}

/** Revokes the devices of an office's workstation (or the one with that certificate hash or serial): how many. */
export async function revokeDevices(q: Queryable, sel: { office: string; workstation: string; cert?: string }, reason: string): Promise<number> {
  const rows = await q.query(
    `UPDATE devices SET revoked_at = now(), revoked_reason = $4
     WHERE office_code = $1 AND workstation_code = $2 AND revoked_at IS NULL AND ($3::text IS NULL OR cert_sha256 = $3 OR serial = $3)
     RETURNING cert_sha256`,
    [sel.office, sel.workstation, sel.cert ?? null, reason],
  );
  return rows.length;
}

/** The cursor a device's pull answered with: how far it has read its office's order. */
export async function notePull(q: Queryable, d: { officeCode: string; workstationCode: string; certSha256: string }, cursor: number): Promise<void> {
  await q.query('UPDATE devices SET last_pull_at = now(), last_pull_cursor = $4 WHERE office_code = $1 AND workstation_code = $2 AND cert_sha256 = $3', [d.officeCode, d.workstationCode, d.certSha256, cursor]);
}

/** Each device's lag: its office's last number minus the cursor of its last pull. */
export async function deviceLags(q: Queryable): Promise<{ office: string; workstation: string; lag: number; lastPullAt: Date }[]> {
  const rows = await q.query<{ office_code: string; workstation_code: string; lag: number; last_pull_at: string | Date }>(
    `SELECT d.office_code, d.workstation_code, GREATEST(COALESCE(o.last, 0) - d.last_pull_cursor, 0) AS lag, d.last_pull_at
     FROM devices d LEFT JOIN office_seq o ON o.office_code = d.office_code
     WHERE d.last_pull_at IS NOT NULL AND d.revoked_at IS NULL`,
  );
  return rows.map((r) => ({ office: r.office_code, workstation: r.workstation_code, lag: Number(r.lag), lastPullAt: new Date(r.last_pull_at) }));
}
