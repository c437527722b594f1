/**
 * The server's order whatever the clocks say, and a push sent twice, with real parts: the central server in-process
 * (Fastify over PGlite, or PostgreSQL when DATABASE_URL is set), workstations of Әуезов with their own SQLite files
 * and device keys, real CMS signatures and real HTTP. Workstations an hour ahead and a day behind sync; a push is
 * replayed, and a pull's answer is tampered with.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncProblems, SyncStatusView } from '../shared/contract/types';
import { flagsOf, type PullResponse, type PushResponse } from '../shared/contract/sync-protocol';
import { conflictById } from '../db/repositories/conflicts';
import { syncClient } from '../electron/services/sync/client';
import { loadDevice } from '../electron/services/device';
import { syncRound } from '../electron/services/sync/agent';
import { documentPage, familyApplication } from './intake-helpers';
import { enrolledWorkstation } from './server-helpers';
import { HOUR, lineOn, signIn, twoWorkstations } from './conflicts-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const world = twoWorkstations('clock-skew-replay');

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
    const { tmp, registry, pki, server, w1, s1, registered } = world;
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
      const history = caseDetailOf(await s1<CaseScreen>('cases.get', { caseId: c.id }));
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
      await world.server.store.query<{ e: number; c: number; s: number }>(
        "SELECT (SELECT count(*)::int FROM events WHERE office_code = 'AUE') AS e, (SELECT count(*)::int FROM conflicts WHERE office_code = 'AUE') AS c, (SELECT last::int FROM office_seq WHERE office_code = 'AUE') AS s",
      )
    )[0];

  it('is a no-op: the same results, nothing new on the server', async () => {
    const { registry, server, w1, w2, s1, s2, registered } = world;
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
