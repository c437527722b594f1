/**
 * The Center channel's world for its tests: the server, a Center workstation (CON-AUE) and the district's (AUE),
 * each with its own data folder and device, the people signed in; and the steps the tests take on them (the
 * Center's intake, the district's stages), the forms read back with pdftotext and their QR codes with zbarimg.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { IssuedForm, RegisterResult } from '../shared/contract/types';
import { officeDate } from '../shared/local-date';
import { calculateBenefit } from '../shared/domain/benefit';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { benefitTables } from '../electron/services/reference';
import { sendDueRequests } from '../electron/services/information-systems';
import { HEAD, makePki, tempDir } from './helpers';
import { documentPage, familyApplication, REQUIRED_SCANS } from './intake-helpers';
import { ACT, CONCLUSION } from './case-flows';
import { enrolledWorkstation, startServer } from './server-helpers';

export type Ws = ReturnType<typeof enrolledWorkstation>;
export const CENTER = { role: 'center' as const, officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна' };

async function signIn(ws: Ws, p12: string): Promise<string> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string }; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.token;
}
export const as = (ws: Ws, token: string) => async <T>(method: string, input: unknown): Promise<T> => {
  const r = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
};
/** The typed error of a call that must fail, and the case's version after it (nothing written). */
export const refusal = (ws: Ws, token: string) => async (method: string, input: unknown) => {
  const r = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; error?: { code: string; params?: Record<string, string | number>; fieldErrors?: Record<string, string> } };
  expect(r.ok, method).toBe(false);
  return r.error!;
};
export const version = (ws: Ws, caseId: string) => ws.ctx.db.prepare('SELECT count(*) FROM case_events WHERE case_id = ?').pluck().get(caseId) as number;

/** Sets the world up before the file's tests (one server, two workstations) and takes it down after them. */
export function centerWorld() {
  const tmp = tempDir('center');
  const shots = path.resolve('test-results', 'screens-13');
  mkdirSync(shots, { recursive: true });
  const registry = generateRegistry(7, 120);
  const w = {
    tmp,
    registry,
    pki: undefined as unknown as ReturnType<typeof makePki>,
    server: undefined as unknown as Awaited<ReturnType<typeof startServer>>,
    con: undefined as unknown as Ws,
    aue: undefined as unknown as Ws,
    centerToken: '',
    specialistToken: '',
    headToken: '',
  };
  beforeAll(async () => {
    w.pki = makePki(path.join(tmp.dir, 'pki'));
    w.server = await startServer(w.pki.dir, tmp.dir);
    w.con = enrolledWorkstation(path.join(tmp.dir, 'con'), w.pki.dir, 'CON-AUE', 'W1', w.server.url);
    w.aue = enrolledWorkstation(path.join(tmp.dir, 'aue'), w.pki.dir, 'AUE', 'W1', w.server.url);
    await w.con.sync();
    await w.aue.sync();
    w.centerToken = await signIn(w.con, w.pki.issue(CENTER));
    w.specialistToken = await signIn(w.aue, w.pki.issue());
    w.headToken = await signIn(w.aue, w.pki.issue({ role: 'head', ...HEAD }));
  }, 120_000);
  afterAll(async () => {
    for (const ws of [w.con, w.aue]) ws?.ctx.db.close();
    await w.server?.close();
    tmp.remove();
  });

  /** A family of the registry, not in `skip`, whose benefit is `eligible` with a counted child. */
  function familyOf(eligible: boolean, skip: Set<number>): number {
    const tables = benefitTables(w.aue.ctx.db);
    const today = officeDate(new Date());
    for (let i = 0; i < registry.families.length; i++) {
      if (skip.has(i)) continue;
      const a = familyApplication(registry, i, '00000000-0000-7000-8000-000000000000');
      const r = calculateBenefit({ applicationDate: today, region: 'almaty', members: a.members.map((m) => ({ id: m.id, name: m.surname, relation: m.relation, birthDate: m.birthDate })), income: a.income }, tables);
      if (r.eligible === eligible && r.explanation.children.some((c) => c.counted)) return skip.add(i), i;
    }
    throw new Error('no family');
  }

  function pdfText(form: IssuedForm, name: string): string {
    const file = path.join(shots, `${name}.pdf`);
    writeFileSync(file, Buffer.from(form.pdfBase64, 'base64'));
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', file, path.join(shots, name)]);
    return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  }

  /** The QR code of a form saved by pdfText, as a reader's camera would decode it. */
  function qrOf(name: string): string {
    const file = path.join(shots, `${name}.pdf`);
    execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', file, path.join(tmp.dir, `${name}-qr`)]);
    return execFileSync('zbarimg', ['-q', '--raw', path.join(tmp.dir, `${name}-qr-1.png`)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').trim();
  }

  /** The Center's intake, as today: applicant, application, scans, the information systems asked, the қолхат. */
  async function centerIntake(center: ReturnType<typeof as>, index: number, docLanguage: 'kk' | 'ru', without: string[] = []) {
    const a = registry.persons.get(registry.families[index]!.applicant)!;
    const c = (await center<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage })).case;
    await center('application.record', familyApplication(registry, index, c.id));
    const page = await documentPage();
    for (const kind of REQUIRED_SCANS.filter((k) => !without.includes(k))) await center('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: page });
    await center('intake.requestChecks', { caseId: c.id });
    await sendDueRequests(w.con.ctx);
    const receipt = await center<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    return { c, receipt };
  }

  /** The district's stages after acceptance: registration, commission, draft, the head's decision and notification, passed to the Center. */
  async function districtStages(caseId: string, outcome: 'assign' | 'refuse') {
    const specialist = as(w.aue, w.specialistToken);
    const head = as(w.aue, w.headToken);
    const flagged = w.aue.ctx.db.prepare("SELECT page_id FROM case_pages WHERE case_id = ? AND removed = 0 AND quality <> '[]'").pluck().all(caseId) as string[];
    await specialist('journal.register', { caseId, scansCompared: true, flagsReviewed: flagged });
    await specialist('commission.refer', { caseId, precinctCode: 'AUE-01' });
    await specialist('pages.import', { caseId, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
    await specialist('commission.conclude', { caseId, act: ACT(officeDate(new Date())), conclusion: CONCLUSION });
    await specialist('decision.draft', { caseId, outcome, refusalGrounds: [] });
    await head('decision.sign', { caseId, documentsMatchPaper: true, qualityFlagsResolved: true, calculationMatches: true });
    await head('session.unlock', { password: 'pw' });
    await head('notification.issue', { caseId });
    await specialist('notification.deliver', { caseId, method: 'center' });
  }

  return Object.assign(w, { familyOf, pdfText, qrOf, centerIntake, districtStages });
}
