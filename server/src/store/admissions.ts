/**
 * The admission of devices' requests, an office's together: each request's device standing and nonce are checked in
 * one statement with the other requests of its office that came while the office's last statement was on its way
 * (group commit, ../group-commit.ts, as the office's batches of events are). Two hundred workstations pushing at
 * once share a few statements and a few of the pool's connections instead of taking one each; a request that comes
 * alone goes at once.
 * One statement per office keeps each a query on one office's rows (Citus routes it to one shard).
 */
import type { Queryable } from '../store';
import { pruneWhenDue } from '../store-nonces';
import { GroupCommit } from '../group-commit';

export interface DeviceKey {
  officeCode: string;
  workstationCode: string;
  certSha256: string;
}

export interface Admitted {
  enrolled: boolean;
  retired: boolean;
  revoked: boolean;
  fresh: boolean;
  /** A city root was added after the number this process had seen. */
  rootsAdded: boolean;
  /** The number of the office's latest staff act (0: none). */
  staffHead: number;
}

interface Asking {
  d: DeviceKey;
  nonce: string;
  rootsSeen: number;
  done: (a: Admitted) => void;
  fail: (error: unknown) => void;
}

interface Row {
  i: number;
  enrolled: boolean;
  retired: boolean;
  revoked: boolean;
  fresh: boolean;
  roots_added: boolean;
  staff_head: string | null;
}

/**
 * Whether each device is still enrolled, retired (another device replaced it) or revoked by the administrator, and
 * whether its nonce is new (kept only for a device that may still sync, so the same signed request is refused as a
 * replay); and, in the same round trip, whether what the process keeps of the city's data is current: a city root
 * added after `rootsSeen` (a reference act's number), and the office's latest staff act.
 */
const ADMIT = `WITH r AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(workstation_code, cert_sha256, nonce, i)),
  d AS (SELECT r.i, v.retired_at, v.revoked_at FROM r JOIN devices v ON v.office_code = $1 AND v.workstation_code = r.workstation_code AND v.cert_sha256 = r.cert_sha256),
  n AS (INSERT INTO request_nonces (office_code, workstation_code, nonce)
        SELECT $1, r.workstation_code, r.nonce FROM r JOIN d ON d.i = r.i WHERE d.retired_at IS NULL AND d.revoked_at IS NULL
        ON CONFLICT DO NOTHING RETURNING workstation_code, nonce)
SELECT r.i, d.i IS NOT NULL AS enrolled, d.retired_at IS NOT NULL AS retired, d.revoked_at IS NOT NULL AS revoked,
       EXISTS (SELECT 1 FROM n WHERE n.workstation_code = r.workstation_code AND n.nonce = r.nonce) AS fresh,
       EXISTS (SELECT 1 FROM reference_acts WHERE kind = 'trust_root' AND ref_seq > $5) AS roots_added,
       (SELECT max(seq) FROM staff_acts WHERE office_code = $1) AS staff_head
FROM r LEFT JOIN d ON d.i = r.i`;

export class Admissions {
  private readonly commits: GroupCommit<Asking>;

  constructor(private readonly q: Queryable) {
    this.commits = new GroupCommit(take, (office, batch) => this.admitTogether(office, batch));
  }

  admit(d: DeviceKey, nonce: string, rootsSeen: number): Promise<Admitted> {
    return new Promise((done, fail) => this.commits.add(d.officeCode, [{ d, nonce, rootsSeen, done, fail }]));
  }

  private async admitTogether(office: string, batch: Asking[]): Promise<void> {
    try {
      await pruneWhenDue(this.q);
      const rows = await this.q.query<Row>(ADMIT, [office, batch.map((a) => a.d.workstationCode), batch.map((a) => a.d.certSha256), batch.map((a) => a.nonce), Math.min(...batch.map((a) => a.rootsSeen))]);
      const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
      batch.forEach((a, k) => {
        const r = byIndex.get(k + 1);
        a.done({ enrolled: r?.enrolled === true, retired: r?.retired === true, revoked: r?.revoked === true, fresh: r?.fresh === true, rootsAdded: r?.roots_added === true, staffHead: Number(r?.staff_head ?? 0) });
      });
    } catch (error) {
      for (const a of batch) a.fail(error);
    }
  }
}

/**
 * The next statement's requests: all that wait, but one request per device and nonce. The same nonce twice (a request
 * replayed while the first is admitted) waits for the next statement, where the first one's nonce is found.
 */
function take(queue: Asking[]): Asking[] {
  const batch: Asking[] = [];
  const keys = new Set<string>();
  for (let i = 0; i < queue.length; ) {
    const key = `${queue[i]!.d.workstationCode}\n${queue[i]!.nonce}`;
    if (keys.has(key)) {
      i++;
      continue;
    }
    keys.add(key);
    batch.push(queue.splice(i, 1)[0]!);
  }
  return batch;
}
