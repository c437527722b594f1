/**
 * Sign-in by challenge through NCALayer (the simulator over real wss): the AUTH key proves the person, the services
 * check the CMS and the certificate, and a signing key, a cancelled dialog or an absent service sign no one in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSimKeys } from '../node/ncalayer-sim/keys';
import { startNcalayerSim, type NcalayerSim } from '../node/ncalayer-sim/server';
import { makePki, makeWorkstation, SPECIALIST, tempDir } from './helpers';

const tmp = tempDir('ncalayer-signin');
let ws: ReturnType<typeof makeWorkstation>;
let sim: NcalayerSim;
const PORT = 5500 + Math.floor(Math.random() * 20);

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  const keys = path.join(tmp.dir, 'keys');
  mkdirSync(keys);
  writeFileSync(path.join(keys, 'RSA256_specialist.p12'), Buffer.from(pki.issue(), 'base64'));
  writeFileSync(path.join(keys, 'AUTH_RSA256_specialist.p12'), Buffer.from(pki.issue({ usage: 'auth' }), 'base64'));
  sim = await startNcalayerSim({ port: PORT, keys: loadSimKeys(keys, 'pw') });
  writeFileSync(path.join(tmp.dir, 'ncalayer-ca.pem'), sim.caPem);
  process.env.JARDEM_NCALAYER_URL = sim.url;
  process.env.JARDEM_NCALAYER_CA = path.join(tmp.dir, 'ncalayer-ca.pem');
}, 60_000);
afterAll(async () => {
  delete process.env.JARDEM_NCALAYER_URL;
  delete process.env.JARDEM_NCALAYER_CA;
  await sim?.stop();
  ws.ctx.db.close();
  tmp.remove();
});

const signIn = () => ws.dispatch({ method: 'session.signInNcalayer', input: { storage: 'PKCS12' } });
const codeOf = (r: Awaited<ReturnType<typeof signIn>>) => (r.ok ? 'ok' : r.error.code);

describe('sign-in by challenge through NCALayer', () => {
  it('signs the person in with the AUTH key, without holding any key', async () => {
    sim.script = { outcomes: [], removed: [] };
    const r = await signIn();
    expect(r.ok ? 'ok' : r.error).toBe('ok');
    if (!r.ok) return;
    const v = r.value as { token: string; identity: { iin: string; role: string } };
    expect(v.identity).toMatchObject({ iin: SPECIALIST.iin, role: 'specialist' });
    const session = ws.ctx.sessions.get(v.token)!;
    expect(session.keySource).toBe('ncalayer');
    expect(session.unlocked).toBeNull();
    const current = await ws.dispatch({ method: 'session.current', input: {}, session: v.token });
    expect(current.ok).toBe(true);
    // NCALayer asks for its key's password itself: a password typed here would open nothing.
    const unlock = await ws.dispatch({ method: 'session.unlock', input: { password: 'pw' }, session: v.token });
    expect(unlock.ok ? 'ok' : unlock.error.code).toBe('keys.ncalayer_asks');
  });

  it('refuses a signing key picked for a sign-in, a cancelled dialog and an absent service', async () => {
    // The person picks their RSA256_… (signing) file in NCALayer's dialog although an AUTH key was asked for.
    sim.script = { outcomes: [], removed: [], choose: 'RSA256_specialist.p12' };
    const before = ws.ctx.sessions.size;
    const picked = await signIn();
    expect(codeOf(picked)).toBe('keys.wrong_usage');
    sim.script = { outcomes: ['cancel'], removed: [] };
    expect(codeOf(await signIn())).toBe('keys.cancelled');
    await sim.stop();
    expect(codeOf(await signIn())).toBe('keys.absent');
    await sim.start();
    expect(ws.ctx.sessions.size).toBe(before);
  });
});
