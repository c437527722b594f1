/**
 * The crash test: the browser host runs as a real process while a
 * counter specialist takes applications (registers, records the application, imports pages, removes some), and is
 * killed with SIGKILL at seeded random moments, at least 20 times. After each kill it starts again on the same
 * data folder and tests/crash-harness.ts checks integrity, no acknowledged operation lost, none duplicated, no
 * orphan blob, and Verify case clean. As a client would, an operation whose answer never came is sent again only if
 * the log does not have it.
 */
import type Database from 'better-sqlite3';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/random';
import type { CaseVerification } from '../shared/contract/types';
import { checkFolder, lostAndDuplicated, startHost, type Answer, type Operation, type RunningHost } from './crash-harness';
import { nthIin, tempDir } from './helpers';

const KILLS = 22;
const tmp = tempDir('crash');
afterAll(() => tmp.remove());

/** A small page whose bytes no other page has (its colour and bar come from n). */
async function uniquePage(n: number): Promise<string> {
  const png = await sharp({ create: { width: 320, height: 220, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([{ input: { create: { width: 200, height: 12, channels: 3, background: { r: n % 251, g: (n * 7) % 253, b: 40 } } }, top: 20 + (n % 180), left: 40 }])
    .png()
    .toBuffer();
  return png.toString('base64');
}
const sha = async (base64: string) => (await import('node:crypto')).createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

interface CaseRef {
  iin: string;
  id: string | null;
  applied: boolean;
  pages: string[];
}

describe('kill -9 during intake', () => {
  it(`loses no acknowledged operation, duplicates none, leaves no orphan blob, and every case verifies, over ${KILLS} kills`, async () => {
    const started = performance.now();
    const random = seededRandom(20261201);
    const dataDir = path.join(tmp.dir, 'data');
    let host: RunningHost = await startHost(dataDir);
    expect((await host.call('demo.createOffice', {})).ok).toBe(true);
    const key = ((await host.call<{ p12Base64: string; password: string }>('demo.keyFile', { role: 'specialist' })) as { ok: true; value: { p12Base64: string; password: string } }).value;
    const signIn = async () => ((await host.call<{ token: string }>('session.signIn', { p12Base64: key.p12Base64, password: key.password })) as { ok: true; value: { token: string } }).value.token;

    type Op = Operation & { ref: CaseRef; send: (token: string) => Promise<Answer>; landed?: () => void };
    const ops: Op[] = [];
    const cases: CaseRef[] = [];
    let n = 0;
    const eventsLike = (db: Database.Database, type: string, text: string) => db.prepare('SELECT count(*) FROM case_events WHERE type = ? AND instr(payload, ?) > 0').pluck().get(type, text) as number;
    const caseOf = (db: Database.Database, iin: string) => (db.prepare('SELECT id FROM cases WHERE applicant_iin = ?').pluck().get(iin) as string | undefined) ?? null;

    /** The next act of the counter: a new applicant, the application, or a page (now and then a page removed). */
    async function nextOperation(): Promise<Op> {
      const id = ++n;
      const c = cases.at(-1);
      if (!c || !c.id || c.pages.length >= 4) {
        const iin = nthIin('850615', 3, 10 + cases.length);
        const ref: CaseRef = { iin, id: null, applied: false, pages: [] };
        cases.push(ref);
        const input = { iin, surname: 'Әбілқайыров', givenName: `Бала${id}`, birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
        return {
          id, kind: 'register', acknowledged: false, succeeded: false, ref,
          inLog: (db) => eventsLike(db, 'intake.registered', `"iin":"${iin}"`),
          send: async (token) => {
            const r = await host.call<{ case: { id: string } }>('cases.registerApplicant', input, token);
            if (r.ok) ref.id = r.value.case.id;
            return r;
          },
        };
      }
      const caseId = c.id;
      if (!c.applied) {
        const bank = `Банк-${id}`;
        const input = {
          caseId,
          identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
          registrationAddress: 'Алматы',
          bankAccount: { iban: 'KZ123456789012345678', bank },
          representative: null,
          members: [
            { id: 'm1', relation: 'applicant', iin: c.iin, surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', patronymic: '', birthDate: '1985-06-15' },
            { id: 'c1', relation: 'child', iin: nthIin('150722', 5, cases.length), surname: 'Әбілқайыров', givenName: 'Бала', patronymic: '', birthDate: '2015-07-22', birthRecord: { number: '1', date: '2015-07-30', registryOffice: 'АХАЖ', inKazakhstan: true } },
          ],
          income: [],
          applicantDataMatchBirthCertificates: true,
        };
        const ref = c;
        return {
          id, kind: 'application', acknowledged: false, succeeded: false, ref,
          landed: () => (ref.applied = true),
          inLog: (db) => eventsLike(db, 'application.recorded', `"bank":"${bank}"`),
          send: async (token) => {
            const r = await host.call('application.record', input, token);
            if (r.ok) ref.applied = true;
            return r;
          },
        };
      }
      if (c.pages.length === 3 && random() < 0.5) {
        const pageId = c.pages.pop()!;
        return { id, kind: 'remove', acknowledged: false, succeeded: false, ref: c, inLog: (db) => eventsLike(db, 'page.removed', pageId), send: (token) => host.call('pages.remove', { caseId, pageId }, token) };
      }
      const base64 = await uniquePage(id);
      const blob = await sha(base64);
      const ref = c;
      return {
        id, kind: 'import', acknowledged: false, succeeded: false, ref,
        inLog: (db) => eventsLike(db, 'page.captured', `"blob":"${blob}"`),
        send: async (token) => {
          const r = await host.call<{ pages: { pageId: string }[] }>('pages.import', { caseId, documentKind: 'application_form', fileName: `p${id}.png`, base64 }, token);
          if (r.ok) ref.pages.push(...r.value.pages.map((p) => p.pageId));
          return r;
        },
      };
    }

    /** Sends one operation; acknowledged only when its HTTP answer arrives. */
    async function send(op: Op, token: string): Promise<boolean> {
      try {
        const r = await op.send(token);
        op.acknowledged = true;
        op.succeeded = r.ok;
        if (!r.ok) throw new Error(`${op.kind}: ${JSON.stringify(r.error)}`);
      } catch (error) {
        if (op.acknowledged) throw error;
      }
      return op.acknowledged;
    }

    let kills = 0;
    let checked = 0;
    let resent = 0;
    let interrupted = 0;
    let token = await signIn();
    while (kills < KILLS) {
      // What the kill left unanswered: sent again only if the log does not have it (a client that reconnects).
      const db = new (await import('better-sqlite3')).default(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
      const unanswered = ops.filter((o) => !o.acknowledged);
      const again = unanswered.filter((o) => o.inLog(db) === 0);
      for (const o of unanswered.filter((x) => !again.includes(x))) {
        o.acknowledged = true;
        o.succeeded = true;
        o.landed?.();
      }
      for (const c of cases) if (!c.id) c.id = caseOf(db, c.iin);
      db.close();
      resent += again.length;
      for (const o of again) await send(o, token);
      // Then the counter works until the kill, at a seeded random moment.
      const delay = 80 + Math.floor(random() * 900);
      let alive = true;
      const timer = setTimeout(() => void host.kill9(), delay);
      void host.exited.then(() => (alive = false));
      while (alive) {
        const op = await nextOperation();
        ops.push(op);
        // No answer: the process is gone; nothing more is sent to it.
        if (!(await send(op, token))) break;
      }
      clearTimeout(timer);
      await host.exited;
      kills++;
      // The kill cut an operation short (its answer never came): the case the test is about.
      if (ops.some((o) => !o.acknowledged)) interrupted++;
      host = await startHost(dataDir);

      const folder = checkFolder(dataDir);
      expect(folder.integrity).toBe('ok');
      expect(folder.orphanRows).toEqual([]);
      expect(folder.missingOrChanged).toEqual([]);
      // The start removed what the killed writer left half-written.
      expect(folder.tmpFiles).toBe(0);
      const { lost, duplicated } = lostAndDuplicated(dataDir, ops);
      expect(lost.map((o) => `${o.kind} ${o.id}`)).toEqual([]);
      expect(duplicated.map((o) => `${o.kind} ${o.id}`)).toEqual([]);
      // Verify case for every case this round touched (the others did not change since they were verified).
      // The session of the next round checks this one (the killed process took its sessions with it).
      token = await signIn();
      const db2 = new (await import('better-sqlite3')).default(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
      for (const c of cases) if (!c.id) c.id = caseOf(db2, c.iin);
      db2.close();
      const touched = new Set([...again, ...ops.slice(checked)].map((o) => o.ref.id).filter((x): x is string => x !== null));
      checked = ops.length;
      for (const caseId of touched) {
        const v = (await host.call<CaseVerification>('cases.verify', { caseId }, token)) as { ok: true; value: CaseVerification };
        expect(v.ok).toBe(true);
        expect(v.value.problems, caseId).toEqual([]);
      }
    }
    // At the end, every case once more, whole.
    for (const c of cases.filter((x) => x.id)) expect(((await host.call<CaseVerification>('cases.verify', { caseId: c.id }, token)) as { ok: true; value: CaseVerification }).value.problems).toEqual([]);
    const folder = checkFolder(dataDir);
    await host.stop();
    const seconds = (performance.now() - started) / 1000;
    const answered = ops.filter((o) => o.acknowledged).length;
    console.log(JSON.stringify({ crash: { kills, interrupted, operations: ops.length, answered, resent, cases: folder.cases, events: folder.events, unnamedFiles: folder.unnamedFiles, seconds: Math.round(seconds * 10) / 10 } }));
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(interrupted).toBeGreaterThanOrEqual(KILLS / 2);
    expect(folder.cases).toBeGreaterThan(3);
  }, 150_000);
});
