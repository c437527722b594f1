/**
 * A batch that opens cases asks for the open cases of their applicants (the same family opened twice while apart is
 * a conflict for a person). An office holds tens of thousands of cases, each with its state: the question must be
 * answered from the applicants' index, not by reading every case of the office for every batch.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { migrate } from '../server/src/migrations';
import { openCasesOfApplicants, openCasesPlan } from '../server/src/store/events-write';
import { tempDir } from './helpers';
import { testStore } from './server-helpers';

const tmp = tempDir('applicant-plan');
let own: Awaited<ReturnType<typeof testStore>>;
const CASES = 20_000;
const CLOSED = ['closed', 'closed_as_duplicate'];
const iin = (i: number) => String(800000000000 + i);

beforeAll(async () => {
  own = await testStore(tmp.dir);
  await migrate(own.store);
  // Two offices; every tenth case closed; a state of a realistic size, so a scan of the table is not cheap.
  await own.store.query(
    `INSERT INTO cases (office_code, case_id, case_number, channel, stage, version, head_hash, applicant_iin, state, updated_seq)
     SELECT CASE WHEN i % 2 = 0 THEN 'AUE' ELSE 'ALM' END, 'case-' || i, 'N-' || i, 'district', CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'intake' END,
            3, md5(i::text), (800000000000 + i / 2)::text, json_build_object('n', repeat(md5(i::text), 40))::text, i
     FROM generate_series(1, $1::int) AS i`,
    [CASES],
  );
  await own.store.query('ANALYZE cases');
});
afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

/** Every node of an EXPLAIN (FORMAT JSON) tree. */
function nodes(plan: unknown): { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string }[] {
  const all: { 'Node Type': string }[] = [];
  const walk = (n: Record<string, unknown>) => {
    all.push(n as { 'Node Type': string });
    for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
  };
  walk((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return all;
}

test("a batch's applicants are looked up by the office's applicant index, not by reading the office's cases", async () => {
  const iins = Array.from({ length: 30 }, (_, k) => iin(k * 97 + 5));
  const plan = nodes(await openCasesPlan(own.store, 'AUE', iins, CLOSED));
  expect(plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).not.toContain('cases');
  expect(plan.map((n) => n['Index Name'])).toContain('cases_applicant');
});

test('the open cases found that way are those of the office and the applicants, closed ones left out', async () => {
  // Applicant 800000000005 has cases 10 (closed) and 11 (open, in ALM); 800000000006 has 12 (AUE) and 13 (ALM).
  const open = await openCasesOfApplicants(own.store, 'AUE', [iin(5), iin(6), iin(999_999)], CLOSED);
  expect(Object.fromEntries(open)).toEqual({ [iin(6)]: ['case-12'] });
  const there = await openCasesOfApplicants(own.store, 'ALM', [iin(5), iin(6)], CLOSED);
  expect(Object.fromEntries(there)).toEqual({ [iin(5)]: ['case-11'], [iin(6)]: ['case-13'] });
});
