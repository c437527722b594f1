/**
 * The staff register decides every role, on both sides: a person with no entry cannot sign in; the named first
 * administrator begins an empty register at their first sign-in and grants roles; a role ended on day D is refused
 * for acts from D on by the workstation's commit path and by the server at push; a genesis by anyone but the named
 * administrator is refused by the server. PGlite, and PostgreSQL when DATABASE_URL is set.
 */
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { SYNC_PROTOCOL, type PushResponse, type WireEvent } from '../shared/contract/sync-protocol';
import type { StaffPushResult } from '../shared/contract/staff-protocol';
import { errorMessage } from '../shared/i18n/messages';
import { officeDate, officeDayStart } from '../shared/local-date';
import { signEvents } from '../node/events';
import { signDetached } from '../node/pki/cms';
import { openKeyFile } from '../node/pki/keyfile';
import { readOffices } from '../node/pki/ca';
import { checkStaffAct, signStaffAct } from '../node/staff-acts';
import type { Signer } from '../node/pki/cms';
import { loadDevice } from '../electron/services/device';
import { syncClient } from '../electron/services/sync/client';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('staff-register');
const DAY = 24 * 3600_000;
const REGISTER_DAY = '2020-01-01';
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
/** The workstation's legal clock: moved by the tests (a role ended today must be held yesterday). */
let shift = 0;
let w1: ReturnType<typeof enrolledWorkstation>;
const today = () => officeDate(new Date());

