/**
 * The demo office issues each person both keys, as НУЦ РК does (RSA256_… and AUTH_RSA256_…), and its keys folder is
 * what `jardem ncalayer-sim --keys` reads: the head signs in through NCALayer with the demo's own files.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ServicesContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { loadSimKeys } from '../node/ncalayer-sim/keys';
import { startNcalayerSim, type NcalayerSim } from '../node/ncalayer-sim/server';
import { demoOfficeDir } from '../node/paths';
import { writeFileSync } from 'node:fs';
import { tempDir } from './helpers';

const tmp = tempDir('ncalayer-demo');
let ctx: ServicesContext;
let dispatch: ReturnType<typeof createDispatcher>;
let sim: NcalayerSim | null = null;

beforeAll(async () => {
  ctx = createContext({ dataDir: path.join(tmp.dir, 'data'), appVersion: 'test' });
  dispatch = createDispatcher(ctx);
  const r = await dispatch({ method: 'demo.createOffice', input: {} });
  expect(r.ok).toBe(true);
}, 120_000);
afterAll(async () => {
  delete process.env.JARDEM_NCALAYER_URL;
  delete process.env.JARDEM_NCALAYER_CA;
  await sim?.stop();
  ctx.db.close();
  tmp.remove();
});

describe('the demo office’s keys for NCALayer', () => {
  it('holds both keys of each person, and the head signs in through the simulator with them', async () => {
    const keys = loadSimKeys(path.join(demoOfficeDir(ctx.dataDir), 'keys'));
    expect(keys).toHaveLength(10);
    const auth = keys.filter((k) => k.keyType === 'AUTHENTICATION');
    expect(auth.map((k) => k.name).every((n) => n.startsWith('AUTH_RSA256_'))).toBe(true);
    expect(new Set(auth.map((k) => k.iin))).toEqual(new Set(keys.filter((k) => k.keyType === 'SIGNATURE').map((k) => k.iin)));

    sim = await startNcalayerSim({ port: 5545, keys });
    writeFileSync(path.join(tmp.dir, 'ca.pem'), sim.caPem);
    process.env.JARDEM_NCALAYER_URL = sim.url;
    process.env.JARDEM_NCALAYER_CA = path.join(tmp.dir, 'ca.pem');
    const head = auth.find((k) => k.name.includes('_head_'))!;
    sim.script = { outcomes: [], removed: [], choose: head.iin };
    const r = await dispatch({ method: 'session.signInNcalayer', input: { storage: 'PKCS12' } });
    expect(r.ok ? (r.value as { identity: { role: string; iin: string } }).identity : r.error).toMatchObject({ role: 'head', iin: head.iin });
  });
});
