/**
 * Conflicts, shown, never merged, and clock skew, with real parts: the central server in-process
 * (Fastify over PGlite, or PostgreSQL when DATABASE_URL is set), workstations of Әуезов with their own SQLite files
 * and device keys, real CMS signatures and real HTTP. Two workstations act on the same case version while apart;
 * the same family is taken on two workstations; workstations an hour ahead and a day behind sync; a push is replayed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictView, SyncProblems, SyncStatusView } from '../shared/contract/types';
import { flagsOf, type PullResponse, type PushResponse } from '../shared/contract/sync-protocol';
import { conflictById } from '../db/repositories/conflicts';
import { blobKnown } from '../db/repositories/blobs';
import { syncClient } from '../electron/services/sync/client';
import { loadDevice } from '../electron/services/device';
import { syncRound } from '../electron/services/sync/agent';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { makePki, nthIin, tempDir } from './helpers';
import { documentPage, familyApplication } from './intake-helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('conflicts');
const registry = generateRegistry(7, 120);
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
type Ws = ReturnType<typeof enrolledWorkstation>;
let w1: Ws;
let w2: Ws;
const HOUR = 3_600_000;

type Call = <T>(method: string, input: unknown) => Promise<T>;
async function signIn(ws: Ws, p12: string): Promise<Call> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string }; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const token = r.value.token;
  return async <T>(method: string, input: unknown): Promise<T> => {
    const res = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
    if (!res.ok) throw Object.assign(new Error(`${method}: ${JSON.stringify(res.error)}`), { error: res.error });
    return res.value as T;
  };
}
const errorOf = async (p: Promise<unknown>) => ((await p.then(() => null, (e: { error?: unknown }) => e)) as { error?: { code: string } } | null)?.error;

/** A case's line as hashes in order, on a workstation and on the server. */
const lineOn = (ws: Ws, caseId: string) =>
  (ws.ctx.db.prepare('SELECT hash FROM case_events WHERE case_id = ? AND id NOT IN (SELECT event_id FROM event_refusals) ORDER BY seq').pluck().all(caseId) as string[]).join(',');
const lineOnServer = async (caseId: string) => (await server.store.query<{ hash: string }>("SELECT hash FROM events WHERE office_code = 'AUE' AND case_id = $1 ORDER BY seq", [caseId])).map((r) => r.hash).join(',');

