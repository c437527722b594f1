/**
 * The city's figures over the sync channel, with real parts: the central server (PGlite, and PostgreSQL in
 * scripts/test.sh's list) on real HTTP, two districts' workstations with their own SQLite files and device keys,
 * real signatures. The city department's administrator, signed in on a district's workstation, gets every district's
 * numbers, each cross-checked here against a count made in SQL; the server itself refuses a district person's signed
 * request, a stale or forged proof, an untrusted or revoked key, and a request without the device's signature;
 * offline, the workstation answers the last fetched figures with their time; an answer that is not a count (from a
 * hostile server on real HTTP) is refused and kept nowhere.
 */
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_REPORT_PATH, type CityReport } from '../shared/contract/city-report';
import { officeDate, officeDayStart } from '../shared/local-date';
import { errorMessage } from '../shared/i18n/messages';
import { openKeyFile } from '../node/pki/keyfile';
import { signDetached } from '../node/pki/cms';
import { revoke } from '../node/pki/crl';
import { PERSON_SIGNATURE_HEADER, signPersonProof, verifyPersonProof } from '../node/person-proof';
import { pkiTrust } from '../server/src/trust';
import { ServerError, syncClient } from '../electron/services/sync/client';
import { loadDevice } from '../electron/services/device';
import { readOffices } from '../node/pki/ca';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('city-report-route');
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;
let aue: ReturnType<typeof enrolledWorkstation>;
let bos: ReturnType<typeof enrolledWorkstation>;
type Ws = typeof aue;
let cityAdmin: string;
let districtAdmin: string;
let specialist: string;
const TODAY = officeDate(new Date());
const FROM = `${TODAY.slice(0, 4)}-01-01`;
const IINS: string[] = [];

type Out<T> = { ok: boolean; value?: T; error?: { code: string; params?: Record<string, string | number> } };
async function session(ws: Ws, p12: string) {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as Out<{ token: string }>;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return <T>(method: string, input: unknown) => ws.dispatch({ method, input, session: r.value!.token }) as Promise<Out<T>>;
}

/** The route called directly, signed by AUE W1's device, with `p12`'s person proof over `signedPath` (default: the path sent). */
async function ask(p12: string | null, opts: { at?: Date; signedPath?: (sent: string) => string; from?: string } = {}) {
  const at = opts.at ?? new Date();
  const sent = `${CITY_REPORT_PATH}?${new URLSearchParams({ from: opts.from ?? FROM, to: TODAY, at: at.toISOString() }).toString()}`;
  const key = p12 ? openKeyFile(Buffer.from(p12, 'base64'), 'pw') : null;
  const proof = key ? signPersonProof(opts.signedPath?.(sent) ?? sent, (c) => signDetached(c, key, at)) : null;
  const withProof: typeof fetch = (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(proof ? { [PERSON_SIGNATURE_HEADER]: proof } : {}) } });
  const client = syncClient(server.url, loadDevice(aue.ctx)!, () => new Date(), withProof);
  try {
    const { value } = await client.json<CityReport>('GET', sent);
    return { status: 200, code: null, value };
  } catch (error) {
    if (error instanceof ServerError) return { status: error.status, code: error.code, value: null };
    throw error;
  }
}