type Ws = typeof w1;
async function dispatch(ws: Ws, method: string, input: unknown, session?: string) {
  return (await ws.dispatch({ method, input, session })) as { ok: boolean; value?: unknown; error?: { code: string; params?: Record<string, string | number> } };
}
async function signIn(ws: Ws, p12: string) {
  return dispatch(ws, 'session.signIn', { p12Base64: p12, password: 'pw' });
}
const client = (ws: Ws) => syncClient(server.url, loadDevice(ws.ctx)!, () => new Date());
const applicant = (n: number) => ({ iin: nthIin('850615', 3, n), surname: 'Әбілқайыров', givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' });

/** A case's opening event signed with a staff key at `at`, as a person's services would sign it. */
function opening(p12: string, at: Date, n: number): WireEvent[] {
  const key = openKeyFile(Buffer.from(p12, 'base64'), 'pw');
  const cert = new X509Certificate(key.chainPem[0]!);
  const certSha256 = createHash('sha256').update(cert.raw).digest('hex');
  const iin = /serialNumber=IIN(\d{12})/.exec(cert.subject)![1]!;
  const payload = { applicant: { ...applicant(n), patronymic: '' }, caseNumber: `AUE-W1-2026-${String(800000 + n).padStart(6, '0')}`, channel: 'district', rulesVersion: 'regulation-4-889-2013', officeCode: 'AUE', starts: [] };
  return signEvents(uuidv7(), { version: 0, headHash: null }, [{ id: uuidv7(), type: 'intake.registered', payload, at: at.toISOString() }], { iin, role: 'specialist', certSha256 }, (c) => signDetached(c, key)).map((e) => ({
    ...e,
    signature: e.signature.toString('base64'),
  }));
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url, () => new Date(Date.now() + shift));
  expect((await w1.sync()).completed).toBe(true);
}, 120_000);
afterAll(async () => {
  w1?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('sign-in takes the roles from the register', () => {
  it('refuses a person the register does not name, whatever the certificate carries, with a clear message', async () => {
    const key = pki.issue({ role: 'head', iin: nthIin('800101', 3, 1), surname: 'Тізімсіз', givenName: 'Адам', register: false });
    const r = await signIn(w1, key);
    expect(r).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
    expect(errorMessage('ru', r.error!)).toMatch(/нет в реестре сотрудников/);
    expect(errorMessage('kk', r.error!)).toMatch(/қызметкерлерінің тізілімінде жоқсыз/);
    expect(errorMessage('en', r.error!)).toMatch(/not in the office’s staff register/);
  });

  it('gives the register’s role, not the certificate’s', async () => {
    const iin = nthIin('800101', 3, 2);
    // The certificate says head; the administrator granted specialist.
    const key = pki.issue({ role: 'head', iin, surname: 'Маман', givenName: 'Әлия', register: false });
    pki.grant('AUE', iin, 'specialist', 'Маман Әлия');
    const session = await signIn(w1, key);
    expect(session).toMatchObject({ ok: true, value: { identity: { role: 'specialist', roles: ['specialist'] } } });
    // Verify case judges the signature's role by the register too: the head's mark on the certificate is not read.
    const token = (session.value as { token: string }).token;
    const made = await dispatch(w1, 'cases.registerApplicant', applicant(20), token);
    expect(made.ok).toBe(true);
    const caseId = (made.value as { case: { id: string } }).case.id;
    const verified = (await dispatch(w1, 'cases.verify', { caseId }, token)) as { ok: boolean; value: { valid: boolean; problems: string[]; events: { roleAllowed: boolean; signature: { signer: { role: string } } }[] } };
    expect(verified.value.problems).toEqual([]);
    expect(verified.value.valid).toBe(true);
    expect(verified.value.events[0]).toMatchObject({ roleAllowed: true, signature: { signer: { role: 'specialist' } } });
  });
});

describe('a role ended on day D is refused for acts from D on', () => {
  it('on the workstation: the commit path refuses the act; sign-in refuses the person from that day', async () => {
    const iin = nthIin('800101', 3, 3);
    // Valid since before yesterday: the certificate is not what is tested.
    // Ended from tomorrow (Almaty); the clock four minutes before its midnight, then four after (within one unlock of the key).
    const end = officeDate(new Date(Date.now() + DAY));
    const midnight = officeDayStart(end).getTime();
    const key = pki.issue({ iin, surname: 'Кетуші', givenName: 'Дана', registerTo: end, notBefore: new Date(Date.now() - 3 * DAY) });
    shift = midnight - 4 * 60_000 - Date.now();
    const session = await signIn(w1, key);
    expect(session.ok).toBe(true);
    const token = (session.value as { token: string }).token;
    expect((await dispatch(w1, 'cases.registerApplicant', applicant(1), token)).ok).toBe(true);
    shift = midnight + 4 * 60_000 - Date.now();
    const refused = await dispatch(w1, 'cases.registerApplicant', applicant(2), token);
    expect(refused).toMatchObject({ ok: false, error: { code: 'staff.no_role', params: { iin, role: 'role.specialist' } } });
    expect(errorMessage('ru', refused.error!)).toMatch(/нет роли «Специалист районного отдела»/);
    expect(errorMessage('kk', refused.error!)).toMatch(/рөлі жоқ/);
    expect(errorMessage('en', refused.error!)).toMatch(/does not hold the role/);
    expect(await signIn(w1, key)).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
    shift = 0;
  });

  it('on the server: an event of the day before is taken, one of day D is refused with no_role', async () => {
    const iin = nthIin('800101', 3, 4);
    const key = pki.issue({ iin, surname: 'Кетуші', givenName: 'Асқар', registerTo: today() });
    const push = async (events: WireEvent[]) => (await client(w1).json<PushResponse>('POST', '/sync/v1/push', { protocol: SYNC_PROTOCOL, events })).value.results;
    expect((await push(opening(key, new Date(Date.now() - DAY), 10)))[0]).toMatchObject({ status: 'applied' });
    expect((await push(opening(key, new Date(), 11)))[0]).toMatchObject({ status: 'refused', reason: 'no_role' });
    // Someone the register never named is refused the same way.
    const stranger = pki.issue({ iin: nthIin('800101', 3, 5), surname: 'Бөтен', givenName: 'Адам', register: false });
    expect((await push(opening(stranger, new Date(), 12)))[0]).toMatchObject({ status: 'refused', reason: 'no_role' });
  });
});

describe('the bootstrap and the administrator’s acts', () => {
  it('the server refuses a genesis by anyone but the named first administrator', async () => {
    const pretender = openKeyFile(Buffer.from(pki.issue({ role: 'admin', officeCode: 'BOS', iin: nthIin('800101', 3, 6), surname: 'Өзі', givenName: 'Атаған', register: false }), 'base64'), 'pw');
    const cert = new X509Certificate(pretender.chainPem[0]!);
    const act = signStaffAct({
      entry: { office: 'BOS', iin: nthIin('800101', 3, 6), role: 'admin', name: 'Өзі Атаған', from: '2020-01-01', to: null },
      at: new Date().toISOString(),
      signer: { iin: nthIin('800101', 3, 6), certSha256: createHash('sha256').update(cert.raw).digest('hex') },
      sign: (c) => signDetached(c, pretender),
    });
    const r = await client(w1).json<{ results: StaffPushResult[] }>('POST', '/sync/v1/staff/push', { protocol: SYNC_PROTOCOL, acts: [act] });
    expect(r.value.results).toEqual([{ id: act.id, status: 'refused', reason: 'genesis_not_named' }]);
    expect((await server.store.query<{ n: number }>("SELECT count(*)::int AS n FROM staff_register WHERE office_code = 'BOS'"))[0]!.n).toBe(0);
  });

  it('the named administrator begins the register at first sign-in, grants and ends a role; both reach the server and another workstation', async () => {
    const named = readOffices(pki.dir).find((o) => o.code === 'BOS')!.adminIin!;
    const bos = enrolledWorkstation(path.join(tmp.dir, 'bos'), pki.dir, 'BOS', 'B1', server.url);
    try {
      const specialist = pki.issue({ officeCode: 'BOS', iin: nthIin('800101', 3, 7), surname: 'Жаңа', givenName: 'Маман', register: false });
      expect(await signIn(bos, specialist)).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
      const admin = await signIn(bos, pki.issue({ role: 'admin', officeCode: 'BOS', iin: named, surname: 'Әкімші', givenName: 'BOS', register: false }));
      expect(admin).toMatchObject({ ok: true, value: { identity: { roles: ['admin'] } } });
      const token = (admin.value as { token: string }).token;
      // Only an administrator grants: the specialist's session may not.
      const grant = { iin: nthIin('800101', 3, 7), role: 'specialist', name: 'Жаңа Маман', from: '2020-01-01' };
      expect(await dispatch(bos, 'staff.grant', grant, token)).toMatchObject({ ok: true, value: { office: 'BOS', role: 'specialist', to: null } });
      const signedIn = await signIn(bos, specialist);
      expect(signedIn).toMatchObject({ ok: true, value: { identity: { roles: ['specialist'] } } });
      expect(await dispatch(bos, 'staff.grant', { ...grant, role: 'head' }, (signedIn.value as { token: string }).token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await dispatch(bos, 'staff.end', { iin: grant.iin, role: 'specialist', to: today() }, token)).toMatchObject({ ok: true, value: { to: today() } });
      expect(await signIn(bos, specialist)).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
      const listed = (await dispatch(bos, 'staff.list', {}, token)).value as { iin: string; role: string; to: string | null }[];
      expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ iin: named, role: 'admin', to: null }), expect.objectContaining({ iin: grant.iin, role: 'specialist', to: today() })]));
      // The sync carries the acts to the server, in the office's order.
      expect(await bos.sync()).toMatchObject({ completed: true, staff: { pushed: 3, refused: 0 } });
      const rows = await server.store.query<{ iin: string; role: string; to_date: string | null }>("SELECT iin, role, to_date FROM staff_register WHERE office_code = 'BOS' ORDER BY role");
      expect(rows).toEqual([{ iin: named, role: 'admin', to_date: null }, { iin: grant.iin, role: 'specialist', to_date: today() }]);
      // A second workstation of the office pulls the register: the ended role is ended there too.
      const b2 = enrolledWorkstation(path.join(tmp.dir, 'b2'), pki.dir, 'BOS', 'B2', server.url);
      expect(await b2.sync()).toMatchObject({ completed: true, staff: { pulled: 3, refused: 0 } });
      expect(await signIn(b2, specialist)).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
      b2.ctx.db.close();
    } finally {
      bos.ctx.db.close();
    }
  });
});

