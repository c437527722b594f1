/**
 * Reference data from the center with real parts: the central server (PostgreSQL or PGlite), three
 * workstations of two districts with their own SQLite files and device keys, real signatures, real HTTP. The city
 * department's administrator enters a correction on W1 of Әуезов; it reaches W2 and Бостандық's workstation at
 * their next sync. A revocation published by the PKI stops the key everywhere after the next sync. A reference act
 * not signed by the city's administrator is refused by the server, and by a workstation given it by a hostile server.
 */
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardList, CalendarCorrection, Precinct, ThresholdRow } from '../shared/contract/types';
import type { ReferencePushResponse } from '../shared/contract/reference-protocol';
import type { PullResponse } from '../shared/contract/sync-protocol';
import { SYNC_PROTOCOL } from '../shared/contract/sync-protocol';
import { DEADLINES } from '../shared/domain/deadlines';
import { errorMessage } from '../shared/i18n/messages';
import { openKeyFile } from '../node/pki/keyfile';
import { revoke } from '../node/pki/crl';
import { signDetached } from '../node/pki/cms';
import { signReferenceAct } from '../node/reference-acts';
import { syncClient } from '../electron/services/sync/client';
import { loadDevice } from '../electron/services/device';
import { referenceCursor } from '../electron/services/reference-sync';
import { readOffices } from '../node/pki/ca';
import { readWorkstation } from '../db/repositories/settings';
import { recordReferenceAct, referenceActKnown } from '../db/repositories/reference-acts';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const tmp = tempDir('reference-sync');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let w1: ReturnType<typeof enrolledWorkstation>;
let w2: ReturnType<typeof enrolledWorkstation>;
let bos: ReturnType<typeof enrolledWorkstation>;
type Ws = typeof w1;
let cityAdminKey: string;
let districtAdminKey: string;

async function signIn(ws: Ws, p12: string) {
  return (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value?: { token: string }; error?: { code: string; params?: Record<string, string> } };
}
async function as(ws: Ws, p12: string) {
  const r = await signIn(ws, p12);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return async <T>(method: string, input: unknown): Promise<T> => {
    const out = (await ws.dispatch({ method, input, session: r.value!.token })) as { ok: boolean; value?: T; error?: unknown };
    if (!out.ok) throw new Error(`${method}: ${JSON.stringify(out.error)}`);
    return out.value as T;
  };
}
const referenceCount = async () => Number((await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM reference_acts'))[0]!.n);

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
  w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
  bos = enrolledWorkstation(path.join(tmp.dir, 'bos'), pki.dir, 'BOS', 'W1', server.url);
  cityAdminKey = pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('820202', 3, 1), surname: 'Төлегенов', givenName: 'Болат' });
  districtAdminKey = pki.issue({ role: 'admin', iin: nthIin('790101', 3, 2), surname: 'Серіков', givenName: 'Нұрлан' });
  for (const ws of [w1, w2, bos]) expect((await ws.sync()).completed).toBe(true);
}, 120_000);
afterAll(async () => {
  for (const ws of [w1, w2, bos]) ws?.ctx.db.close();
  await server?.close();
  tmp.remove();
});

