/**
 * The office's queue on the server's write path (server/src/sync/office-queue.ts): pushes of one office that come
 * together are applied together, in a few transactions, each case's events in its line and the server's numbers
 * with no gap; the same family opened by two workstations in one batch is kept as a conflict; a replay in a batch is
 * answered as one and does not stop the others; a person's act just made goes before the catch-ups waiting. Real
 * signatures (checked on the verification threads), real PGlite or PostgreSQL.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResult, WireEvent } from '../shared/contract/sync-protocol';
import { CURRENT_RULES_VERSION } from '../shared/domain/workflow';
import { signEvents } from '../node/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { applyPush, type Device } from '../server/src/sync/apply';
import { runsWaiting } from '../server/src/sync/office-queue';
import { migrate } from '../server/src/migrations';
import { loadOffices } from '../server/src/app';
import { takeStaffFile } from '../server/src/staff/register';
import { pkiTrust } from '../server/src/trust';
import { createMetrics } from '../server/src/ops/metrics';
import type { Store } from '../server/src/store';
import { makePki, nthIin, SPECIALIST, tempDir } from './helpers';
import { testStore } from './server-helpers';

const tmp = tempDir('office-queue');
const pki = makePki(tmp.dir);
const key = openKeyFile(Buffer.from(pki.issue(), 'base64'), 'pw');
const actor = { iin: SPECIALIST.iin, role: 'specialist', certSha256: createHash('sha256').update(new X509Certificate(key.chainPem[0]!).raw).digest('hex') };
const trust = pkiTrust(pki.dir);
let own: Awaited<ReturnType<typeof testStore>>;
let bin: string;
let families = 0;

/** A store whose transactions are counted, and whose next one waits for `hold` to be let go when one is set. */
const gate = { transactions: 0, hold: null as Promise<void> | null, held: () => undefined as void };
const counted = (store: Store): Store => ({
  ...store,
  transaction: async (fn) => {
    gate.transactions++;
    const hold = gate.hold;
    gate.hold = null;
    if (hold) {
      gate.held();
      await hold;
    }
    return store.transaction(fn);
  },
});
let store: Store;

beforeAll(async () => {
  own = await testStore(tmp.dir);
  await migrate(own.store);
  await loadOffices(own.store, trust);
  await takeStaffFile(own.store, trust);
  bin = (await own.store.query<{ bin: string }>("SELECT bin FROM offices WHERE code = 'AUE'"))[0]!.bin;
  store = counted(own.store);
}, 120_000);
afterAll(async () => {
  await own?.drop();
  tmp.remove();
});

const device = (code: string): Device => ({ officeCode: 'AUE', workstationCode: code, certSha256: 'x', bin });

