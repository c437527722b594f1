/**
 * The enrolled devices in the server's store: one active device per office and workstation code. A second one is
 * enrolled only as an explicit replacement (a workstation set up again after a disk loss), which retires the first
 * in the same transaction; a retired device is refused from its next request.
 */
import type { Store } from './store';

export interface DeviceKey {
  officeCode: string;
  workstationCode: string;
  certSha256: string;
}

/** One advisory lock per office and workstation code, so two enrolments of one code never pass each other. */
const ENROL_LOCK = 770_100_020;

export type EnrolOutcome = { status: 'enrolled'; retired: string[] } | { status: 'taken' } | { status: 'retired' };

/**
 * Enrols the device unless another active (not retired, not revoked by the CRL or by the server's administrator)
 * device holds its code; with `replace`, retires
 * those others instead. A device once retired is never enrolled again.
 */
export async function enrolDevice(store: Store, d: DeviceKey & { certPem: string; serial: string; replace: boolean; revoked: (certPem: string) => boolean }): Promise<EnrolOutcome> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ENROL_LOCK, `${d.officeCode}/${d.workstationCode}`]);
    const rows = await tx.query<{ cert_pem: string; cert_sha256: string; retired_at: string | null; revoked_at: string | null }>('SELECT cert_pem, cert_sha256, retired_at, revoked_at FROM devices WHERE office_code = $1 AND workstation_code = $2', [
      d.officeCode,
      d.workstationCode,
    ]);
    if (rows.some((r) => r.cert_sha256 === d.certSha256 && r.retired_at !== null)) return { status: 'retired' };
    const others = rows.filter((r) => r.cert_sha256 !== d.certSha256 && r.retired_at === null && r.revoked_at === null && !d.revoked(r.cert_pem)).map((r) => r.cert_sha256);
    if (others.length > 0 && !d.replace) return { status: 'taken' };
    if (others.length > 0) {
      await tx.query('UPDATE devices SET retired_at = now(), retired_by = $3 WHERE office_code = $1 AND workstation_code = $2 AND cert_sha256 = ANY($4) AND retired_at IS NULL', [d.officeCode, d.workstationCode, d.certSha256, others]);
    }
    await tx.query('INSERT INTO devices (office_code, workstation_code, cert_sha256, cert_pem, serial) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [d.officeCode, d.workstationCode, d.certSha256, d.certPem, d.serial]);
    return { status: 'enrolled', retired: others };
  });
}
