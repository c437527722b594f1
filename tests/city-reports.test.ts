/**
 * The city's figures per district on the server's store (PGlite in the plain run, PostgreSQL in scripts/test.sh's
 * list): three offices' logs and case states written as rows, every figure cross-checked against a count made
 * here from the same rows. The route that serves them to the city's administrator: tests/city-report-route.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../server/src/migrations';
import { cityFigures } from '../server/src/reports/store';
import type { Store } from '../server/src/store';
import { testStore } from './server-helpers';
import { tempDir } from './helpers';

const tmp = tempDir('city-reports');
let store: Store;
let drop: () => Promise<void>;
const OFFICES = ['ALM', 'AUE', 'BOS'];
const TYPES = ['intake.registered', 'center.intake_registered', 'acceptance.refused', 'center.returned_incomplete', 'commission.referred', 'decision.signed', 'is.requested'];
const rows: { office: string; caseId: string; type: string; at: string; outcome?: string }[] = [];

beforeAll(async () => {
  ({ store, drop } = await testStore(tmp.dir));
  await migrate(store);
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const seqs = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    const office = OFFICES[i % 3]!;
    const caseId = `case-${i % 200}`;
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    const at = new Date(Date.UTC(2026, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24))).toISOString();
    const outcome = type === 'decision.signed' ? (rand() < 0.7 ? 'assign' : 'refuse') : undefined;
    const seq = (seqs.get(office) ?? 0) + 1;
    seqs.set(office, seq);
    rows.push({ office, caseId, type, at, outcome });
    await store.query(
      `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, hash, signature, device)
       VALUES ($1, $2, $3, $4, $8, 0, $5, $6, '900512400018', 'specialist', 'x', $7, 'h', '\\x00', 'W1')`,
      [office, seq, `e-${i}`, caseId, type, JSON.stringify(outcome ? { decision: { outcome, refusalGrounds: [] } } : {}), at, i + 1],
    );
  }
  for (const [i, office] of OFFICES.entries()) {
    for (let k = 0; k < 10 + i * 5; k++) {
      const stage = ['registered', 'closed', 'at_commission', 'refused_to_accept'][k % 4]!;
      await store.query(`INSERT INTO cases (office_code, case_id, case_number, channel, stage, version, head_hash, applicant_iin, state, updated_seq) VALUES ($1, $2, $2, 'district', $3, 1, 'h', '850615300012', '{}', 1)`, [office, `c-${k}`, stage]);
    }
  }
}, 120_000);
afterAll(async () => {
  await drop();
  tmp.remove();
});

describe('the city figures per district', () => {
  it.each([
    ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-03-31T19:00:00.000Z', '2026-06-30T19:00:00.000Z'],
  ])('from %s to %s agree with a count of the same rows, office by office', async (fromAt, toAt) => {
    const figures = await cityFigures(store, fromAt, toAt);
    expect(figures.map((f) => f.office)).toEqual(OFFICES);
    for (const f of figures) {
      const mine = rows.filter((r) => r.office === f.office && r.at >= fromAt && r.at < toAt);
      const count = (type: string, outcome?: string) => mine.filter((r) => r.type === type && (!outcome || r.outcome === outcome)).length;
      expect(f.received, f.office).toBe(count('intake.registered') + count('center.intake_registered'));
      expect(f.refusedToAccept).toBe(new Set(mine.filter((r) => r.type === 'acceptance.refused').map((r) => r.caseId)).size);
      expect(f.returnedToCenter).toBe(count('center.returned_incomplete'));
      expect(f.referred).toBe(count('commission.referred'));
      expect(f.assigned).toBe(count('decision.signed', 'assign'));
      expect(f.refused).toBe(count('decision.signed', 'refuse'));
      expect(f.open).toBe(Math.ceil((10 + OFFICES.indexOf(f.office) * 5) / 2));
    }
  });
});
