/**
 * What the fault run and the kill loops share (tests/faults.test.ts): the acts a workstation takes, and how a
 * workstation's log is compared with the server's (the same events in the same places, nothing lost or twice,
 * every signature sound). The server's store and the PKI come in as parameters: the test file owns them.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import sharp from 'sharp';
import { eventOfWire } from '../shared/contract/sync-protocol';
import { checkSignedEvent } from '../node/events';
import { pkiTrust } from '../server/src/trust';
import type { Store } from '../server/src/store';
import { nthIin } from './helpers';

export type Wire = { id: string; case_id: string; seq: number; hash: string; type: string; payload: string };
type Dispatching = { dispatch: (request: { method: string; input: unknown; session?: string }) => Promise<unknown> };
export type Call = <T>(method: string, input: unknown) => Promise<T>;

/** An act the test made and got an answer for: `token` marks its event (an IIN, a bank name, a blob's hash). */
export interface Act {
  type: string;
  token: string;
}

/** A small page whose bytes no other page has. */
async function uniquePage(n: number): Promise<string> {
  const png = await sharp({ create: { width: 240, height: 160, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([{ input: { create: { width: 120, height: 10, channels: 3, background: { r: n % 251, g: Math.floor(n / 251) % 253, b: (n * 7) % 255 } } }, top: 10 + (n % 140), left: 20 + (n % 97) }])
    .png()
    .toBuffer();
  return png.toString('base64');
}

/** Signs in with a key file (password "pw") and answers a function that calls as that person. */
export async function signedIn(ws: Dispatching, p12: string): Promise<Call> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string }; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const token = r.value.token;
  return async <T>(method: string, input: unknown): Promise<T> => {
    const res = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
    if (!res.ok) throw new Error(`${method}: ${JSON.stringify(res.error)}`);
    return res.value as T;
  };
}

/** The inputs of a case's three acts; `n` makes every applicant, child, bank and page its own. */
export function caseInputs(n: number) {
  // A day of birth per 5000 people (the IIN's serial has four digits).
  const day = String(1 + Math.floor(n / 5000)).padStart(2, '0');
  const iin = nthIin(`8506${day}`, 3, n % 5000);
  const birthDate = `1985-06-${day}`;
  return {
    iin,
    register: { iin, surname: 'Әбілқайыров', givenName: `Нұрсұлтан${n}`, birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: n % 2 ? 'kk' : 'ru' },
    application: (caseId: string) => ({
      caseId,
      identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
      registrationAddress: 'Алматы қ., Әуезов ауданы',
      bankAccount: { iban: 'KZ123456789012345678', bank: `Банк-${n}` },
      representative: null,
      members: [
        { id: 'm1', relation: 'applicant', iin, surname: 'Әбілқайыров', givenName: `Нұрсұлтан${n}`, patronymic: '', birthDate },
        { id: 'c1', relation: 'child', iin: nthIin(`1507${day}`, 5, n % 5000), surname: 'Әбілқайыров', givenName: 'Бала', patronymic: '', birthDate: `2015-07-${day}`, birthRecord: { number: '1', date: '2015-07-30', registryOffice: 'АХАЖ', inKazakhstan: true } },
      ],
      income: [],
      applicantDataMatchBirthCertificates: true,
    }),
  };
}

/** Case `n`: the applicant registered and the application recorded, a scanned page too if `withPage`; each answered act noted. */
export async function actCase(call: Call, n: number, acts: Act[], withPage = false): Promise<void> {
  const inputs = caseInputs(n);
  const c = (await call<{ case: { id: string } }>('cases.registerApplicant', inputs.register)).case;
  acts.push({ type: 'intake.registered', token: `"iin":"${inputs.iin}"` });
  await call('application.record', inputs.application(c.id));
  acts.push({ type: 'application.recorded', token: `"bank":"Банк-${n}"` });
  if (!withPage) return;
  const page = await uniquePage(n);
  await call('pages.import', { caseId: c.id, documentKind: 'application_form', fileName: `p${n}.png`, base64: page });
  acts.push({ type: 'page.captured', token: createHash('sha256').update(Buffer.from(page, 'base64')).digest('hex') });
}

export type ServerRow = Wire & { server_seq: number; signature: Uint8Array; case_version: number; actor_iin: string; actor_role: string; actor_cert_sha256: string; at: string; prev_hash: string | null };

/** The server's log of an office, in its order. */
export async function serverLog(store: Store, office: string): Promise<ServerRow[]> {
  return store.query(
    'SELECT server_seq, id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash, signature FROM events WHERE office_code = $1 ORDER BY server_seq',
    [office],
  );
}
export const localLog = (d: Database.Database) => d.prepare('SELECT id, case_id, seq, hash, type, payload FROM case_events ORDER BY case_id, seq').all() as Wire[];
export const lineKey = (rows: readonly Wire[]) =>
  [...rows]
    .sort((a, b) => (a.case_id === b.case_id ? a.seq - b.seq : a.case_id < b.case_id ? -1 : 1))
    .map((r) => `${r.case_id}/${r.seq}/${r.id}/${r.hash}`)
    .join('\n');
export const countOf = (rows: readonly Wire[], act: Act) => rows.filter((r) => r.type === act.type && r.payload.includes(act.token)).length;

/** A workstation's lines that the server lacks, and the server's that the workstation lacks. */
export function lineDifference(local: readonly Wire[], server: readonly Wire[]) {
  const here = lineKey(local).split('\n');
  const there = lineKey(server).split('\n');
  return { onlyHere: here.filter((l) => !there.includes(l)), onlyOnServer: there.filter((l) => !here.includes(l)) };
}

/** The server's events whose signature does not verify with node:crypto against the PKI. */
export function badSignatures(server: readonly ServerRow[], pkiDir: string): string[] {
  const trust = pkiTrust(pkiDir).store();
  const wire = (e: ServerRow) =>
    eventOfWire({ id: e.id, caseId: e.case_id, seq: e.seq, caseVersion: e.case_version, type: e.type, payload: e.payload, actor: { iin: e.actor_iin, role: e.actor_role, certSha256: e.actor_cert_sha256 }, at: e.at, prevHash: e.prev_hash, hash: e.hash, signature: '' });
  return server.filter((e) => !checkSignedEvent(wire(e), Buffer.from(e.signature), trust).ok).map((e) => e.id);
}

/** What the server holds against one workstation's log: acknowledged events it lacks (or holds otherwise), and the server's log's own soundness. */
export async function compareAcked(store: Store, office: string, d: Database.Database) {
  // What was acknowledged first, then the server's log (read the other way, an event acknowledged in between would look lost).
  const acked = d.prepare("SELECT e.id, e.hash FROM event_sync s JOIN case_events e ON e.id = s.event_id WHERE s.state = 'acked'").all() as { id: string; hash: string }[];
  const server = await serverLog(store, office);
  const byId = new Map(server.map((e) => [e.id, e]));
  const lost = acked.filter((a) => byId.get(a.id)?.hash !== a.hash).map((a) => a.id);
  // One event per place in a case's line, each place from 1 without a gap, each id once.
  const places = new Map<string, number[]>();
  for (const e of server) places.set(e.case_id, [...(places.get(e.case_id) ?? []), e.seq]);
  const duplicated = [...places].filter(([, seqs]) => seqs.some((s, i) => s !== i + 1)).map(([c]) => c);
  return { lost, duplicated, server: server.length, acked: acked.length, distinctIds: byId.size };
}