describe('a correction by the city department\'s administrator', () => {
  it('entered on W1 of one district reaches every workstation of the city; open cases keep their rules and due dates; the board flags the span', async () => {
    // An open case on W2 with a working-day deadline running: taken at the Center that serves the district.
    const specialist = await as(w2, pki.issue());
    const center = await as(w2, pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: nthIin('851120', 4, 1), surname: 'Иванова', givenName: 'Ольга' }));
    const c = (await center<{ case: { id: string } }>('cases.registerApplicant', { iin: nthIin('850615', 3, 4), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
    const before = caseDetailOf(await center<CaseScreen>('cases.get', { caseId: c.id }));
    const running = before.deadlines.find((d) => d.stoppedOn === null && d.due > d.startedOn && DEADLINES[d.id].unit === 'working_days');
    expect(running, JSON.stringify(before.deadlines)).toBeTruthy();
    // A working day inside its span becomes a day off (a transfer decree).
    let day = running!.startedOn;
    do day = w2.ctx.calendar().addWorkingDays(day, 1);
    while (day <= running!.startedOn);
    expect(day <= running!.due).toBe(true);

    // The district's own administrator changes only this workstation (the old way): no reference act.
    const districtAdmin = await as(w1, districtAdminKey);
    await expect(districtAdmin('reference.setPrecinct', { code: 'AUE-09', nameKk: 'х', nameRu: 'х', members: [{ name: 'А', role: 'chair' }], source: 'x' })).rejects.toThrow(/reference.not_city_admin/);

    // The city administrator signs in on W1 (a district's workstation) and enters three corrections.
    const city = await as(w1, cityAdminKey);
    const reason = 'Постановление Правительства РК № 999 (тест)';
    expect(await city<CalendarCorrection>('calendar.correctDay', { date: day, working: false, reason })).toMatchObject({ date: day, working: false });
    await city<ThresholdRow>('reference.setThreshold', { year: 2026, quarter: 4, tiyn: 4_321_000, source: 'Бюро национальной статистики, бюллетень № 12', sourceUrl: 'https://stat.gov.kz/' });
    const precinct = { code: 'AUE-09', nameKk: 'Әуезов ауданының №9 учаскелік комиссиясы', nameRu: 'Участковая комиссия №9 Ауэзовского района', members: [{ name: 'Әлиева Гүлнар', role: 'chair' as const }, { name: 'Омаров Қанат', role: 'secretary' as const }] };
    await city<Precinct>('reference.setPrecinct', { ...precinct, source: 'Решение акима района № 15 от 01.12.2026' });
    // A new Public Service Center for the district, in the offices of the city.
    const offices = [...readOffices(pki.dir), { code: 'CON-AUE2', kind: 'center' as const, serves: ['AUE'], nameKk: 'Әуезов ауданының №2 ХҚКО', nameRu: 'ЦОН №2 Ауэзовского района', bin: '130440009995' }];
    expect(await city<{ offices: number }>('reference.publishOffices', { offices, source: 'Приказ управления № 7 от 01.12.2026' })).toEqual({ offices: offices.length });
    const pushed = await w1.sync();
    expect(pushed).toMatchObject({ completed: true, reference: { pushed: 4, refused: 0 } });
    expect(await referenceCount()).toBe(4);

    // W2 (same district) and Бостандық's workstation get all three.
    for (const ws of [w2, bos]) {
      const r = await ws.sync();
      expect(r, ws.ctx.dataDir).toMatchObject({ completed: true, reference: { pulled: 4, refused: 0 } });
      expect(referenceCursor(ws.ctx)).toBe('4');
      expect(ws.ctx.calendar().isWorkingDay(day)).toBe(false);
    }
    const corrections = await specialist<CalendarCorrection[]>('calendar.corrections', {});
    expect(corrections).toContainEqual(expect.objectContaining({ date: day, working: false, reason }));
    expect((await specialist<ThresholdRow[]>('reference.thresholds', {})).find((t) => t.year === 2026 && t.quarter === 4)).toMatchObject({ tiyn: 4_321_000, mark: 'sourced', derivation: expect.stringContaining('бюллетень № 12') });
    expect(await specialist<Precinct[]>('reference.precincts', {})).toContainEqual(precinct);
    // W2 takes the new Center's staff from now on; Бостандық's workstation does not (it serves another district).
    expect(readWorkstation(w2.ctx.db)).toMatchObject({ acceptedBins: expect.arrayContaining(['130440009995']) });
    expect(readWorkstation(bos.ctx.db)!.acceptedBins).not.toContain('130440009995');

    // The open case keeps its rules version and its stored due dates; the board flags the span for a person.
    const after = caseDetailOf(await center<CaseScreen>('cases.get', { caseId: c.id }));
    expect(after.rulesVersion).toBe(before.rulesVersion);
    expect(after.deadlines).toEqual(before.deadlines);
    const head = await as(w2, pki.issue({ role: 'head', iin: nthIin('780304', 3, 1), surname: 'Жұмабеков', givenName: 'Ерлан' }));
    const board = await head<BoardList>('board.list', { limit: 500 });
    expect(board.rows.find((r) => r.caseId === c.id && r.deadline === running!.id)).toMatchObject({ due: running!.due, calendarChanged: true });

    // A second round moves nothing: the cursor holds.
    expect(await w2.sync()).toMatchObject({ reference: { pulled: 0, pushed: 0 } });
  }, 120_000);

  it('a workstation\'s long poll that begins after a new act of the city answers at once, so its round takes the act', async () => {
    const city = await as(w1, cityAdminKey);
    await city<CalendarCorrection>('calendar.correctDay', { date: '2026-12-28', working: false, reason: 'Постановление Правительства РК № 1000 (тест)' });
    expect(await w1.sync()).toMatchObject({ completed: true, reference: { pushed: 1 } });
    // Бостандық's workstation read the reference order before the act came, and now waits on its office's feed: the
    // act's wake-up went out before this poll began. The poll names the last act it has, and is answered at once
    // (not at its end, 25 s on).
    const known = referenceCursor(bos.ctx);
    const client = syncClient(server.url, loadDevice(bos.ctx)!, () => new Date());
    const { value: head } = await client.json<PullResponse>('GET', '/sync/v1/pull?cursor=0&limit=1000&wait=0');
    const answered = await client.json<PullResponse>('GET', `/sync/v1/pull?cursor=${head.cursor}&limit=10&wait=25&ref=${known}`, undefined, { timeoutMs: 15_000 });
    expect(answered.value.events).toEqual([]);
    // The round that follows takes it.
    expect(await bos.sync()).toMatchObject({ completed: true, reference: { pulled: 1 } });
    expect(bos.ctx.calendar().isWorkingDay('2026-12-28')).toBe(false);
    expect(await w2.sync()).toMatchObject({ completed: true, reference: { pulled: 1 } });
  });

  it('the server refuses a reference act not signed by the city department\'s administrator, and writes nothing', async () => {
    const device = loadDevice(w1.ctx)!;
    const client = syncClient(server.url, device, () => new Date());
    const key = openKeyFile(Buffer.from(districtAdminKey, 'base64'), 'pw');
    const cert = new X509Certificate(key.chainPem[0]!);
    const act = signReferenceAct({
      id: '01900000-0000-7000-8000-000000000001',
      kind: 'calendar',
      payload: { date: '2026-12-21', working: false, reason: 'самовольно' },
      source: { act: 'нет', date: '2026-12-01', assumed: true },
      at: new Date().toISOString(),
      signer: { iin: nthIin('790101', 3, 2), certSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase() },
      sign: (content) => signDetached(content, key),
    });
    const before = await referenceCount();
    const r = await client.json<ReferencePushResponse>('POST', '/sync/v1/reference/push', { protocol: SYNC_PROTOCOL, acts: [act] });
    expect(r.value.results).toEqual([{ id: act.id, status: 'refused', reason: 'not_city_admin' }]);
    // Changed after signing: its hash no longer holds.
    const tampered = { ...act, payload: act.payload.replace('2026-12-21', '2026-12-22') };
    expect((await client.json<ReferencePushResponse>('POST', '/sync/v1/reference/push', { protocol: SYNC_PROTOCOL, acts: [tampered] })).value.results[0]).toMatchObject({ status: 'refused', reason: 'hash_mismatch' });
    expect(await referenceCount()).toBe(before);
    // An administrator's certificate of the city department itself, but no entry in its staff register: refused.
    const unlistedKey = openKeyFile(Buffer.from(pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('820202', 3, 7), surname: 'Омаров', givenName: 'Ерік', register: false }), 'base64'), 'pw');
    const unlisted = signReferenceAct({
      id: '01900000-0000-7000-8000-000000000002',
      kind: 'calendar',
      payload: { date: '2026-12-21', working: false, reason: 'без записи в реестре' },
      source: { act: 'нет', date: '2026-12-01', assumed: true },
      at: new Date().toISOString(),
      signer: { iin: nthIin('820202', 3, 7), certSha256: new X509Certificate(unlistedKey.chainPem[0]!).fingerprint256.replace(/:/g, '').toLowerCase() },
      sign: (content) => signDetached(content, unlistedKey),
    });
    expect((await client.json<ReferencePushResponse>('POST', '/sync/v1/reference/push', { protocol: SYNC_PROTOCOL, acts: [unlisted] })).value.results).toEqual([{ id: unlisted.id, status: 'refused', reason: 'not_city_admin' }]);
    expect(await referenceCount()).toBe(before);
  });

  it('an act that came before its signer\'s entry in the city register is applied at the next sync; one by a person never listed stays refused', async () => {
    const sign = (keyBase64: string, iin: string, id: string, date: string) => {
      const key = openKeyFile(Buffer.from(keyBase64, 'base64'), 'pw');
      return signReferenceAct({
        id,
        kind: 'calendar',
        payload: { date, working: false, reason: 'поправка' },
        source: { act: 'Постановление № 1', date: '2026-12-01', assumed: false },
        at: new Date().toISOString(),
        signer: { iin, certSha256: new X509Certificate(key.chainPem[0]!).fingerprint256.replace(/:/g, '').toLowerCase() },
        sign: (content) => signDetached(content, key),
      });
    };
    const early = sign(cityAdminKey, nthIin('820202', 3, 1), '01900000-0000-7000-8000-000000000003', '2026-12-23');
    const unlistedIin = nthIin('820202', 3, 8);
    const never = sign(pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: unlistedIin, surname: 'Омаров', givenName: 'Ерік', register: false }), unlistedIin, '01900000-0000-7000-8000-000000000004', '2026-12-24');
    // As Бостандық's workstation kept them when they arrived before the entry that makes their signer the city's administrator.
    const at = new Date().toISOString();
    for (const [act, seq] of [[early, 90], [never, 91]] as const) {
      recordReferenceAct(bos.ctx.db, { id: act.id, kind: act.kind, act: JSON.stringify(act), state: 'refused', ref_seq: seq, reason: 'not_city_admin', origin: 'server', recorded_at: at });
    }
    expect(bos.ctx.calendar().isWorkingDay('2026-12-23')).toBe(true);
    expect((await bos.sync()).completed).toBe(true);
    expect(bos.ctx.calendar().isWorkingDay('2026-12-23')).toBe(false);
    expect(referenceActKnown(bos.ctx.db, early.id)).toMatchObject({ state: 'applied', reason: null });
    expect(referenceActKnown(bos.ctx.db, never.id)).toMatchObject({ state: 'refused', reason: 'not_city_admin' });
    expect(bos.ctx.calendar().isWorkingDay('2026-12-24')).toBe(true);
  });
});

