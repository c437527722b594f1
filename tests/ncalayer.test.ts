/**
 * The NCALayer key source through ncalayer-js-client, over real wss to the simulator in this process: the CMS it
 * returns is checked by `openssl cms -verify` and our verifier; a cancelled dialog, an absent service, a restart
 * mid-signature, a pulled-out token and an untrusted TLS certificate each end in their own typed error.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDetached } from '../node/pki/cms';
import { certificateInfo } from '../node/pki/certificate-info';
import { loadSimKeys } from '../node/ncalayer-sim/keys';
import { startNcalayerSim, type NcalayerSim } from '../node/ncalayer-sim/server';
import { ncalayerKeySource } from '../electron/services/keys/ncalayer-source';
import { withNcalayer } from '../electron/services/keys/ncalayer-client';
import { AppError } from '../shared/errors';
import { HEAD, makePki, SPECIALIST, tempDir } from './helpers';

const tmp = tempDir('ncalayer');
let pki: ReturnType<typeof makePki>;
let sim: NcalayerSim;
const PORT = 5520 + Math.floor(Math.random() * 20);

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  const keys = path.join(tmp.dir, 'keys');
  const write = (name: string, b64: string) => writeFileSync(path.join(tmp.dir, name), Buffer.from(b64, 'base64'));
  spawnSync('mkdir', ['-p', keys]);
  write('keys/RSA256_specialist.p12', pki.issue());
  write('keys/AUTH_RSA256_specialist.p12', pki.issue({ usage: 'auth' }));
  write('keys/RSA256_head.p12', pki.issue({ ...HEAD, role: 'head' }));
  writeFileSync(
    path.join(keys, 'keys.json'),
    JSON.stringify([
      { fileName: 'RSA256_specialist.p12', password: 'pw' },
      { fileName: 'AUTH_RSA256_specialist.p12', password: 'pw' },
      { fileName: 'RSA256_head.p12', password: 'pw', storage: 'AKKaztokenStore' },
    ]),
  );
  sim = await startNcalayerSim({ port: PORT, keys: loadSimKeys(keys), restartMs: 200 });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  tmp.remove();
});

const settings = () => ({ url: sim.url, caPem: sim.caPem, storage: 'PKCS12' as const });

function opensslVerify(content: Buffer, p7s: Buffer) {
  const file = path.join(tmp.dir, `c-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, content);
  writeFileSync(`${file}.p7s`, p7s);
  return spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', `${file}.p7s`, '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
}

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'signed';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('the NCALayer key source', () => {
  it('signs through commonUtils a detached CMS that openssl and our verifier check, by the signing key', async () => {
    sim.script = { outcomes: [], removed: [] };
    const content = Buffer.from('{"type":"decision.signed"}');
    const p7s = await ncalayerKeySource(settings()).sign(content, 'sign');
    const r = opensslVerify(content, p7s);
    expect(r.stderr).toContain('Verification successful');
    const parsed = verifyDetached(content, p7s);
    const info = certificateInfo(Buffer.from(parsed.signerCertificate!.raw));
    expect(info.iin).toBe(SPECIALIST.iin);
    expect(info.keyUsage.nonRepudiation).toBe(true);
  });

  it('signs large content by its hash, still verifiable against the content; the AUTH key for a sign-in', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const p7s = await ncalayerKeySource({ ...settings(), hashFromBytes: 1024 * 1024 }).sign(big, 'sign');
    expect(opensslVerify(big, p7s).status).toBe(0);
    const challenge = randomBytes(32);
    const auth = verifyDetached(challenge, await ncalayerKeySource(settings()).sign(challenge, 'auth'));
    const info = certificateInfo(Buffer.from(auth.signerCertificate!.raw));
    expect(info.keyUsage.keyEncipherment).toBe(true);
    expect(info.keyUsage.nonRepudiation).toBe(false);
  });

  it('finds the head’s key on a Kaztoken, and says so when the token is pulled out', async () => {
    const source = ncalayerKeySource({ ...settings(), storage: 'AKKaztokenStore' });
    const p7s = await source.sign(Buffer.from('x'), 'sign');
    expect(certificateInfo(Buffer.from(verifyDetached(Buffer.from('x'), p7s).signerCertificate!.raw)).iin).toBe(HEAD.iin);
    sim.script = { outcomes: [], removed: ['AKKaztokenStore'] };
    expect(await codeOf(source.sign(Buffer.from('x'), 'sign'))).toBe('keys.no_storage');
    expect(await codeOf(ncalayerKeySource({ ...settings(), storage: 'AKKZIDCardStore' }).sign(Buffer.from('x'), 'sign'))).toBe('keys.no_storage');
    sim.script = { outcomes: [], removed: [] };
  });

  it('a cancelled dialog, a restart mid-signature and an absent service are each their own error; nothing is signed', async () => {
    const source = ncalayerKeySource(settings());
    sim.script = { outcomes: ['cancel'], removed: [] };
    expect(await codeOf(source.sign(Buffer.from('x'), 'sign'))).toBe('keys.cancelled');
    sim.script = { outcomes: ['restart'], removed: [] };
    expect(await codeOf(source.sign(Buffer.from('x'), 'sign'))).toBe('keys.interrupted');
    // Back after the restart: the next signature goes through (waits on the service being up, not on a clock).
    await sim.whenUp();
    expect(await codeOf(source.sign(Buffer.from('x'), 'sign'))).toBe('signed');
    await sim.stop();
    expect(await codeOf(source.sign(Buffer.from('x'), 'sign'))).toBe('keys.absent');
    await sim.start();
    expect(await codeOf(source.sign(Buffer.from('x'), 'sign'))).toBe('signed');
  });

  it('does not talk to a service whose TLS certificate it was not told to trust', async () => {
    expect(await codeOf(ncalayerKeySource({ url: sim.url, storage: 'PKCS12' }).sign(Buffer.from('x'), 'sign'))).toBe('keys.absent');
  });

  it('speaks the basics module too: a detached CMS, and an empty body when the dialog is closed', async () => {
    const content = Buffer.from('basics');
    const sign = () =>
      withNcalayer(settings(), (client) =>
        client.basicsSignCMS(['PKCS12'], content.toString('base64'), { decode: true, encapsulate: false, digested: false, tsaProfile: null }, { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'], chain: [] }, 'kk'),
      );
    const result = await sign();
    const p7s = Buffer.from(Array.isArray(result) ? result[0]! : result, 'base64');
    expect(opensslVerify(content, p7s).status).toBe(0);
    sim.script = { outcomes: ['cancel'], removed: [] };
    expect(await codeOf(sign())).toBe('keys.cancelled');
  });
});
