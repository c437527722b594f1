/**
 * The stored view of a case: the head's "Sign the decision" and every read the case screen makes after it need no
 * replay of the log; a view changed behind the commit path is named by Verify case, and the rebuild puts it back
 * byte for byte and says what differed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification } from '../shared/contract/types';
import { officeDate } from '../shared/local-date';
import { rebuildProjections } from '../db/rebuild';
import { dumpProjections } from '../db/repositories/projection';
import { logReplays } from '../db/repositories/views';
import { ACT, CONCLUSION, eligibleFamily } from './case-flows';
import { HEAD, tempDir } from './helpers';
import { acceptedCase, counterWorkstation, documentPage } from './intake-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

type Counter = Awaited<ReturnType<typeof counterWorkstation>>;
const caller = (counter: Counter, token: string) => async <T>(method: string, input: unknown): Promise<T> => {
  const r = (await counter.ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

describe('the stored view of a case', () => {
  const tmp = tempDir('case-view');
  let counter: Counter;
  let caseId = '';
  let okHead: ReturnType<typeof caller>;
  let ok: ReturnType<typeof caller>;
  beforeAll(async () => {
    counter = await counterWorkstation(tmp, { families: 120 });
    ok = caller(counter, await counter.signIn(counter.pki.issue()));
    okHead = caller(counter, await counter.signIn(counter.pki.issue({ role: 'head', ...HEAD })));
    const today = officeDate(counter.ws.ctx.now());
    const { c, flagged } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, eligibleFamily(counter));
    caseId = c.id;
    await ok('forms.issueReceipt', { caseId });
    await ok('journal.register', { caseId, scansCompared: true, flagsReviewed: [flagged.pageId] });
    await ok('commission.refer', { caseId, precinctCode: 'AUE-01' });
    await ok('pages.import', { caseId, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
    await ok('commission.conclude', { caseId, act: ACT(today), conclusion: CONCLUSION });
    await ok('decision.draft', { caseId, outcome: 'assign', refusalGrounds: [] });
  }, 180_000);
  afterAll(async () => {
    await counter.close();
  });

  it('the head’s decision and the case screen’s reads after it replay no log', async () => {
    const pushed: { version?: number }[] = [];
    const push = counter.ws.ctx.push;
    counter.ws.ctx.push = (e) => {
      if (e.type === 'case.changed' && e.caseId === caseId) pushed.push(e);
      push(e);
    };
    const seen = (caseDetailOf(await okHead<CaseScreen>('cases.get', { caseId }))).version;
    await okHead<CaseVerification>('cases.verify', { caseId });
    const before = logReplays.count();
    await okHead('decision.sign', { caseId, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    const detail = caseDetailOf(await okHead<CaseScreen>('cases.get', { caseId }));
    const v = await okHead<CaseVerification>('cases.verify', { caseId, sinceSeq: seen });
    for (const method of ['commission.status', 'decision.review', 'decision.calculate', 'application.get']) await okHead(method, { caseId });
    counter.ws.ctx.push = push;
    expect(logReplays.count() - before).toBe(0);
    expect(detail.version).toBe(seen + 1);
    expect(detail.stage).toBe('decided');
    // The push says which version the case is at: a screen holding it fetches nothing.
    expect(pushed.at(-1)?.version).toBe(detail.version);
    expect(v.valid).toBe(true);
    expect(v.checkedFrom).toBe(seen);
  });

  it('answers the stored view’s own text, its timeline the log’s acts; a view behind the line is replayed, not shown', async () => {
    const db = counter.ws.ctx.db;
    const before = logReplays.count();
    const screen = await okHead<CaseScreen>('cases.get', { caseId });
    expect(screen.view).toBe(db.prepare('SELECT state FROM case_views WHERE case_id = ?').pluck().get(caseId));
    expect(logReplays.count()).toBe(before);
    const log = db.prepare('SELECT id, seq, type, at, actor_iin AS actorIin, actor_role AS actorRole FROM case_events WHERE case_id = ? ORDER BY seq').all(caseId);
    expect(caseDetailOf(screen).events).toEqual(log);
    expect(caseDetailOf(screen).forms).toEqual(expect.arrayContaining(['receipt', 'commission_act']));
    // A view left behind its line (a version short of the last act): the screen shows what the log says.
    db.prepare('UPDATE case_views SET version = version - 1 WHERE case_id = ?').run(caseId);
    try {
      const replayed = await okHead<CaseScreen>('cases.get', { caseId });
      expect(logReplays.count()).toBe(before + 1);
      expect(caseDetailOf(replayed)).toEqual(caseDetailOf(screen));
    } finally {
      db.prepare('UPDATE case_views SET version = version + 1 WHERE case_id = ?').run(caseId);
    }
  });

  it('a view changed behind the commit path is named by Verify case; the rebuild puts it back and says so', async () => {
    const db = counter.ws.ctx.db;
    const clean = dumpProjections(db);
    const row = db.prepare('SELECT state FROM case_views WHERE case_id = ?').get(caseId) as { state: string };
    db.prepare('UPDATE case_views SET state = ? WHERE case_id = ?').run(row.state.replace('"decided"', '"drafted"'), caseId);
    const v = await ok<CaseVerification>('cases.verify', { caseId });
    expect(v.valid).toBe(false);
    expect(v.problems).toContain(`projection:case_views:${caseId}:differs`);
    const report = rebuildProjections(db);
    expect(report.differences).toEqual([{ table: 'case_views', onlyBefore: 1, onlyAfter: 1, examples: [caseId, caseId] }]);
    expect(dumpProjections(db)).toEqual(clean);
    expect((await ok<CaseVerification>('cases.verify', { caseId })).valid).toBe(true);
  });
});
