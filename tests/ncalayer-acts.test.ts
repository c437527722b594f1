/**
 * Acts signed through NCALayer (the simulator as its own process over real wss, as the services worker blocks on its
 * helper thread while NCALayer signs): the person signed in with the AUTH key signs an act with the RSA256_… key, the
 * event verifies as the server checks it; a cancelled dialog, NCALayer restarted mid-signature, the token pulled out,
 * another person's key and the service absent each refuse with their code and commit nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignedEvent } from '../node/events';
import { verifyDetached } from '../node/pki/cms';
import { ncalayerActSigner } from '../electron/services/keys/ncalayer-acts';
import { HEAD, makePki, makeWorkstation, nthIin, tempDir } from './helpers';
import { caseLog, toSignedEvent } from '../db/repositories/events';

const tmp = tempDir('ncalayer-acts');
const PORT = 5540 + Math.floor(Math.random() * 40);
let ws: ReturnType<typeof makeWorkstation>;
let sim: ChildProcess | null = null;
let url = '';
let caFile = '';
const keys = path.join(tmp.dir, 'keys');

async function startSim(): Promise<void> {
  sim = spawn(process.execPath, [path.resolve('dist/node/cli.cjs'), 'ncalayer-sim', '--port', String(PORT), '--keys', keys], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: sim!.stdout! }).once('line', resolve));
  ({ url, caFile } = JSON.parse(line) as { url: string; caFile: string });
}
async function stopSim(): Promise<void> {
  const child = sim;
  sim = null;
  if (!child || child.exitCode !== null) return;
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
}

/** The "person" in NCALayer's dialog, over the simulator's control module; retried while it restarts. */
async function script(args: Record<string, unknown>): Promise<void> {
  for (;;) {
    try {
      const socket = new WebSocket(url, { ca: readFileSync(caFile) });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('message', () => {
          socket.once('message', () => resolve());
          socket.send(JSON.stringify({ module: 'jardem.ncalayer-sim', method: 'script', args }));
        });
      });
      socket.close();
      return;
    } catch (error) {
      if (!/ECONNREFUSED/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  mkdirSync(keys);
  writeFileSync(path.join(keys, 'RSA256_specialist.p12'), Buffer.from(pki.issue(), 'base64'));
  writeFileSync(path.join(keys, 'AUTH_RSA256_specialist.p12'), Buffer.from(pki.issue({ usage: 'auth' }), 'base64'));
  writeFileSync(path.join(keys, 'RSA256_head.p12'), Buffer.from(pki.issue({ role: 'head', ...HEAD }), 'base64'));
  writeFileSync(path.join(keys, 'RSA256_token.p12'), Buffer.from(pki.issue(), 'base64'));
  writeFileSync(path.join(keys, 'AUTH_RSA256_token.p12'), Buffer.from(pki.issue({ usage: 'auth' }), 'base64'));
  writeFileSync(path.join(keys, 'keys.json'), JSON.stringify([
    { fileName: 'RSA256_specialist.p12', password: 'pw' },
    { fileName: 'AUTH_RSA256_specialist.p12', password: 'pw' },
    { fileName: 'RSA256_head.p12', password: 'pw' },
    { fileName: 'RSA256_token.p12', password: 'pw', storage: 'AKKaztokenStore' },
    { fileName: 'AUTH_RSA256_token.p12', password: 'pw', storage: 'AKKaztokenStore' },
  ]));
  await startSim();
  process.env.JARDEM_NCALAYER_URL = url;
  process.env.JARDEM_NCALAYER_CA = caFile;
}, 60_000);
afterAll(async () => {
  delete process.env.JARDEM_NCALAYER_URL;
  delete process.env.JARDEM_NCALAYER_CA;
  await stopSim();
  ws.ctx.db.close();
  tmp.remove();
});

let n = 0;
async function signIn(storage = 'PKCS12', choose?: string): Promise<string> {
  await script({ outcomes: [], choose });
  const r = await ws.dispatch({ method: 'session.signInNcalayer', input: { storage } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as { token: string }).token;
}
const register = (token: string) =>
  ws.dispatch({ method: 'cases.registerApplicant', input: { iin: nthIin('850615', 3, n++), surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, session: token });
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
const caseCount = () => (ws.ctx.db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }).n;

describe('acts signed through NCALayer', () => {
  it('signs an act with the RSA256_… key (not the AUTH key): the event verifies as the server checks it', async () => {
    const token = await signIn();
    const authCert = ws.ctx.sessions.get(token)!.identity.certificateSha256;
    await script({ outcomes: [], choose: 'RSA256_specialist.p12' });
    const r = await register(token);
    expect(codeOf(r as never)).toBe('ok');
    const caseId = (r as { value: { case: { id: string } } }).value.case.id;
    const [event] = caseLog(ws.ctx.db, caseId).map(toSignedEvent);
    const rsa = ws.ctx.sessions.get(token)!.identity.certificateSha256;
    expect(rsa).not.toBe(authCert);
    expect(event!.actor.certSha256).toBe(rsa);
    const verdict = checkSignedEvent(event!, event!.signature, ws.ctx.trust());
    expect(verdict.ok ? 'ok' : verdict.reason).toBe('ok');
    // The second act of the session asks NCALayer to sign only: the key is learned once.
    await script({ outcomes: [] });
    expect(codeOf(await register(token))).toBe('ok');
  });

  it('signs large content by its hash, and the CMS covers the content', async () => {
    const token = await signIn();
    const session = ws.ctx.sessions.get(token)!;
    session.ncalayer = { ...session.ncalayer!, hashFromBytes: 1024 };
    const content = Buffer.alloc(4096, 7);
    const p7s = ncalayerActSigner(ws.ctx, session)(content);
    const parsed = verifyDetached(content, p7s);
    expect(parsed.contentIntact && parsed.signatureValid).toBe(true);
    expect(verifyDetached(Buffer.alloc(4096, 8), p7s).contentIntact).toBe(false);
  });

  it('a cancelled dialog, a restart mid-signature, another person’s key, a pulled-out token, the service absent: refused, nothing committed', async () => {
    const token = await signIn();
    const before = caseCount();
    await script({ outcomes: ['cancel'] });
    expect(codeOf(await register(token))).toBe('keys.cancelled');
    await script({ outcomes: ['sign', 'restart'] });
    expect(codeOf(await register(token))).toBe('keys.interrupted');
    // The signing key is known now: the person closes the signature's own dialog.
    await script({ outcomes: ['cancel'] });
    expect(codeOf(await register(token))).toBe('keys.cancelled');
    expect(caseCount()).toBe(before);

    const other = await signIn();
    await script({ outcomes: [], choose: 'RSA256_head.p12' });
    expect(codeOf(await register(other))).toBe('keys.other_person');

    const onToken = await signIn('AKKaztokenStore');
    await script({ outcomes: [], removed: ['AKKaztokenStore'] });
    expect(codeOf(await register(onToken))).toBe('keys.no_storage');

    await stopSim();
    expect(codeOf(await register(token))).toBe('keys.absent');
    expect(caseCount()).toBe(before);
    await startSim();
  });
});