/** The figures as counted here, in SQL of this test's own, from the server's rows. */
async function countedInSql() {
  const fromAt = officeDayStart(FROM).toISOString();
  const acts = await server.store.query<{ office_code: string; type: string; outcome: string | null; n: number }>(
    `SELECT office_code, type, payload::jsonb #>> '{decision,outcome}' AS outcome, count(*)::int AS n FROM events WHERE at >= $1 GROUP BY 1, 2, 3`,
    [fromAt],
  );
  const deadlines = await server.store.query<{ office_code: string; missed: number; overdue: number }>(
    `SELECT office_code, count(*) FILTER (WHERE d ->> 'stoppedOn' BETWEEN $1 AND $2 AND (d -> 'met') = 'false'::jsonb)::int AS missed,
       count(*) FILTER (WHERE (d -> 'stoppedOn') = 'null'::jsonb AND d ->> 'due' < $2)::int AS overdue
     FROM cases, jsonb_array_elements(state::jsonb -> 'deadlines') d GROUP BY 1`,
    [FROM, TODAY],
  );
  const of = (office: string, type: string, outcome?: string) => acts.filter((a) => a.office_code === office && a.type === type && (outcome === undefined || a.outcome === outcome)).reduce((s, a) => s + Number(a.n), 0);
  return (office: string) => ({
    received: of(office, 'intake.registered') + of(office, 'center.intake_registered'),
    assigned: of(office, 'decision.signed', 'assign'),
    refused: of(office, 'decision.signed', 'refuse'),
    deadlinesMissed: Number(deadlines.find((d) => d.office_code === office)?.missed ?? 0),
    deadlinesOverdue: Number(deadlines.find((d) => d.office_code === office)?.overdue ?? 0),
  });
}

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir);
  aue = enrolledWorkstation(path.join(tmp.dir, 'aue'), pki.dir, 'AUE', 'W1', server.url);
  bos = enrolledWorkstation(path.join(tmp.dir, 'bos'), pki.dir, 'BOS', 'W1', server.url);
  cityAdmin = pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('750707', 4, 1), surname: 'Ахметова', givenName: 'Сәуле' });
  districtAdmin = pki.issue({ role: 'admin', iin: nthIin('820202', 3, 2), surname: 'Төлегенов', givenName: 'Болат' });
  specialist = pki.issue();
  // Three applications at Әуезов, two at Бостандық, registered at each district's counter and synced.
  for (const [ws, n, p12] of [[aue, 3, specialist], [bos, 2, pki.issue({ officeCode: 'BOS', iin: nthIin('900512', 4, 7) })]] as const) {
    const call = await session(ws, p12);
    for (let i = 0; i < n; i++) {
      const iin = nthIin('850615', 3, IINS.length + 10);
      IINS.push(iin);
      const r = await call('cases.registerApplicant', { iin, surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' });
      expect(r.ok, JSON.stringify(r.error)).toBe(true);
    }
    expect((await ws.sync()).completed).toBe(true);
  }
  // Decisions and a missed deadline at Бостандық, as the server keeps them (the state as the projection writes it).
  const at = new Date().toISOString();
  for (const [i, outcome] of ['assign', 'assign', 'refuse'].entries()) {
    await server.store.query(
      `INSERT INTO events (office_code, server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, hash, signature, device)
       VALUES ('BOS', $1, $2, $3, 9, 8, 'decision.signed', $4, '780304300003', 'head', 'x', $5, 'h', '\\x00', 'W1')`,
      [1000 + i, `d-${i}`, `c-${i}`, JSON.stringify({ decision: { outcome, refusalGrounds: [] } }), at],
    );
  }
  const deadlines = [
    { id: 'decision', startedOn: FROM, due: FROM, stoppedOn: TODAY, met: false },
    { id: 'commission', startedOn: FROM, due: TODAY, stoppedOn: TODAY, met: true },
    { id: 'delivery', startedOn: '2019-12-20', due: '2020-01-01', stoppedOn: null, met: null },
  ];
  await server.store.query(
    `INSERT INTO cases (office_code, case_id, case_number, channel, stage, version, head_hash, applicant_iin, state, updated_seq) VALUES ('BOS', 'c-0', 'BOS-1', 'district', 'closed', 9, 'h', $1, $2, 1000)`,
    [nthIin('850615', 3, 90), JSON.stringify({ case: {}, deadlines })],
  );
}, 180_000);
afterAll(async () => {
  for (const ws of [aue, bos]) ws?.ctx.db.close();
  await server?.close().catch(() => undefined);
  tmp.remove();
});

