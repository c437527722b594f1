/**
 * Conflicts, shown, never merged, with real parts: the central server in-process (Fastify over PGlite, or
 * PostgreSQL when DATABASE_URL is set), workstations of Әуезов with their own SQLite files and device keys, real CMS
 * signatures and real HTTP. Two workstations act on the same case version while apart; an act is made while its
 * workstation pulls; the same family is taken on two workstations.
 */
import { describe, expect, it } from 'vitest';
import type { ConflictView, SyncProblems, SyncStatusView } from '../shared/contract/types';
import { conflictById } from '../db/repositories/conflicts';
import { blobKnown } from '../db/repositories/blobs';
import { syncRound } from '../electron/services/sync/agent';
import { nthIin } from './helpers';
import { documentPage, familyApplication } from './intake-helpers';
import { errorOf, lineOn, twoWorkstations } from './conflicts-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const world = twoWorkstations('conflicts');

describe('two workstations act on the same case version while apart', () => {
  it('keeps both signed acts; the conflict shows on both; redone on W2 it shows resolved on W1; the line is equal everywhere', async () => {
    const { registry, server, w1, w2, s1, s2, lineOnServer, registered } = world;
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
    const { registry, w1, w2, s1, s2, lineOnServer, registered } = world;
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
    const { registry, w1, w2, s1, s2, lineOnServer, registered } = world;
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
    const { w1, w2, s1, s2, lineOnServer, registered } = world;
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
    const closed = caseDetailOf(await s2<CaseScreen>('cases.get', { caseId: second.id }));
    expect(closed.stage).toBe('closed');
    expect(closed.deadlines.every((d) => d.stoppedOn !== null)).toBe(true);
    // The first case stays open on W2 (its tables follow the line), and never both are closed.
    expect((caseDetailOf(await s2<CaseScreen>('cases.get', { caseId: first.id }))).stage).toBe('intake');
    const late = (await s2<ConflictView[]>('conflicts.list', {})).find((x) => x.caseId === first.id && x.status === 'open')!;
    expect(late.losing.map((l) => l.type)).toEqual(['case.closed_as_duplicate', 'conflict.resolved']);
    expect(late.holding).toMatchObject({ type: 'conflict.resolved', caseId: second.id });
    expect(late.options).toEqual(['withdraw']);
    await s2('conflicts.resolve', { conflictId: late.id, option: 'withdraw', note: '' });
    await w2.sync();
    await w1.sync();
    expect((await s1<ConflictView[]>('conflicts.list', {})).filter((x) => x.id === late.id || x.id === onW1.id).map((x) => x.status)).toEqual(['resolved', 'resolved']);
    expect((caseDetailOf(await s1<CaseScreen>('cases.get', { caseId: first.id }))).stage).toBe('intake');
    expect(lineOn(w1, first.id)).toBe(await lineOnServer(first.id));
    expect(lineOn(w2, second.id)).toBe(await lineOnServer(second.id));
  }, 60_000);
});