/** A new case of another family: its opening, then `more` recordings of the application, each signed. */
function newCase(more: number, iin = nthIin('820101', 3, ++families)): WireEvent[] {
  const applicant = { iin, surname: 'Тестов', givenName: 'Тест', patronymic: '', birthDate: '1982-01-01', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
  const drafts = [
    { type: 'intake.registered', payload: { applicant, caseNumber: `AUE-W1-2026-${String(families).padStart(6, '0')}`, channel: 'district', rulesVersion: CURRENT_RULES_VERSION, officeCode: 'AUE', starts: [] } },
    ...Array.from({ length: more }, (_, k) => ({
      type: 'application.recorded',
      payload: { application: { identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' }, registrationAddress: `Алматы ${k}`, bankAccount: { iban: 'KZ123456789012345678', bank: 'Halyk' }, representative: null, members: [{ id: 'm1', relation: 'applicant', iin, surname: 'Тестов', givenName: 'Тест', patronymic: '', birthDate: '1982-01-01' }], income: [], applicantDataMatchBirthCertificates: true } },
    })),
  ];
  const at = new Date().toISOString();
  return signEvents(uuidv7(), { version: 0, headHash: null }, drafts.map((d) => ({ ...d, id: uuidv7(), at })), actor, (b) => signDetached(b, key)).map((e) => ({ ...e, signature: e.signature.toString('base64') }));
}

const push = (code: string, events: WireEvent[]): Promise<PushResult[]> => applyPush(store, device(code), trust.store(), events);

describe("an office's pushes that come together", () => {
  it('are applied in a few shared transactions, each case in its line, the numbers with no gap', async () => {
    const pushes = Array.from({ length: 10 }, (_, d) => ({ code: `Q${d}`, events: [...newCase(3), ...newCase(3), ...newCase(3)] }));
    const before = gate.transactions;
    const results = await Promise.all(pushes.map((p) => push(p.code, p.events)));
    results.forEach((r, d) => expect(r.map((x) => x.status)).toEqual(pushes[d]!.events.map(() => 'applied')));
    // Thirty cases' runs; fewer than half as many transactions (each push's own first batch at most, and the rest shared).
    expect(gate.transactions - before).toBeLessThan(15);
    const seqs = results.flat().map((x) => x.serverSeq!).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length);
    const rows = await own.store.query<{ case_id: string; seq: number; server_seq: number }>("SELECT case_id, seq, server_seq FROM events WHERE office_code = 'AUE' ORDER BY server_seq");
    const byCase = new Map<string, number[]>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), Number(r.seq)]);
    for (const line of byCase.values()) expect(line).toEqual(line.map((_, i) => i + 1));
  }, 120_000);

  it('keep the same family opened on two workstations as a conflict for a person, both cases kept', async () => {
    const iin = nthIin('830202', 4, 1);
    const [a, b] = await Promise.all([push('F1', newCase(1, iin)), push('F2', newCase(1, iin))]);
    expect([...a!, ...b!].map((x) => x.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // One opening holds; the other's carries the conflict a person resolves.
    expect([a![0]!.conflictId, b![0]!.conflictId].filter(Boolean)).toHaveLength(1);
    expect(await own.store.query("SELECT kind FROM conflicts WHERE office_code = 'AUE' AND kind = 'same_family'")).toHaveLength(1);
  }, 60_000);

  it('answer a replay in a batch as one, and apply the others', async () => {
    const first = newCase(2);
    expect((await push('R1', first)).map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    const fresh = newCase(2);
    const [again, other] = await Promise.all([push('R1', first), push('R2', fresh)]);
    expect(again!.map((x) => x.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(other!.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
  }, 60_000);

  it("put a person's act just made before the catch-ups waiting, and the gauges show what waits", async () => {
    // A batch held, two catch-ups of 300 events waiting (more than a batch takes), then one act.
    let let_go!: () => void;
    gate.hold = new Promise<void>((resolve) => (let_go = resolve));
    const entered = new Promise<void>((resolve) => (gate.held = resolve));
    const catchUp = () => Array.from({ length: 30 }, () => newCase(9)).flat();
    const [held, bulkA, bulkB] = [newCase(1), catchUp(), catchUp()];
    const act = newCase(0);
    const first = push('P0', held);
    await entered;
    const bulk = [push('P1', bulkA), push('P2', bulkB)];
    const metrics = createMetrics(store);
    const waitingRuns = async () => Number(/jardem_office_batch_waiting_runs (\d+)/.exec(await metrics.registry.metrics())?.[1]);
    while ((await waitingRuns()) < 60) await new Promise((r) => setTimeout(r, 20));
    const mine = push('P3', act);
    while (runsWaiting(store) < 61) await new Promise((r) => setTimeout(r, 20));
    let_go();
    const [r0, rA, rB, rMine] = await Promise.all([first, ...bulk, mine]);
    for (const r of [r0!, rA!, rB!, rMine!]) expect(new Set(r.map((x) => x.status))).toEqual(new Set(['applied']));
    // The act is numbered before the last catch-up's events: it went in the first batch after the held one.
    const lastBulk = Math.max(...[...rA!, ...rB!].map((x) => x.serverSeq!));
    expect(rMine![0]!.serverSeq!).toBeLessThan(lastBulk);
    expect(runsWaiting(store)).toBe(0);
  }, 120_000);
});
