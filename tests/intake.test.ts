import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { blobPath } from '../electron/services/blob-store';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, IsStatus, IssuedForm, RegisterResult } from '../shared/contract/types';
import { sendDueRequests } from '../electron/services/information-systems';
import { officeDate } from '../shared/local-date';
import { makePki, makeWorkstation, tempDir } from './helpers';
import { counterWorkstation, documentPage, familyApplication, moveClock, REQUIRED_SCANS, startSimulator, useGateway } from './intake-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const tmp = tempDir('intake');
let pki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; fieldErrors?: Record<string, string> } };
const call = async <T>(method: string, input: unknown) => (await ws.dispatch({ method, input, session: token })) as Ok<T> | Err;
const ok = async <T>(method: string, input: unknown) => {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const pdfText = (base64: string, name: string) => {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
};

async function openCase(familyIndex: number, change: (a: ReturnType<typeof familyApplication>) => void = () => {}) {
  const family = sim.registry.families[familyIndex]!;
  const applicant = sim.registry.persons.get(family.applicant)!;
  const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: applicant.iin, surname: applicant.surname, givenName: applicant.givenName, patronymic: applicant.patronymic, birthDate: applicant.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
  const application = familyApplication(sim.registry, familyIndex, c.id);
  change(application);
  await ok('application.record', application);
  const page = await documentPage();
  for (const kind of REQUIRED_SCANS) await ok('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: page });
  return c;
}

beforeAll(async () => {
  counter = await counterWorkstation(tmp);
  ({ pki, ws, sim } = counter);
  token = await counter.signIn(pki.issue());
});
afterAll(() => counter.close());

describe('all confirmed: accepted, then the receipt', () => {
  it('asks the information systems about every member, stores the signed answer, accepts and prints the receipt', async () => {
    const c = await openCase(0);
    expect(await call('forms.issueReceipt', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'is.not_all_confirmed' } });
    await ok('intake.requestChecks', { caseId: c.id });
    expect((caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('is_check');
    expect((await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]).toMatchObject({ status: 'queued' });
    expect(await sendDueRequests(ws.ctx)).toBe(1);
    const status = (await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]!;
    expect(status).toMatchObject({ status: 'answered', allConfirmed: true, attempts: 1 });
    expect(status.answer!.subjects.length).toBe(2 + sim.registry.families[0]!.children.length);
    expect(status.answer!.subjects[0]!.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['surname', 'birthDate', 'address', 'bankAccount', 'income']));

    await ok('intake.accept', { caseId: c.id });
    expect((caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('completeness_check');
    // The answer the acceptance rested on is part of the case: changing one byte of it is found.
    const answerFile = blobPath(ws.ctx.dataDir, (ws.ctx.db.prepare('SELECT answer_sha256 AS a FROM is_requests WHERE case_id = ?').get(c.id) as { a: string }).a);
    const original = readFileSync(answerFile);
    const seq = (ws.ctx.db.prepare("SELECT seq FROM case_events WHERE case_id = ? AND type = 'is.all_confirmed'").get(c.id) as { seq: number }).seq;
    chmodSync(answerFile, 0o644);
    writeFileSync(answerFile, Buffer.concat([original.subarray(0, 10), Buffer.from('X'), original.subarray(11)]));
    expect((await ok<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([`answer:${seq}:blob_changed_or_missing`]);
    writeFileSync(answerFile, original);
    const receipt = await ok<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    expect(pdfText(receipt.pdfBase64, 'receipt.pdf')).toContain(c.caseNumber);
    expect((await ok<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([]);
  });
});

describe('the Center’s intake (item 11.2 stage 1)', () => {
  it('a Center specialist asks the information systems with her own key; the stage stays the Center’s intake', async () => {
    const center = await counter.signIn(pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна' }));
    const asCenter = async <T>(method: string, input: unknown) => {
      const r = (await ws.dispatch({ method, input, session: center })) as Ok<T> | { ok: false; error: unknown };
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    // A family no other test here opens: a family has one open application at a time.
    const family = sim.registry.families[7]!;
    const a = sim.registry.persons.get(family.applicant)!;
    const c = (await asCenter<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    await asCenter('application.record', familyApplication(sim.registry, 7, c.id));
    await asCenter('intake.requestChecks', { caseId: c.id });
    expect(await sendDueRequests(ws.ctx)).toBe(1);
    expect((await asCenter<IsStatus>('intake.status', { caseId: c.id })).requests[0]).toMatchObject({ status: 'answered', allConfirmed: true });
    const detail = caseDetailOf(await asCenter<CaseScreen>('cases.get', { caseId: c.id }));
    expect(detail.stage).toBe('center_intake');
    expect(detail.events.map((e) => e.type)).toContain('is.requested_at_center');
    expect((await asCenter<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([]);
  });
});

describe('a mismatch: the notice, then refusal after 3 working days', () => {
  it('prints the notice naming the mismatch with the deadline, refuses a refusal before it, and refuses acceptance after it', async () => {
    const c = await openCase(1, (a) => {
      a.members[0]!.surname = 'Басқаша';
    });
    await ok('intake.requestChecks', { caseId: c.id });
    await sendDueRequests(ws.ctx);
    const status = (await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]!;
    expect(status.allConfirmed).toBe(false);
    expect(status.answer!.subjects[0]!.fields.find((f) => f.field === 'surname')).toMatchObject({ result: 'mismatch' });
    expect(await call('intake.accept', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'is.not_all_confirmed' } });

    const notice = await ok<IssuedForm>('intake.notifyMismatch', { caseId: c.id });
    const text = pdfText(notice.pdfBase64, 'notice.pdf');
    expect(text).toContain('УВЕДОМЛЕНИЕ О ПРЕДСТАВЛЕНИИ ОРИГИНАЛОВ');
    expect(text).toContain('Басқаша');
    expect(text).toContain('не совпадает');
    const detail = caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }));
    expect(detail.stage).toBe('awaiting_originals');
    const due = detail.deadlines.find((d) => d.id === 'originals_and_consent')!.due;
    // Item 11.1 stage 2: 3 working days from the notice (today at the office), on the calendar.
    expect(due).toBe(ws.ctx.calendar().addWorkingDays(officeDate(ws.ctx.now()), 3));
    expect(text).toContain(due.split('-').reverse().join('.'));

    const before = (ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events WHERE case_id = ?').get(c.id) as { n: number }).n;
    expect(await call('intake.refuseAcceptance', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { event: 'workflow.guard.originals_overdue' } } });
    expect((ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events WHERE case_id = ?').get(c.id) as { n: number }).n).toBe(before);

    // The clock passes the third working day.
    process.env.JARDEM_TIME_TRAVEL = '1';
    const days = Math.round((Date.parse(due) - Date.parse(officeDate(new Date()))) / 86_400_000) + 1;
    await moveClock(counter, days);
    expect(await call('intake.originalsBrought', { caseId: c.id })).toMatchObject({ ok: false, error: { fieldErrors: { event: 'workflow.guard.originals_in_time' } } });
    const refusal = await ok<IssuedForm>('intake.refuseAcceptance', { caseId: c.id });
    expect(pdfText(refusal.pdfBase64, 'refusal.pdf')).toContain('Оригиналы и согласие на приведение сведений в соответствие не представлены в установленный срок');
    expect((caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }))).stage).toBe('refused_to_accept');
    expect((await ok<CaseVerification>('cases.verify', { caseId: c.id })).problems).toEqual([]);
    await moveClock(counter, 0);
  });

  it('brought in time: the reconciliation request goes the same day', async () => {
    const c = await openCase(2, (a) => {
      a.members[1]!.givenName = 'Басқа';
    });
    await ok('intake.requestChecks', { caseId: c.id });
    await sendDueRequests(ws.ctx);
    await ok('intake.notifyMismatch', { caseId: c.id });
    const corrected = familyApplication(sim.registry, 2, c.id);
    await ok('application.record', corrected);
    await ok('intake.originalsBrought', { caseId: c.id });
    await sendDueRequests(ws.ctx);
    const requests = (await ok<IsStatus>('intake.status', { caseId: c.id })).requests;
    expect(requests.map((r) => [r.purpose, r.allConfirmed])).toEqual([
      ['reconciliation', true],
      ['check', false],
    ]);
    await ok('intake.accept', { caseId: c.id });
  });
});

describe('an answer the counter may not rest on', () => {
  it('refuses an answer about an application changed since, and asks again', async () => {
    const c = await openCase(6);
    await ok('intake.requestChecks', { caseId: c.id });
    await sendDueRequests(ws.ctx);
    const changed = familyApplication(sim.registry, 6, c.id);
    changed.registrationAddress = `${changed.registrationAddress} `;
    await ok('application.record', changed);
    expect(await call('intake.accept', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'is.answer_outdated' } });
    await ok('intake.requestChecks', { caseId: c.id });
    expect(await call('intake.accept', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'is.not_answered' } });
    await sendDueRequests(ws.ctx);
    await ok('intake.accept', { caseId: c.id });
    const types = (await ok<CaseVerification>('cases.verify', { caseId: c.id })).events.map((e) => e.type);
    expect(types.filter((t) => t.startsWith('is.'))).toEqual(['is.requested', 'is.requested_again', 'is.all_confirmed']);
  });
});

describe('offline and bad answers', () => {
  it('queues while the server is unreachable, retries with the same request id, and is answered once', async () => {
    const c = await openCase(3);
    useGateway(ws.ctx, 'http://127.0.0.1:9');
    await ok('intake.requestChecks', { caseId: c.id });
    expect(await sendDueRequests(ws.ctx)).toBe(0);
    const waiting = (await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]!;
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.lastError).toMatch(/^network:/);
    expect(waiting.unreachable).toBe(true);
    // Not due again before its backoff.
    expect(await sendDueRequests(ws.ctx)).toBe(0);
    expect((await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]!.attempts).toBe(1);
    useGateway(ws.ctx, sim.url);
    ws.ctx.db.prepare("UPDATE is_requests SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE case_id = ?").run(c.id);
    const postsBefore = sim.posts.length;
    expect(await sendDueRequests(ws.ctx)).toBe(1);
    expect(await sendDueRequests(ws.ctx)).toBe(0);
    // Sent once to the gateway, under the id it was queued with.
    expect(sim.posts.slice(postsBefore)).toEqual([waiting.requestId]);
    expect((await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]).toMatchObject({ status: 'answered', attempts: 2, allConfirmed: true });
  });

  it('refuses a malformed answer and an unsigned one, storing no answer', async () => {
    for (const fault of ['malformed', 'unsigned'] as const) {
      const bad = await startSimulator(pki.dir, fault);
      useGateway(ws.ctx, bad.url);
      const c = await openCase(4 + (fault === 'malformed' ? 0 : 1));
      await ok('intake.requestChecks', { caseId: c.id });
      await sendDueRequests(ws.ctx);
      const r = (await ok<IsStatus>('intake.status', { caseId: c.id })).requests[0]!;
      expect(r).toMatchObject({ status: 'rejected', answer: null, unreachable: false, lastError: fault === 'malformed' ? 'is.answer_malformed' : 'is.answer_unsigned' });
      await bad.close();
    }
    useGateway(ws.ctx, sim.url);
  });
});
