import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost } from '../electron/browser-host/server';
import { ServicesHost } from '../electron/services/host';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { RENDERER_CSP } from '../shared/csp';
import { tempDir } from './helpers';

const WORKER = path.resolve('dist/node/services-worker.cjs');
const tmp = tempDir('host');
let services: ServicesHost;
let host: Awaited<ReturnType<typeof startBrowserHost>>;
const SECRET = 'test-secret-0123456789abcdef';

/** Raw HTTP, so the test controls the Host and Origin headers as another local process could. */
function request(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  const url = new URL(host.origin);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const rpc = (headers: Record<string, string>, body = JSON.stringify({ method: 'office.status', input: {} })) =>
  request({ path: '/rpc', method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

beforeAll(async () => {
  const rendererDir = path.join(tmp.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Jardem</title>');
  writeFileSync(path.join(tmp.dir, 'secret.txt'), 'outside the renderer folder');
  services = new ServicesHost({ dataDir: path.join(tmp.dir, 'data'), appVersion: 'test', workerPath: WORKER });
  expect(await services.ready).toBeNull();
  host = await startBrowserHost({ call: (e) => services.call(e), onPush: (l) => services.onPush(l), rendererDir, secret: SECRET });
});
afterAll(async () => {
  await host.close();
  await services.close();
  tmp.remove();
});

describe('browser host', () => {
  it('listens on 127.0.0.1 only and hands the secret in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#secret=${SECRET}`);
  });

  it('answers a call that carries the secret, through the services worker', async () => {
    const r = await rpc({ host: new URL(host.origin).host, 'x-jardem-secret': SECRET, origin: host.origin });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { ok: boolean; value: { schemaVersion: number; totalCases: number } };
    expect(body.ok).toBe(true);
    expect(body.value.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(body.value.totalCases).toBe(0);
  });

  it('streams the services\' events to a page with the secret, and refuses one without it', async () => {
    const hostHeader = new URL(host.origin).host;
    expect((await request({ path: '/events', headers: { host: hostHeader } })).status).toBe(403);
    expect((await request({ path: '/events', headers: { host: hostHeader, 'x-jardem-secret': SECRET, origin: 'http://evil.example' } })).status).toBe(403);
    const url = new URL(host.origin);
    const received: string[] = [];
    const stream = http.get({ host: url.hostname, port: url.port, path: '/events', headers: { host: hostHeader, 'x-jardem-secret': SECRET } }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      res.on('data', (c: Buffer) => received.push(c.toString('utf8')));
    });
    const call = async (method: string, input: unknown, session?: string) => JSON.parse((await rpc({ host: hostHeader, 'x-jardem-secret': SECRET }, JSON.stringify({ method, input, session }))).body) as { ok: boolean; value: Record<string, unknown> };
    await call('demo.createOffice', {});
    const key = (await call('demo.keyFile', { role: 'specialist' })).value as { p12Base64: string; password: string };
    const token = (await call('session.signIn', { p12Base64: key.p12Base64, password: key.password })).value.token as string;
    const created = await call('cases.registerApplicant', { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Ерлан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, token);
    expect(created.ok).toBe(true);
    const caseId = (created.value.case as { id: string }).id;
    await expect.poll(() => received.join(''), { timeout: 5000 }).toContain(`data: {"type":"case.changed","caseId":"${caseId}","version":1}`);
    stream.destroy();
  });

  it('refuses a call without the secret or with a wrong one', async () => {
    const hostHeader = new URL(host.origin).host;
    expect((await rpc({ host: hostHeader })).status).toBe(403);
    expect((await rpc({ host: hostHeader, 'x-jardem-secret': SECRET.slice(0, -1) + 'X' })).status).toBe(403);
  });

  it('refuses a web page of another origin even if it had the secret, and a rebound host name', async () => {
    const hostHeader = new URL(host.origin).host;
    expect((await rpc({ host: hostHeader, 'x-jardem-secret': SECRET, origin: 'http://evil.example' })).status).toBe(403);
    expect((await rpc({ host: `evil.example:${new URL(host.origin).port}`, 'x-jardem-secret': SECRET })).status).toBe(421);
  });

  it('does not reveal the secret in the page it serves, and sends the CSP', async () => {
    const r = await request({ path: '/', headers: { host: new URL(host.origin).host } });
    expect(r.status).toBe(200);
    expect(r.body).not.toContain(SECRET);
    expect(r.headers['content-security-policy']).toBe(RENDERER_CSP);
  });

  it('serves nothing outside the renderer folder', async () => {
    const r = await request({ path: '/..%2Fsecret.txt', headers: { host: new URL(host.origin).host } });
    expect(r.body).not.toContain('outside the renderer folder');
  });

  it('answers a malformed address with 400 and keeps serving', async () => {
    const hostHeader = new URL(host.origin).host;
    expect((await request({ path: '/%E0%A4%A', headers: { host: hostHeader } })).status).toBe(400);
    expect((await rpc({ host: hostHeader, 'x-jardem-secret': SECRET })).status).toBe(200);
  });

  it('turns invalid JSON into a validation error, not a crash', async () => {
    const r = await rpc({ host: new URL(host.origin).host, 'x-jardem-secret': SECRET }, '{not json');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'validation' } });
  });
});

describe('browser host shutdown', () => {
  it('closes even while a client holds a half-sent request open', async () => {
    const s = new ServicesHost({ dataDir: path.join(tmp.dir, 'shutdown'), appVersion: 'test', workerPath: WORKER });
    await s.ready;
    const h = await startBrowserHost({ call: (e) => s.call(e), rendererDir: tmp.dir, secret: SECRET });
    const url = new URL(h.origin);
    const req = http.request({ host: url.hostname, port: url.port, path: '/rpc', method: 'POST', headers: { host: url.host, 'content-type': 'application/json', 'content-length': '100' } });
    req.on('error', () => undefined);
    req.write('{"method":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Without closing open connections, close() waits on Node's own client timeouts (about 6 s here).
    const started = performance.now();
    await h.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await s.close();
  });
});

describe('services worker', () => {
  it('refuses a second browser host on the same data folder, naming the process that holds it', () => {
    const second = spawnSync(process.execPath, [path.resolve('dist/node/browser-host.cjs'), '--data-dir', path.join(tmp.dir, 'data'), '--no-open', '--port', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`Эта папка данных уже открыта другим запуском Jardem (процесс ${process.pid})`);
    expect(second.stderr).toContain(`Бұл деректер қалтасын Jardem-нің басқа іске қосылуы пайдаланып жатыр (процесс ${process.pid})`);
  });

  it('answers at once, with an error, after the worker has stopped', async () => {
    const doomed = new ServicesHost({ dataDir: path.join(tmp.dir, 'doomed'), appVersion: 'test', workerPath: WORKER });
    expect(await doomed.ready).toBeNull();
    await doomed.close();
    expect(await doomed.call({ method: 'office.status', input: {} })).toEqual({ ok: false, error: { code: 'internal' } });
  });

  it('refuses a database written by a newer app, with the versions, and leaves it untouched', async () => {
    const dataDir = path.join(tmp.dir, 'newer');
    mkdirSync(dataDir);
    const file = path.join(dataDir, 'jardem.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const newer = new ServicesHost({ dataDir, appVersion: 'test', workerPath: WORKER });
    expect(await newer.ready).toEqual({ code: 'db.newer_than_app', params: { db: LATEST_SCHEMA_VERSION + 1, app: LATEST_SCHEMA_VERSION } });
    expect(await newer.call({ method: 'office.status', input: {} })).toEqual({ ok: false, error: { code: 'db.newer_than_app', params: { db: LATEST_SCHEMA_VERSION + 1, app: LATEST_SCHEMA_VERSION } } });
    await newer.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    check.close();
  });
});
