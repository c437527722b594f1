/**
 * What the hardening tests share: a workstation on its own clock with a simulated PKI, the people who act, and a
 * folder's modes as read from the disk.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { ServicesContext } from '../electron/services/context';
import { makePki, makeWorkstation, tempDir } from './helpers';

export type Answer<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; params?: Record<string, string | number>; fieldErrors?: Record<string, string> } };
export const ADMIN = { iin: '820202300009', surname: 'Төлегенов', givenName: 'Болат', patronymic: 'Маратұлы' };
export const applicant = (iin: string, extra: Record<string, unknown> = {}) => ({ iin, surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk', ...extra });

/**
 * A test file's temporary folder (removed after its tests) and its workstations, each on its own clock, with
 * helpers to call as someone; one simulated PKI for all of them (a CA's keys take a second or two to make).
 */
export function hardeningStations(name: string) {
  const tmp = tempDir(name);
  afterAll(() => tmp.remove());
  let sharedPki: ReturnType<typeof makePki> | null = null;
  return { tmp, station: (station: string, limits?: Partial<ServicesContext['limits']>) => stationIn(tmp.dir, (sharedPki ??= makePki(path.join(tmp.dir, 'pki'))), station, limits) };
}

/** A workstation on its own clock, with helpers to call as someone. */
function stationIn(dir: string, pki: ReturnType<typeof makePki>, name: string, limits?: Partial<ServicesContext['limits']>) {
  // The certificates are issued now, real time: the clock starts there.
  let now = Date.now();
  const ws = makeWorkstation(path.join(dir, name, 'data'), pki.dir, () => new Date(now));
  Object.assign(ws.ctx.limits, limits);
  const call = <T>(method: string, input: unknown, session?: string) => ws.dispatch({ method, input, session }) as Promise<Answer<T>>;
  const ok = async <T>(method: string, input: unknown, session?: string) => {
    const r = await call<T>(method, input, session);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const signIn = async (p12Base64: string, password = 'pw') => (await ok<{ token: string }>('session.signIn', { p12Base64, password })).token;
  return { pki, ws, call, ok, signIn, tick: (ms: number) => (now += ms), now: () => now };
}

/** Every file and folder under `dir` (links not followed), with its mode. */
export function modes(dir: string): { rel: string; mode: number; folder: boolean }[] {
  const out: { rel: string; mode: number; folder: boolean }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      out.push({ rel: path.relative(dir, p), mode: st.mode & 0o777, folder: st.isDirectory() });
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}
