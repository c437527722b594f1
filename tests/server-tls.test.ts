/**
 * TLS with real certificates made by openssl in the test: the server serves HTTPS; a workstation set up with the
 * server's CA syncs through it; one set up with another CA refuses the connection before sending anything, and
 * says why. Plain HTTP is refused off the loopback unless asked for, and then warned about.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCounts } from '../db/repositories/sync';
import { configureSync } from '../electron/services/sync/settings';
import { syncStatus } from '../electron/services/sync/status';
import { fetchWithCa } from '../electron/services/sync/tls-fetch';
import { listenPlan } from '../server/src/ops/listen';
import { makePki, nthIin, tempDir } from './helpers';
import { enrolledWorkstation, startServer } from './server-helpers';

const tmp = tempDir('server-tls');
const file = (name: string) => path.join(tmp.dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** A CA of its own (`name`), and a server certificate for 127.0.0.1 and localhost issued by the first. */
function makeCa(name: string) {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${name}`, '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}
let pki: ReturnType<typeof makePki>;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  makeCa('city-ca');
  makeCa('other-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=jardem.almaty.example');
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'city-ca.crt', '-CAkey', 'city-ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
  // The chain as openssl sees it: the test's certificates are what they claim.
  expect(openssl('verify', '-CAfile', 'city-ca.crt', 'server.crt').toString()).toContain('OK');
  pki = makePki(path.join(tmp.dir, 'pki'));
  server = await startServer(pki.dir, tmp.dir, { ops: { https: { key: readFileSync(file('server.key'), 'utf8'), cert: readFileSync(file('server.crt'), 'utf8') } } });
}, 120_000);
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

async function withCase(ws: ReturnType<typeof enrolledWorkstation>, n: number) {
  const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { value: { token: string } };
  const input = { iin: nthIin('850615', 3, n), surname: 'Қасымов', givenName: 'Арман', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
  expect(((await ws.dispatch({ method: 'cases.registerApplicant', input, session: r.value.token })) as { ok: boolean }).ok).toBe(true);
}

describe('a server on HTTPS', () => {
  it('serves a workstation set up with its CA', async () => {
    expect(server.url).toMatch(/^https:/);
    const ws = enrolledWorkstation(path.join(tmp.dir, 'w1'), pki.dir, 'AUE', 'W1', server.url);
    configureSync(ws.ctx.db, { serverUrl: server.url, serverCaPem: readFileSync(file('city-ca.crt'), 'utf8') });
    await withCase(ws, 31);
    expect(await ws.sync()).toMatchObject({ completed: true, pushed: 1, waiting: 0 });
    const health = await fetchWithCa(readFileSync(file('city-ca.crt'), 'utf8'))(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    ws.ctx.db.close();
  }, 120_000);

  it('is refused by a workstation set up with another CA, with a clear reason, and nothing is sent', async () => {
    const ws = enrolledWorkstation(path.join(tmp.dir, 'w2'), pki.dir, 'AUE', 'W2', server.url);
    configureSync(ws.ctx.db, { serverUrl: server.url, serverCaPem: readFileSync(file('other-ca.crt'), 'utf8') });
    await withCase(ws, 32);
    expect(await ws.sync()).toMatchObject({ completed: false, waiting: 1 });
    expect(syncStatus(ws.ctx).lastError).toMatchObject({ code: 'sync.tls_untrusted', params: { reason: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|ISSUER/) } });
    expect(syncCounts(ws.ctx.db).pending).toBe(1);
    // It never reached the server: no enrolment of W2.
    expect(await server.store.query("SELECT 1 FROM devices WHERE office_code = 'AUE' AND workstation_code = 'W2'")).toEqual([]);
    // Nor does a setup take a CA that is not a certificate, or a CA for a plain-HTTP address.
    expect(() => configureSync(ws.ctx.db, { serverUrl: server.url, serverCaPem: 'not a certificate' })).toThrow(/no PEM certificate/);
    expect(() => configureSync(ws.ctx.db, { serverUrl: 'http://127.0.0.1:1', serverCaPem: readFileSync(file('city-ca.crt'), 'utf8') })).toThrow(/https/);
    ws.ctx.db.close();
  }, 120_000);
});

describe('plain HTTP', () => {
  it('only on the loopback, or with --insecure-http and a warning; TLS needs both files', () => {
    expect(listenPlan({ host: '127.0.0.1', insecureHttp: false })).toEqual({ ok: true, https: null, warning: null });
    expect(listenPlan({ host: '0.0.0.0', insecureHttp: false })).toMatchObject({ ok: false, message: expect.stringContaining('--insecure-http') });
    expect(listenPlan({ host: '0.0.0.0', insecureHttp: true })).toMatchObject({ ok: true, https: null, warning: expect.stringContaining('unencrypted') });
    expect(listenPlan({ host: '0.0.0.0', certFile: file('server.crt'), insecureHttp: false })).toMatchObject({ ok: false, message: expect.stringContaining('both') });
    expect(listenPlan({ host: '0.0.0.0', certFile: file('server.key'), keyFile: file('server.key'), insecureHttp: false })).toMatchObject({ ok: false, message: expect.stringContaining('no PEM certificate') });
    expect(listenPlan({ host: '0.0.0.0', certFile: file('server.crt'), keyFile: file('server.key'), insecureHttp: false })).toMatchObject({ ok: true, https: { cert: expect.stringContaining('BEGIN CERTIFICATE') } });
  });

  it('the real server process refuses to start on a public address without TLS, saying what to do', () => {
    const run = spawnSync(process.execPath, [path.resolve('dist/node/server.cjs'), '--host', '0.0.0.0', '--port', '0', '--pki', pki.dir], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/refusing plain HTTP on 0\.0\.0\.0: give --tls-cert and --tls-key/);
  });
});