describe('the office’s order keeps the signer’s time honest', () => {
  const aueAdmin = () => {
    const admin = pki.adminOf('AUE');
    const cert = new X509Certificate(admin.chainPem[0]!);
    return { admin, iin: /serialNumber=IIN(\d{12})/.exec(cert.subject)![1]!, certSha256: createHash('sha256').update(cert.raw).digest('hex') };
  };
  const act = (by: { admin: Signer; iin: string; certSha256: string }, at: Date, entry: { iin: string; to?: string | null }, atText = at.toISOString()) =>
    signStaffAct({
      entry: { office: 'AUE', iin: entry.iin, role: 'specialist', name: 'Уақыт Тексеру', from: REGISTER_DAY, to: entry.to ?? null },
      at: atText,
      signer: { iin: by.iin, certSha256: by.certSha256 },
      sign: (c) => signDetached(c, by.admin, at),
    });
  const push = async (acts: unknown[]) => (await client(w1).json<{ results: StaffPushResult[] }>('POST', '/sync/v1/staff/push', { protocol: SYNC_PROTOCOL, acts })).value.results;

  it('the server refuses an act dated before the office’s latest, one dated ahead of its clock, and a role ended retroactively', async () => {
    const by = aueAdmin();
    const person = nthIin('800101', 3, 8);
    const yesterday = officeDate(new Date(Date.now() - DAY));
    // The same administrator's act dated now is taken: the refusals below are the time's, not the signer's.
    const now = Date.now();
    const honest = act(by, new Date(now), { iin: person });
    expect(await push([honest])).toEqual([{ id: honest.id, status: 'applied', seq: expect.any(Number) }]);
    const backdated = act(by, new Date(now - 1000), { iin: person, to: officeDate(new Date(now + DAY)) });
    const ahead = act(by, new Date(now + 2 * 3600_000), { iin: person });
    const retroactive = act(by, new Date(now + 1000), { iin: person, to: yesterday });
    expect(await push([backdated, ahead, retroactive])).toEqual([
      { id: backdated.id, status: 'refused', reason: 'dated_before_latest' },
      { id: ahead.id, status: 'refused', reason: 'dated_ahead' },
      { id: retroactive.id, status: 'refused', reason: 'end_before_act' },
    ]);
    expect(errorMessage('ru', { code: 'staff.refused', params: { reason: 'staff.refused.dated_before_latest' } })).toMatch(/раньше последней записи реестра/);
    expect(errorMessage('kk', { code: 'staff.refused', params: { reason: 'staff.refused.end_before_act' } })).toMatch(/өткен күнмен тоқтатуға болмайды/);
  });

  it('an administrator whose role has ended when the act reaches the server is refused; a time not in toISOString’s form is not an act', () => {
    const by = aueAdmin();
    const office = { bin: readOffices(pki.dir).find((o) => o.code === 'AUE')!.bin, kind: 'district' as const, namedAdminIin: null, latestAt: null };
    const tomorrow = officeDate(new Date(Date.now() + DAY));
    const register = [{ iin: by.iin, role: 'admin' as const, from: REGISTER_DAY, to: tomorrow }];
    const made = act(by, new Date(), { iin: nthIin('800101', 3, 9) });
    expect(checkStaffAct(made, w1.ctx.trust(), { ...office, register, receivedAt: new Date() })).toEqual({ ok: true });
    // Signed today while the role held, sent two days later: the role ended in between.
    expect(checkStaffAct(made, w1.ctx.trust(), { ...office, register, receivedAt: new Date(Date.now() + 2 * DAY) })).toEqual({ ok: false, reason: 'not_office_admin' });
    const loose = act(by, new Date(), { iin: nthIin('800101', 3, 9) }, new Date().toISOString().replace(/\.\d{3}Z$/, '+05:00'));
    expect(checkStaffAct(loose, w1.ctx.trust(), { ...office, register, receivedAt: new Date() })).toEqual({ ok: false, reason: 'payload_invalid' });
  });

  it('an act made here that the server refuses leaves nothing in this workstation’s register', async () => {
    const by = aueAdmin();
    // The workstation's clock runs two hours fast: the act is taken here, and refused by the server.
    shift = 2 * 3600_000;
    const session = await signIn(w1, pki.issue({ role: 'admin', iin: by.iin, surname: 'Әкімші', givenName: 'AUE', register: false }));
    expect(session).toMatchObject({ ok: true, value: { identity: { roles: ['admin'] } } });
    const person = nthIin('800101', 3, 11);
    const key = pki.issue({ iin: person, surname: 'Асығыс', givenName: 'Маман', register: false });
    const granted = await dispatch(w1, 'staff.grant', { iin: person, role: 'specialist', name: 'Асығыс Маман', from: REGISTER_DAY }, (session.value as { token: string }).token);
    expect(granted.error).toBeUndefined();
    expect(await signIn(w1, key)).toMatchObject({ ok: true, value: { identity: { roles: ['specialist'] } } });
    shift = 0;
    expect(await w1.sync()).toMatchObject({ completed: true, staff: { refused: 1 } });
    expect(await signIn(w1, key)).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
  });

  it('a Center’s register cannot make someone a district’s head: refused on the workstation and by the server', async () => {
    const iin = nthIin('800101', 3, 12);
    // The Center's administrator grants head in the Center's register (the PKI folder's staff acts file).
    const key = pki.issue({ role: 'head', officeCode: 'CON-AUE', iin, surname: 'Орталық', givenName: 'Басшы' });
    expect(await signIn(w1, key)).toMatchObject({ ok: false, error: { code: 'signin.not_in_register' } });
    expect(await w1.sync()).toMatchObject({ completed: true });
    expect((await server.store.query<{ n: number }>("SELECT count(*)::int AS n FROM staff_register WHERE office_code = 'CON-AUE' AND iin = $1", [iin]))[0]!.n).toBe(0);
    const admin = pki.adminOf('CON-AUE');
    const cert = new X509Certificate(admin.chainPem[0]!);
    const pushed = signStaffAct({
      entry: { office: 'CON-AUE', iin, role: 'head', name: 'Орталық Басшы', from: REGISTER_DAY, to: null },
      at: new Date().toISOString(),
      signer: { iin: /serialNumber=IIN(\d{12})/.exec(cert.subject)![1]!, certSha256: createHash('sha256').update(cert.raw).digest('hex') },
      sign: (c) => signDetached(c, admin),
    });
    expect(await push([pushed])).toEqual([{ id: pushed.id, status: 'refused', reason: 'role_not_of_office' }]);
    expect(errorMessage('ru', { code: 'staff.refused', params: { reason: 'staff.refused.role_not_of_office' } })).toMatch(/не назначает руководителя районного отдела/);
  });
});