let s1: Call;
let s2: Call;
let familyIndex = 0;
async function registered(on: Call, iin?: string) {
  const i = familyIndex++;
  return (
    await on<{ case: { id: string; caseNumber: string } }>('cases.registerApplicant', {
      iin: iin ?? nthIin('850615', 3, 40 + i),
      surname: 'Қасымов',
      givenName: 'Арман',
      birthDate: '1985-06-15',
      address: 'Алматы',
      phone: '+77015551234',
      docLanguage: 'ru',
    })
  ).case;
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  s1 = await signIn(w1, pki.issue());
  s2 = await signIn(w2, pki.issue({ iin: '900512400026', surname: 'Қайратова', givenName: 'Жанар' }));
}, 60_000);
afterAll(async () => {
  for (const ws of [w1, w2]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('two workstations act on the same case version while apart', () => {
  it('keeps both signed acts; the conflict shows on both; redone on W2 it shows resolved on W1; the line is equal everywhere', async () => {
    const c = await registered(s1);
    await w1.sync();
    await w2.sync();
    const application = familyApplication(registry, 7, c.id);
    await s1('application.record', application);
    await s2('application.record', { ...application, registrationAddress: 'Алматы қ., Әуезов ауданы, 5-шағынаудан, 12' });
    expect(await w1.sync()).toMatchObject({ pushed: 1, conflicts: 0 });
    expect(await w2.sync()).toMatchObject({ completed: true, conflicts: 1, pulled: 1 });
    // W2 follows the server's line: its tables were rewritten from the log (the address is W1's).
    expect((await s2<{ application: { registrationAddress: string } }>('application.get', { caseId: c.id })).application.registrationAddress).toBe(application.registrationAddress);
    await w1.sync();

    const onW1 = (await s1<ConflictView[]>('conflicts.list', {})).find((x) => x.caseId === c.id)!;
    const onW2 = (await s2<ConflictView[]>('conflicts.list', {})).find((x) => x.caseId === c.id)!;
    for (const v of [onW1, onW2]) {
      expect(v).toMatchObject({ kind: 'same_version', status: 'open', caseNumber: c.caseNumber });
      // Both acts side by side: who (from the certificate), when, what, and what each would change.
      expect(v.holding).toMatchObject({ type: 'application.recorded', actor: { name: 'Сейітқали Әйгерім', role: 'specialist' } });
      expect(v.losing).toEqual([expect.objectContaining({ type: 'application.recorded', actor: expect.objectContaining({ name: 'Қайратова Жанар' }) })]);
      expect(v.holding!.changes).toEqual([{ key: 'change.application', params: { members: application.members.length, address: application.registrationAddress } }]);
      expect(v.losing[0]!.changes[0]!.params!.address).toBe('Алматы қ., Әуезов ауданы, 5-шағынаудан, 12');
      expect(v.options).toEqual(['redo', 'withdraw']);
    }
    expect((await s1<SyncStatusView>('sync.status', {})).conflicts).toBe(1);
    expect((await s2<SyncStatusView>('sync.status', {})).problems).toBe(1);
    expect(await errorOf(s2('conflicts.resolve', { conflictId: onW2.id, option: 'close_this', note: '' }))).toMatchObject({ code: 'conflict.option_not_allowed' });

    // W2's specialist redoes her act on the current version, signing it; the conflict is resolved.
    const resolved = await s2<ConflictView>('conflicts.resolve', { conflictId: onW2.id, option: 'redo', note: 'Мекенжай анықталды' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'redone', options: [] });
    expect((await s2<{ application: { registrationAddress: string } }>('application.get', { caseId: c.id })).application.registrationAddress).toBe('Алматы қ., Әуезов ауданы, 5-шағынаудан, 12');
    expect(await w2.sync()).toMatchObject({ pushed: 2, conflicts: 0 });
    expect(await w1.sync()).toMatchObject({ pulled: 2 });
    const afterOnW1 = (await s1<ConflictView[]>('conflicts.list', {})).find((x) => x.id === onW2.id)!;
    expect(afterOnW1).toMatchObject({ status: 'resolved', resolution: 'redone', resolvedBy: { name: 'Қайратова Жанар' }, options: [] });
    expect((await s1<SyncStatusView>('sync.status', {})).conflicts).toBe(0);
    // On W2 the losing act stays listed as refused, but a resolved conflict is no longer a problem to count.
    expect((await s2<SyncStatusView>('sync.status', {})).problems).toBe(0);
    expect((await s2<SyncProblems>('sync.problems', {})).refused.map((r) => r.eventId)).toContain(onW2.losing[0]!.eventId);
    expect(await errorOf(s1('conflicts.resolve', { conflictId: onW2.id, option: 'withdraw', note: '' }))).toMatchObject({ code: 'conflict.already_resolved' });
    expect(await errorOf(s1('conflicts.resolve', { conflictId: '018f0000-0000-7000-8000-000000000000', option: 'withdraw', note: '' }))).toMatchObject({ code: 'conflict.not_found' });
    // The case's log is equal on both workstations and the server; the losing act stays on W2, signed, out of line.
    expect(lineOn(w1, c.id)).toBe(await lineOnServer(c.id));
    expect(lineOn(w2, c.id)).toBe(await lineOnServer(c.id));
    expect(w2.ctx.db.prepare('SELECT count(*) FROM case_events WHERE id = ? AND signature IS NOT NULL').pluck().get(onW2.losing[0]!.eventId)).toBe(1);
    const { rows } = { rows: await server.store.query<{ status: string; resolved_by: string }>("SELECT status, resolved_by FROM conflicts WHERE office_code = 'AUE' AND id = $1", [onW2.id]) };
    expect(rows).toEqual([{ status: 'resolved', resolved_by: afterOnW1.resolvedBy!.eventId }]);
  }, 60_000);

  it('a withdrawn act stays withdrawn; redo is not offered once the case moved past the stage the act was made in', async () => {
    const c = await registered(s1);
    await s1('application.record', familyApplication(registry, 8, c.id));
    await w1.sync();
    await w2.sync();
    // W1 asks the information systems (a step: intake → is_check); W2 scans a page on the same version.
    await s1('intake.requestChecks', { caseId: c.id });
    await s2('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: 'a.png', base64: await documentPage() });
    await w1.sync();
    expect(await w2.sync()).toMatchObject({ conflicts: 1 });
    await w1.sync();
    const v = (await s2<ConflictView[]>('conflicts.list', {})).find((x) => x.caseId === c.id && x.status === 'open')!;
    expect(v.holding!.changes).toEqual([{ key: 'change.stage', params: { from: 'stage.intake', to: 'stage.is_check' } }]);
    expect(v.losing[0]!.changes).toEqual([{ key: 'change.pages_added', params: { count: 1 } }]);
    expect(v.options).toEqual(['withdraw']);
    expect(await errorOf(s2('conflicts.resolve', { conflictId: v.id, option: 'redo', note: '' }))).toMatchObject({ code: 'conflict.option_not_allowed' });
    // W1 has the scan the losing act names (pulled with the conflict), so a person there could look at it or redo it.
    const scan = (JSON.parse((JSON.parse(conflictById(w1.ctx.db, v.id)!.losing) as { payload: string }[])[0]!.payload) as { blob: string }).blob;
    expect(blobKnown(w1.ctx.db, scan)).toBe(true);
    // The page is not in the case on W2 any more (its tables follow the line).
    expect((await s2<{ pages: unknown[] }>('pages.list', { caseId: c.id })).pages).toEqual([]);
    const before = lineOn(w2, c.id);
    await s1<ConflictView>('conflicts.resolve', { conflictId: v.id, option: 'withdraw', note: 'Бет қайта сканерленеді' });
    await w1.sync();
    await w2.sync();
    expect((await s2<ConflictView[]>('conflicts.list', {})).find((x) => x.id === v.id)).toMatchObject({ status: 'resolved', resolution: 'withdrawn', resolvedBy: { name: 'Сейітқали Әйгерім' } });
    // Withdrawing adds one record (conflict.resolved) and nothing else to the line.
    expect(lineOn(w2, c.id).split(',')).toHaveLength(before.split(',').length + 1);
    expect(lineOn(w2, c.id)).toBe(await lineOnServer(c.id));
  }, 60_000);
});

describe('an act made while its workstation was pulling', () => {
  it('yields its place to the act pulled in the same round, and reaches the server as a conflict at the next', async () => {
    const c = await registered(s1);
    await w1.sync();
    await w2.sync();
    await s1('application.record', familyApplication(registry, 12, c.id));
    await w1.sync();
    // While W2's pull is on its way, its specialist records the application on the version she sees.
    let once = false;
    const meanwhile: typeof fetch = async (input, init) => {
      if (String(input).includes('/sync/v1/pull') && !once) {
        once = true;
        await s2('application.record', { ...familyApplication(registry, 12, c.id), registrationAddress: 'Алматы қ., Әуезов ауданы, 1-шағынаудан, 1' });
      }
      return fetch(input, init);
    };
    // The server's act takes the place on W2; W2's own leaves the line and waits, to be kept as the conflict.
    expect(await syncRound(w2.ctx, { fetch: meanwhile })).toMatchObject({ pulled: 1, conflicts: 1, waiting: 1 });
    expect(lineOn(w2, c.id)).toBe(await lineOnServer(c.id));
    expect((await s2<{ application: { registrationAddress: string } }>('application.get', { caseId: c.id })).application.registrationAddress).toBe(familyApplication(registry, 12, c.id).registrationAddress);
    // Before the next round she acts again, on the server's line now: that act goes through beside the conflict.
    await s2('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: 'a.png', base64: await documentPage() });
    expect(await w2.sync()).toMatchObject({ conflicts: 1, pushed: 1, refused: 0, waiting: 0 });
    expect(lineOn(w2, c.id)).toBe(await lineOnServer(c.id));
    await w1.sync();
    expect(lineOn(w1, c.id)).toBe(await lineOnServer(c.id));
    const v = (await s1<ConflictView[]>('conflicts.list', {})).find((x) => x.caseId === c.id)!;
    expect(v).toMatchObject({ status: 'open', losing: [expect.objectContaining({ actor: expect.objectContaining({ name: 'Қайратова Жанар' }) })] });
    expect(v.losing[0]!.changes[0]!.params!.address).toBe('Алматы қ., Әуезов ауданы, 1-шағынаудан, 1');
  }, 60_000);
});

describe('the same family taken on two workstations while apart', () => {
  it('keeps both cases, shows the conflict on both; resolved both ways at once, the first received stands and never both cases close', async () => {
    const iin = nthIin('880101', 4, 3);
    const first = await registered(s1, iin);
    const second = await registered(s2, iin);
    await w1.sync();
    const pushed = await w2.sync();
    expect(pushed).toMatchObject({ completed: true, refused: 0 });
    await w1.sync();
    const onW1 = (await s1<ConflictView[]>('conflicts.list', {})).find((x) => x.kind === 'same_family' && x.status === 'open')!;
    expect(onW1).toMatchObject({ caseId: second.id, otherCase: { caseId: first.id, caseNumber: first.caseNumber }, options: ['close_this', 'close_other'] });
    expect(onW1.holding!.changes[0]).toMatchObject({ key: 'change.case_opened', params: { caseNumber: first.caseNumber } });
    expect(onW1.losing[0]!.changes[0]).toMatchObject({ key: 'change.case_opened', params: { caseNumber: second.caseNumber } });
    // Both specialists resolve it while apart, each the other way: W1 closes the second case, W2 the first.
    await s1('conflicts.resolve', { conflictId: onW1.id, option: 'close_this', note: 'Бір отбасы' });
    await s2('conflicts.resolve', { conflictId: onW1.id, option: 'close_other', note: 'Бір отбасы' });
    await w1.sync();
    // The first resolution received stands; W2's, made on a conflict resolved meanwhile, is a conflict in its turn.
    expect(await w2.sync()).toMatchObject({ conflicts: 2 });
    const onW2 = (await s2<ConflictView[]>('conflicts.list', {})).find((x) => x.id === onW1.id)!;
    expect(onW2).toMatchObject({ status: 'resolved', resolution: 'closed_as_duplicate', resolvedBy: { name: 'Сейітқали Әйгерім' } });
    const closed = await s2<{ stage: string; deadlines: { stoppedOn: string | null }[] }>('cases.get', { caseId: second.id });
    expect(closed.stage).toBe('closed');
    expect(closed.deadlines.every((d) => d.stoppedOn !== null)).toBe(true);
    // The first case stays open on W2 (its tables follow the line), and never both are closed.
    expect((await s2<{ stage: string }>('cases.get', { caseId: first.id })).stage).toBe('intake');
    const late = (await s2<ConflictView[]>('conflicts.list', {})).find((x) => x.caseId === first.id && x.status === 'open')!;
    expect(late.losing.map((l) => l.type)).toEqual(['case.closed_as_duplicate', 'conflict.resolved']);
    expect(late.holding).toMatchObject({ type: 'conflict.resolved', caseId: second.id });
    expect(late.options).toEqual(['withdraw']);
    await s2('conflicts.resolve', { conflictId: late.id, option: 'withdraw', note: '' });
    await w2.sync();
    await w1.sync();
    expect((await s1<ConflictView[]>('conflicts.list', {})).filter((x) => x.id === late.id || x.id === onW1.id).map((x) => x.status)).toEqual(['resolved', 'resolved']);
    expect((await s1<{ stage: string }>('cases.get', { caseId: first.id })).stage).toBe('intake');
    expect(lineOn(w1, first.id)).toBe(await lineOnServer(first.id));
    expect(lineOn(w2, second.id)).toBe(await lineOnServer(second.id));
  }, 60_000);
});

describe('clock skew', () => {
  it('flags an act by the tolerance, never by less', () => {
    const serverNow = Date.parse('2026-12-01T06:00:00Z');
    const at = (ms: number) => ({ at: new Date(serverNow + ms).toISOString() });
    expect(flagsOf(at(4 * 60_000), { serverNow, deviceOffsetMs: 4 * 60_000, previousAt: null })).toEqual([]);
    expect(flagsOf(at(HOUR), { serverNow, deviceOffsetMs: HOUR, previousAt: null })).toEqual(['clock_ahead', 'clock_skewed']);
    // A device a day behind that dates an act in the server's future (its clock corrected): ahead too.
    expect(flagsOf(at(-23 * HOUR), { serverNow, deviceOffsetMs: -24 * HOUR, previousAt: null })).toEqual(['clock_ahead', 'clock_skewed']);
    // Made offline hours ago on a right clock: nothing to flag.
    expect(flagsOf(at(-5 * HOUR), { serverNow, deviceOffsetMs: 0, previousAt: new Date(serverNow - 6 * HOUR).toISOString() })).toEqual([]);
    expect(flagsOf(at(-5 * HOUR), { serverNow, deviceOffsetMs: 0, previousAt: new Date(serverNow - 4 * HOUR).toISOString() })).toEqual(['before_previous']);
  });

  it('a workstation an hour ahead and one a day behind sync in the server’s order; their acts are flagged, unchanged', async () => {
    const ahead = enrolledWorkstation(path.join(tmp.dir, 'w3'), pki.dir, 'AUE', 'W3', server.url, () => new Date(Date.now() + HOUR));
    const behind = enrolledWorkstation(path.join(tmp.dir, 'w4'), pki.dir, 'AUE', 'W4', server.url, () => new Date(Date.now() - 24 * HOUR));
    try {
      const onAhead = await signIn(ahead, pki.issue({ iin: '910101400017', surname: 'Әбенова', givenName: 'Гүлім' }));
      const onBehind = await signIn(behind, pki.issue({ iin: '920202300016', surname: 'Төлегенов', givenName: 'Бауыржан', notBefore: new Date(Date.now() - 48 * HOUR) }));
      const c = await registered(s1);
      await w1.sync();
      await ahead.sync();
      await behind.sync();
      await onAhead('application.record', familyApplication(registry, 9, c.id));
      await ahead.sync();
      await behind.sync();
      await onBehind('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: 'a.png', base64: await documentPage() });
      await behind.sync();
      await w1.sync();
      await ahead.sync();
      // The server's order is the order received, whatever the clocks said.
      const server_ = await server.store.query<{ seq: number; at: string; flags: string; hash: string }>("SELECT seq, at, flags, hash FROM events WHERE office_code = 'AUE' AND case_id = $1 ORDER BY server_seq", [c.id]);
      expect(server_.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(JSON.parse(server_[1]!.flags)).toEqual(['clock_ahead', 'clock_skewed']);
      expect(JSON.parse(server_[2]!.flags)).toEqual(['clock_skewed', 'before_previous']);
      expect(JSON.parse(server_[0]!.flags)).toEqual([]);
      // Unchanged: the signed time and hash are the device's own.
      expect(Date.parse(server_[1]!.at) - Date.now()).toBeGreaterThan(HOUR - 5 * 60_000);
      for (const ws of [w1, ahead, behind]) expect(lineOn(ws, c.id)).toBe(server_.map((e) => e.hash).join(','));
      // In the case's history: each act with its flags.
      const history = await s1<{ events: { seq: number; flags?: string[] }[] }>('cases.get', { caseId: c.id });
      expect(history.events.map((e) => e.flags ?? [])).toEqual([[], ['clock_ahead', 'clock_skewed'], ['clock_skewed', 'before_previous']]);
      // Shown: the flags on W1 (pulled), and the skew warning on the workstations whose clocks are off.
      const problems = await s1<SyncProblems>('sync.problems', {});
      expect(problems.flagged.filter((f) => f.caseId === c.id).map((f) => f.flags)).toEqual(expect.arrayContaining([['clock_ahead', 'clock_skewed'], ['clock_skewed', 'before_previous']]));
      expect((await onAhead<SyncStatusView>('sync.status', {})).clockSkewWarning).toBe(true);
      expect((await onBehind<SyncStatusView>('sync.status', {})).clockSkewWarning).toBe(true);
      expect((await s1<SyncStatusView>('sync.status', {})).clockSkewWarning).toBe(false);
      expect((await s1<SyncStatusView>('sync.status', {})).flagged).toBeGreaterThanOrEqual(2);
    } finally {
      ahead.ctx.db.close();
      behind.ctx.db.close();
    }
  }, 60_000);
});

describe('a push replayed', () => {
  /** A fetch that keeps the last push's body and answer. */
  const recorder = () => {
    const seen: { body: { events: unknown[] } | null; answer: PushResponse | null } = { body: null, answer: null };
    const f: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/sync/v1/push')) {
        seen.body = JSON.parse(Buffer.from(init!.body as Uint8Array).toString('utf8')) as { events: unknown[] };
        seen.answer = (await response.clone().json()) as PushResponse;
      }
      return response;
    };
    return { seen, f };
  };
  const count = async () =>
    (
      await server.store.query<{ e: number; c: number; s: number }>(
        "SELECT (SELECT count(*)::int FROM events WHERE office_code = 'AUE') AS e, (SELECT count(*)::int FROM conflicts WHERE office_code = 'AUE') AS c, (SELECT last::int FROM office_seq WHERE office_code = 'AUE') AS s",
      )
    )[0];

  it('is a no-op: the same results, nothing new on the server', async () => {
    const c = await registered(s1);
    await w1.sync();
    await w2.sync();
    await s1('application.record', familyApplication(registry, 10, c.id));
    await s2('application.record', familyApplication(registry, 11, c.id));
    const r1 = recorder();
    const r2 = recorder();
    await syncRound(w1.ctx, { fetch: r1.f });
    await syncRound(w2.ctx, { fetch: r2.f });
    expect(r1.seen.answer!.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(r2.seen.answer!.results).toEqual([expect.objectContaining({ status: 'conflict', reason: 'conflict', conflictId: expect.any(String) })]);
    const before = await count();
    // Each push sent again, as a new request of its own device.
    const again1 = (await syncClient(server.url, loadDevice(w1.ctx)!, () => new Date()).json<PushResponse>('POST', '/sync/v1/push', r1.seen.body)).value;
    const again2 = (await syncClient(server.url, loadDevice(w2.ctx)!, () => new Date()).json<PushResponse>('POST', '/sync/v1/push', r2.seen.body)).value;
    expect(again1.results).toEqual([{ id: r1.seen.answer!.results[0]!.id, status: 'duplicate', serverSeq: r1.seen.answer!.results[0]!.serverSeq }]);
    expect(again2.results).toEqual(r2.seen.answer!.results);
    expect(await count()).toEqual(before);

    // A hostile answer: the conflict's losing act with a signature that is not its own is refused whole, nothing kept.
    const conflictId = r2.seen.answer!.results[0]!.conflictId!;
    const tampering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/sync/v1/pull')) return response;
      const page = (await response.json()) as PullResponse;
      for (const x of page.conflicts ?? []) x.losing[0]!.signature = (page.events[0] ?? x.losing[0]!).signature.replace(/^..../, 'MIIB');
      return new Response(JSON.stringify(page), { status: response.status, headers: response.headers });
    };
    await syncRound(w1.ctx, { fetch: tampering });
    expect((await s1<SyncStatusView>('sync.status', {})).lastError).toMatchObject({ code: 'sync.hostile_answer' });
    expect(conflictById(w1.ctx.db, conflictId)).toBeNull();
    await w1.sync();
    expect(conflictById(w1.ctx.db, conflictId)).toMatchObject({ status: 'open', kind: 'same_version' });
  }, 60_000);
});
