/**
 * What the conflict and clock tests share: the central server in-process (Fastify over PGlite, or PostgreSQL when
 * DATABASE_URL is set), two workstations of Әуезов with their own SQLite files and device keys, a specialist signed
 * in on each, and a case's line read on a workstation and on the server.
 */
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { generateRegistry } from '../server/src/is-simulator/registry';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

export type Ws = ReturnType<typeof enrolledWorkstation>;
export type Call = <T>(method: string, input: unknown) => Promise<T>;
export const HOUR = 3_600_000;

export async function signIn(ws: Ws, p12: string): Promise<Call> {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: p12, password: 'pw' } })) as { ok: boolean; value: { token: string }; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const token = r.value.token;
  return async <T>(method: string, input: unknown): Promise<T> => {
    const res = (await ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
    if (!res.ok) throw Object.assign(new Error(`${method}: ${JSON.stringify(res.error)}`), { error: res.error });
    return res.value as T;
  };
}
export const errorOf = async (p: Promise<unknown>) => ((await p.then(() => null, (e: { error?: unknown }) => e)) as { error?: { code: string } } | null)?.error;

/** A case's line as hashes in order on a workstation, the acts refused as conflicts left out. */
export const lineOn = (ws: Ws, caseId: string) =>
  (ws.ctx.db.prepare('SELECT hash FROM case_events WHERE case_id = ? AND id NOT IN (SELECT event_id FROM event_refusals) ORDER BY seq').pluck().all(caseId) as string[]).join(',');

/** Sets up the server and W1, W2 before the file's tests (each with a specialist signed in) and takes them down after. */
export function twoWorkstations(name: string) {
  const tmp = tempDir(name);
  const w = {
    tmp,
    registry: generateRegistry(7, 120),
    pki: undefined as unknown as ReturnType<typeof makePki>,
    server: undefined as unknown as Awaited<ReturnType<typeof startServer>>,
    w1: undefined as unknown as Ws,
    w2: undefined as unknown as Ws,
    s1: undefined as unknown as Call,
    s2: undefined as unknown as Call,
  };
  beforeAll(async () => {
    w.pki = makePki(path.join(tmp.dir, 'pki'));
    w.server = await startServer(w.pki.dir, tmp.dir);
    w.w1 = enrolledWorkstation(path.join(tmp.dir, 'w1'), w.pki.dir, 'AUE', 'W1', w.server.url);
    w.w2 = enrolledWorkstation(path.join(tmp.dir, 'w2'), w.pki.dir, 'AUE', 'W2', w.server.url);
    w.s1 = await signIn(w.w1, w.pki.issue());
    w.s2 = await signIn(w.w2, w.pki.issue({ iin: '900512400026', surname: 'Қайратова', givenName: 'Жанар' }));
    // A busy machine (load about 25 when two of these files start at once) takes over a minute for this.
  }, 120_000);
  afterAll(async () => {
    for (const ws of [w.w1, w.w2]) ws?.ctx.db.close();
    await w.server?.close();
    tmp.remove();
  });

  /** The same case's line on the server. */
  const lineOnServer = async (caseId: string) => (await w.server.store.query<{ hash: string }>("SELECT hash FROM events WHERE office_code = 'AUE' AND case_id = $1 ORDER BY seq", [caseId])).map((r) => r.hash).join(',');

  let familyIndex = 0;
  /** A new applicant's case (an IIN of its own unless given). */
  async function registered(on: Call, iin?: string) {
    const i = familyIndex++;
    return (
      await on<{ case: { id: string; caseNumber: string } }>('cases.registerApplicant', {
        iin: iin ?? nthIin('850615', 3, 40 + i),
        surname: 'Қасымов',
        givenName: 'Арман',
        birthDate: '1985-06-15',
        address: 'Алматы',
        phone: '+77015551234',
        docLanguage: 'ru',
      })
    ).case;
  }
  return Object.assign(w, { lineOnServer, registered });
}