describe('the city department\'s administrator on a district\'s workstation', () => {
  it('gets every district\'s numbers, each as a count in SQL makes it, and no person\'s data', async () => {
    const call = await session(aue, cityAdmin);
    const r = await call<CityReport>('reports.city', { from: FROM, to: TODAY });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const report = r.value!;
    expect(report.offline).toBe(false);
    // Every district of the city, one with no case among them.
    expect(report.districts.map((d) => d.office)).toEqual(readOffices(pki.dir).filter((o) => o.kind === 'district').map((o) => o.code).sort());
    const counted = await countedInSql();
    for (const d of report.districts) expect({ received: d.received, assigned: d.assigned, refused: d.refused, deadlinesMissed: d.deadlinesMissed, deadlinesOverdue: d.deadlinesOverdue }, d.office).toEqual(counted(d.office));
    // Not trivially equal: the numbers differ between the districts.
    const figures = (office: string) => report.districts.find((d) => d.office === office)!;
    expect([figures('AUE'), figures('BOS')].map((d) => [d.received, d.assigned, d.refused, d.deadlinesMissed, d.deadlinesOverdue])).toEqual([[3, 0, 0, 0, 0], [2, 2, 1, 1, 1]]);
    expect(figures('AUE').nameRu).toMatch(/Ауэзов/);
    const text = JSON.stringify(report);
    for (const iin of IINS) expect(text).not.toContain(iin);
    expect(text).not.toContain('Қасымов');
  });
});

describe('the server refuses whoever is not the city\'s administrator', () => {
  it('answers the city\'s administrator\'s proof, and a district specialist\'s or a district administrator\'s valid proof gets 403', async () => {
    expect((await ask(cityAdmin)).status).toBe(200);
    expect(await ask(specialist)).toMatchObject({ status: 403, code: 'reports.not_city_admin' });
    expect(await ask(districtAdmin)).toMatchObject({ status: 403, code: 'reports.not_city_admin' });
  });

  it('takes the role from the city department\'s staff register: an administrator\'s certificate not in it, or whose role ended, gets 403', async () => {
    const unlisted = pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('750707', 4, 5), surname: 'Омарова', givenName: 'Гүлнар', register: false });
    expect(await ask(unlisted)).toMatchObject({ status: 403, code: 'reports.not_city_admin' });
    const leaving = pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('750707', 4, 6), surname: 'Нұрланова', givenName: 'Әсел' });
    expect((await ask(leaving)).status).toBe(200);
    // The city's administrator ends the role from today: the server refuses it from then on.
    pki.grant('ALMATY', nthIin('750707', 4, 6), 'admin', 'Нұрланова Әсел', undefined, officeDate(new Date()));
    expect(await ask(leaving)).toMatchObject({ status: 403, code: 'reports.not_city_admin' });
  });

  it('refuses a stale proof, a forged or missing one, a key of another PKI, and a proof without the device\'s signature', async () => {
    expect(await ask(cityAdmin, { at: new Date(Date.now() - 10 * 60_000) })).toMatchObject({ status: 401, code: 'reports.person_time' });
    // Signed for another period, sent for this one.
    expect(await ask(cityAdmin, { signedPath: (sent) => sent.replace(FROM, `${Number(FROM.slice(0, 4)) - 1}-01-01`) })).toMatchObject({ status: 401, code: 'reports.person_signature' });
    expect(await ask(null)).toMatchObject({ status: 401, code: 'reports.person_signature' });
    const other = makePki(path.join(tmp.dir, 'other-pki'));
    const stranger = other.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('750707', 4, 1), surname: 'Ахметова', givenName: 'Сәуле' });
    expect(await ask(stranger)).toMatchObject({ status: 403, code: 'reports.person_untrusted' });
    // The person's proof alone, no device: refused before it is read.
    const at = new Date().toISOString();
    const sent = `${CITY_REPORT_PATH}?${new URLSearchParams({ from: FROM, to: TODAY, at }).toString()}`;
    const key = openKeyFile(Buffer.from(cityAdmin, 'base64'), 'pw');
    const bare = await fetch(`${server.url}${sent}`, { headers: { [PERSON_SIGNATURE_HEADER]: signPersonProof(sent, (c) => signDetached(c, key, new Date(at))) } });
    expect(bare.status).toBeGreaterThanOrEqual(400);
    expect(bare.status).toBeLessThan(500);
    expect(JSON.stringify(await bare.json())).not.toContain('districts');
  });

  it('a revoked key of the city\'s administrator is refused', async () => {
    const revokedKey = pki.issue({ role: 'admin', officeCode: 'ALMATY', iin: nthIin('750707', 4, 2), surname: 'Сейітова', givenName: 'Дана' });
    expect((await ask(revokedKey)).status).toBe(200);
    revoke(pki.dir, new X509Certificate(openKeyFile(Buffer.from(revokedKey, 'base64'), 'pw').chainPem[0]!).serialNumber, 'keyCompromise');
    expect(await ask(revokedKey)).toMatchObject({ status: 403, code: 'reports.person_revoked' });
  });

  it('the workstation refuses the district\'s people itself, in kk and ru', async () => {
    const asSpecialist = await session(aue, specialist);
    expect((await asSpecialist('reports.city', { from: FROM, to: TODAY })).error?.code).toBe('forbidden');
    const asAdmin = await session(aue, districtAdmin);
    const r = await asAdmin('reports.city', { from: FROM, to: TODAY });
    expect(r.error?.code).toBe('reports.not_city_admin');
    expect(errorMessage('ru', r.error!)).toMatch(/администратор управления/);
    expect(errorMessage('kk', r.error!)).toMatch(/басқармасының әкімшісі/);
  });
});