describe('the CRL in the reference flow', () => {
  it('a key revoked at the PKI stops working on every workstation after its next sync, with a clear message', async () => {
    const key = pki.issue({ iin: nthIin('900512', 4, 7), surname: 'Нұрланова', givenName: 'Дана' });
    expect((await signIn(w2, key)).ok).toBe(true);
    expect((await signIn(w1, key)).ok).toBe(true);
    revoke(pki.dir, new X509Certificate(openKeyFile(Buffer.from(key, 'base64'), 'pw').chainPem[0]!).serialNumber, 'keyCompromise');
    // Before a sync the workstation knows nothing of it (offline, it keeps the last CRL it had).
    expect((await signIn(w2, key)).ok).toBe(true);
    for (const ws of [w1, w2]) {
      expect(await ws.sync()).toMatchObject({ completed: true, reference: { pulled: 1, refused: 0 } });
      const refused = await signIn(ws, key);
      expect(refused).toMatchObject({ ok: false, error: { code: 'signin.revoked' } });
      expect(errorMessage('kk', refused.error!)).toMatch(/кері қайтарылған/);
      expect(errorMessage('ru', refused.error!)).toMatch(/отозван/);
    }
    // Another key of the same office still signs in.
    expect((await signIn(w2, pki.issue({ iin: nthIin('900512', 4, 8), surname: 'Ахметова', givenName: 'Сая' }))).ok).toBe(true);
    // The same CRL is published once.
    await bos.sync();
    expect(Number((await server.store.query<{ n: number }>("SELECT count(*)::int AS n FROM reference_acts WHERE kind = 'crl'"))[0]!.n)).toBe(1);
  }, 60_000);
});
