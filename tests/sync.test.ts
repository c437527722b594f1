/**
 * The central server and sync with real processes' parts in one: the server (Fastify over PGlite, or
 * PostgreSQL when DATABASE_URL is set), three workstations with their own SQLite files and device keys (W1 and W2
 * of Әуезов, W1 of Бостандық), real signatures, real HTTP.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, IssuedForm, JournalRow, SearchResult } from '../shared/contract/types';
import type { PushEvent } from '../shared/contract/push';
import { officeDate } from '../shared/local-date';
import { syncState } from '../electron/services/sync/agent';
import { syncCounts } from '../db/repositories/sync';
import { screenRows } from '../db/repositories/views';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { HEAD, makePki, tempDir } from './helpers';
import { acceptedCase, documentPage } from './intake-helpers';
import { ACT, CONCLUSION } from './case-flows';
import { enrolledWorkstation, startServer } from './server-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const tmp = tempDir('sync');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let w2: ReturnType<typeof enrolledWorkstation>;
let bos: ReturnType<typeof enrolledWorkstation>;
const registry = generateRegistry(7, 120);
type Ws = typeof w1;

async function signIn(ws: Ws, p12: string): Promise<string> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string }; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.token;
}
const as = (ws: Ws, token: string) => async <T>(method: string, input: unknown): Promise<T> => {
  const r = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  bos = enrolledWorkstation(path.join(tmp.dir, 'bos'), pki.dir, 'BOS', 'W1', server.url);
}, 120_000);
afterAll(async () => {
  for (const ws of [w1, w2, bos]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('a case taken at the counter on W1 is decided by the head on W2', () => {
  it('syncs the case, its scans and signatures; the head signs on W2; W1 delivers; both verify; another district sees nothing', async () => {
    const specialist = as(w1, await signIn(w1, pki.issue()));
    const { c, flagged } = await acceptedCase(specialist, w1.ctx, registry, 3);
    await specialist<JournalRow>('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
    await specialist<IssuedForm>('commission.refer', { caseId: c.id, precinctCode: 'AUE-01' });
    await specialist('pages.import', { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
    await specialist('commission.conclude', { caseId: c.id, act: ACT(officeDate(new Date())), conclusion: CONCLUSION });

    const told: PushEvent[] = [];
    const push = w1.ctx.push;
    w1.ctx.push = (e) => void told.push(e);
    const first = await w1.sync();
    w1.ctx.push = push;
    expect(first).toMatchObject({ completed: true, refused: 0, conflicts: 0, waiting: 0 });
    // The acknowledgement changes no act (the version stays) but the case's badge: the screens are told it is sync's.
    expect(told).toContainEqual({ type: 'case.changed', caseId: c.id, version: first.pushed, sync: true });
    expect(first.pushed).toBe((caseDetailOf(await specialist<CaseScreen>('cases.get', { caseId: c.id }))).version);
    expect(syncState(w1.ctx).enrolled).toMatchObject({ officeCode: 'AUE', workstationCode: 'W1' });
    expect(screenRows(w1.ctx.db, c.id).side.sync).toMatchObject({ pending: 0, refused: 0 });

    // W2 (the head's) receives it whole: events, scans, forms and the information system's answer.
    const pulled = await w2.sync();
    expect(pulled).toMatchObject({ completed: true, pulled: first.pushed, held: 0 });
    const head = as(w2, await signIn(w2, pki.issue({ role: 'head', ...HEAD })));
    const onW2 = caseDetailOf(await head<CaseScreen>('cases.get', { caseId: c.id }));
    expect(onW2).toMatchObject({ caseNumber: c.caseNumber, stage: 'conclusion_received' });
    expect((await head<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([]);

    // The specialist drafts on W1; the head signs the decision and the notification on W2.
    const eligible = (await specialist<{ eligible: boolean }>('decision.calculate', { caseId: c.id })).eligible;
    await specialist('decision.draft', { caseId: c.id, outcome: eligible ? 'assign' : 'refuse', refusalGrounds: [] });
    expect((await w1.sync()).pushed).toBe(1);
    expect((await w2.sync()).pulled).toBe(1);
    await head<IssuedForm>('decision.sign', { caseId: c.id, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    await head('session.unlock', { password: 'pw' });
    await head<IssuedForm>('notification.issue', { caseId: c.id });
    expect((await w2.sync()).pushed).toBe(2);
    expect((await w1.sync()).pulled).toBe(2);

    // W1 sees the signed decision and hands the notification over; W2 sees the case closed.
    expect((caseDetailOf(await specialist<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('decided');
    await specialist('notification.deliver', { caseId: c.id, method: 'in_person', handedTo: 'Өтініш берушінің өзі' });
    await w1.sync();
    await w2.sync();
    expect((caseDetailOf(await head<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('closed');
    for (const [ws, call] of [[w1, specialist], [w2, head]] as const) {
      expect((await call<CaseVerification>('cases.verify', { caseId: c.id })).problems, ws.ctx.dataDir).toEqual([]);
      expect(syncCounts(ws.ctx.db)).toEqual({ pending: 0, refused: 0, held: 0, conflicts: 0 });
    }
    const today = officeDate(new Date());
    expect((await head<JournalRow[]>('journal.list', { from: today, to: today }))[0]).toMatchObject({ caseId: c.id, decision: eligible ? 'assign' : 'refuse', notifiedOn: today });

    // Another district's workstation gets nothing of it.
    expect(await bos.sync()).toMatchObject({ completed: true, pulled: 0 });
    const bosToken = await signIn(bos, pki.issue({ officeCode: 'BOS' }));
    expect(((await as(bos, bosToken)<SearchResult>('cases.search', { query: '' })) as SearchResult).total).toBe(0);
  }, 180_000);
});

describe('two workstations acting on the same case version', () => {
  it('is a conflict: the server keeps the first, the other stays in its log marked refused, out of the case\'s line', async () => {
    const specialist1 = as(w1, await signIn(w1, pki.issue()));
    const specialist2 = as(w2, await signIn(w2, pki.issue({ iin: '900512400026', surname: 'Қайратова', givenName: 'Жанар' })));
    const c = (await specialist1<{ case: { id: string } }>('cases.registerApplicant', { iin: '850615300012', surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
    await w1.sync();
    await w2.sync();
    // Both record the application while apart, on the same version.
    const application = (await import('./intake-helpers')).familyApplication(registry, 7, c.id);
    await specialist1('application.record', application);
    await specialist2('application.record', { ...application, registrationAddress: 'Алматы қ., Бостандық ауданы' });
    expect((await w1.sync()).pushed).toBe(1);
    const lost = await w2.sync();
    expect(lost).toMatchObject({ completed: true, conflicts: 1, pulled: 1, waiting: 0 });
    // W2 follows the server's line; its own act is kept, signed, and shown as refused by conflict.
    const onW2 = await specialist2<{ application: { registrationAddress: string } }>('application.get', { caseId: c.id });
    expect(onW2.application.registrationAddress).toBe(application.registrationAddress);
    expect(syncCounts(w2.ctx.db)).toMatchObject({ refused: 1, conflicts: 1, pending: 0 });
    expect(w2.ctx.db.prepare('SELECT count(*) FROM case_events WHERE case_id = ?').pluck().get(c.id)).toBe(3);
    expect((await specialist2<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([]);
    const problems = await specialist2<{ refused: { caseId: string; error: { code: string } | null; outOfLine: string | null }[] }>('sync.problems', {});
    expect(problems.refused).toEqual([expect.objectContaining({ caseId: c.id, outOfLine: 'conflict', error: expect.objectContaining({ code: 'conflict' }) })]);
    // The next act on W2 is made on the server's version and goes through.
    await specialist2('application.record', application);
    expect(await w2.sync()).toMatchObject({ pushed: 1, conflicts: 0 });
  }, 120_000);
});