describe('offline', () => {
  it('the last fetched figures come with their time, marked offline; never fetched, a clear message', async () => {
    const atAue = await session(aue, cityAdmin);
    const online = (await atAue<CityReport>('reports.city', { from: FROM, to: TODAY })).value!;
    await server.close();
    const r = await atAue<CityReport>('reports.city', { from: FROM, to: TODAY });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect(r.value).toEqual({ ...online, offline: true });
    const atBos = await session(bos, cityAdmin);
    const never = await atBos('reports.city', { from: FROM, to: TODAY });
    expect(never.error?.code).toBe('reports.city_never_fetched');
    expect(errorMessage('ru', never.error!)).toMatch(/Нет связи с сервером/);
  });
});

describe('a server that answers what is not a count', () => {
  it('is refused as a hostile answer and kept nowhere; the proof the workstation sent verifies over the very path it asked', async () => {
    const seen: { url: string; proof: ReturnType<typeof verifyPersonProof> }[] = [];
    const trust = pkiTrust(pki.dir).store();
    const hostile = createServer((req, res) => {
      const url = req.url ?? '';
      const signature = req.headers[PERSON_SIGNATURE_HEADER];
      seen.push({ url, proof: verifyPersonProof({ pathWithQuery: url, signatureBase64: typeof signature === 'string' ? signature : undefined, signedAt: new URL(url, 'http://x').searchParams.get('at') ?? undefined, trust, now: new Date() }) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ from: FROM, to: TODAY, computedAt: new Date().toISOString(), districts: [{ office: 'AUE', nameKk: 'x', nameRu: 'x', received: -5, assigned: 0, refused: 0, refusedToAccept: 0, deadlinesMissed: 0, deadlinesOverdue: 0, open: 0, iin: IINS[0] }] }));
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    const ws = enrolledWorkstation(path.join(tmp.dir, 'hostile'), pki.dir, 'AUE', 'W3', `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`);
    try {
      const call = await session(ws, cityAdmin);
      const r = await call('reports.city', { from: FROM, to: TODAY });
      expect(r.error?.code).toBe('sync.hostile_answer');
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]!.url.startsWith(`${CITY_REPORT_PATH}?from=${FROM}&to=${TODAY}&at=`)).toBe(true);
      expect(seen[0]!.proof).toMatchObject({ ok: true, person: { roles: ['admin'] } });
      // Nothing kept: without a server, nothing to show.
      await new Promise((r) => {
        hostile.close(r);
        hostile.closeAllConnections();
      });
      expect((await call('reports.city', { from: FROM, to: TODAY })).error?.code).toBe('reports.city_never_fetched');
    } finally {
      ws.ctx.db.close();
      if (hostile.listening) hostile.close();
    }
  });
});
