/**
 * A fuzz test over every method of the contract, through the real
 * browser host and services worker, as a hostile local caller would send them. Inputs are generated from each
 * method's zod schema (its JSON schema's shape, one part broken at a time, or any JSON at all) with fast-check, and
 * only those the schema refuses are sent; each call is made with a session whose role may call the method, so the
 * input itself is what is judged. For every call: a typed error, never HTTP 500, and no change anywhere (a checksum
 * of every table and of the blob folder after each call; the sync agent's note of its last attempt aside). And every date any method takes: a day the calendar does not have
 * (0000-00-00, 30 February, month 13) is refused at its own field, and a call with it is a validation error (never
 * `internal`, as when it reached the SQL).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost } from '../electron/browser-host/server';
import { ServicesHost } from '../electron/services/host';
import { methods, type MethodName } from '../shared/contract/methods';
import type { Role } from '../shared/roles';
import { tempDir } from './helpers';
import { documentPage } from './intake-helpers';
import { paths, REMOVE, setAt } from './fuzz-helpers';

const WORKER = path.resolve('dist/node/services-worker.cjs');
const SECRET = 'fuzz-secret-0123456789abcdef0123';
/** Calls per method: about 2,000 in all over the contract's methods. */
const RUNS = Math.ceil(2000 / Object.keys(methods).length);
const tmp = tempDir('fuzz');
let services: ServicesHost;
let host: Awaited<ReturnType<typeof startBrowserHost>>;
let reader: Database.Database;
const tokens: Partial<Record<Role, string>> = {};
let caseId = '';
const dataDir = path.join(tmp.dir, 'data');

async function rpc(body: unknown) {
  const url = new URL(host.origin);
  const r = await fetch(`${url.origin}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-jardem-secret': SECRET }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as { ok: boolean; value?: unknown; error?: { code: string } } };
}
const ok = async <T>(method: string, input: unknown, session?: string) => {
  const r = await rpc({ method, input, session });
  if (!r.body.ok) throw new Error(`${method}: ${JSON.stringify(r.body.error)}`);
  return r.body.value as T;
};

/** Every table's rows and the blob folder's files, hashed. */
function checksum(): string {
  const h = createHash('sha256');
  const tables = reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  // The sync agent keeps trying its server in the background (the demo office's device is locked) and notes each
  // attempt in its own state: that is not what a call changed.
  for (const t of tables) for (const row of reader.prepare(t === 'settings' ? "SELECT * FROM settings WHERE key != 'syncState'" : `SELECT * FROM "${t}"`).raw().all()) h.update(`${t}:${JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))}\n`);
  const blobs = path.join(dataDir, 'blobs');
  h.update((readdirSync(blobs, { recursive: true }) as string[]).sort().join('\n'));
  return h.digest('hex');
}

type Json = { type?: string | string[]; properties?: Record<string, Json>; required?: string[]; items?: Json; enum?: unknown[]; const?: unknown; anyOf?: Json[]; oneOf?: Json[]; format?: string; pattern?: string; minLength?: number; minimum?: number; minItems?: number; default?: unknown };

/** A plausible value of a JSON schema: the shape the method expects, to break one part of. */
function skeleton(s: Json): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const first = s.anyOf?.[0] ?? s.oneOf?.[0];
  if (first) return skeleton(first);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, skeleton(v)]));
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => skeleton(s.items ?? {}));
    case 'string':
      if (s.format === 'uuid') return caseId;
      if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-11-30';
      return 'а'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** Values no field takes, or that break a shape: junk text, wrong types, too long, nested too deep. */
const breakers = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 1e308, '', ' ', [], {}, REMOVE, 'x'.repeat(400_000), '\u0000', 'а\ud800', '\udc00б', 'Әбіл\u202Eқайыров', '999999999999', '000000000000', '850615300013', 'not-a-uuid', '2026-02-30', '0000-00-00', '2026-13-01', '2026-00', '<script>alert(1)</script>', "'; DROP TABLE cases; --"),
  fc.jsonValue({ maxDepth: 3 }),
  // Nested past any method's input (5,000 deep, the probe's, is host-limits.test.ts's).
  fc.nat(60).map((n) => JSON.parse('['.repeat(n + 30) + ']'.repeat(n + 30)) as unknown),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

function malformed(name: MethodName): fc.Arbitrary<unknown> {
  const schema = methods[name].input as z.ZodType;
  const shape = skeleton(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
  const places = paths(shape);
  const broken = fc.tuple(fc.constantFrom(...places), breakers).map(([at, to]) => setAt(shape, at, to));
  const twice = fc.tuple(fc.constantFrom(...places), breakers, fc.constantFrom(...places), breakers).map(([a, x, b, y]) => setAt(setAt(shape, a, x), b, y));
  const extra = fc.tuple(fc.string({ maxLength: 8 }), breakers).map(([k, v]) => (shape && typeof shape === 'object' && !Array.isArray(shape) ? { ...shape, [k || 'x']: v } : v));
  // As it travels: through JSON, and an absent or null input is taken as {} by the dispatcher.
  const sent = (x: unknown) => (x === undefined ? undefined : (JSON.parse(JSON.stringify([x]) ?? '[null]') as unknown[])[0]);
  return fc
    .oneof(broken, broken, twice, extra, fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 }))
    .map(sent)
    .filter((input) => !schema.safeParse(input ?? {}).success);
}

/** A role that may call the method: the input is what is judged, not the caller. */
function sessionFor(name: MethodName): string | undefined {
  const access = methods[name].access;
  if (access === 'public') return undefined;
  return tokens[(['specialist', 'head', 'center', 'admin'] as Role[]).find((r) => access.includes(r))!];
}

beforeAll(async () => {
  const rendererDir = path.join(tmp.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  services = new ServicesHost({ dataDir, appVersion: 'test', workerPath: WORKER });
  expect(await services.ready).toBeNull();
  host = await startBrowserHost({ call: (e) => services.call(e), rendererDir, secret: SECRET });
  await ok('demo.createOffice', {});
  for (const role of ['specialist', 'head', 'center', 'admin'] as const) {
    const key = await ok<{ p12Base64: string; password: string }>('demo.keyFile', { role });
    tokens[role] = (await ok<{ token: string }>('session.signIn', { p12Base64: key.p12Base64, password: key.password })).token;
  }
  // A case with a page, so that the shapes name a real case.
  caseId = (await ok<{ case: { id: string } }>('cases.registerApplicant', { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' }, tokens.specialist)).case.id;
  await ok('pages.import', { caseId, documentKind: 'application_form', fileName: 'a.png', base64: await documentPage() }, tokens.specialist);
  reader = new Database(path.join(dataDir, 'jardem.sqlite'), { readonly: true });
  // What the setup left running in the background is written before the fuzz's "before" is taken (on a loaded machine
  // it landed after it), so that the comparison holds what the fuzzed calls did, and only that.
  for (let last = checksum(), i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = checksum();
    if (now === last) break;
    last = now;
  }
}, 60_000);
afterAll(async () => {
  reader.close();
  await host.close();
  await services.close();
  tmp.remove();
});

describe('every method of the contract, fuzzed', () => {
  it('answers ~2,000 malformed calls with a typed error, never 500, changing nothing', async () => {
    const started = performance.now();
    const before = checksum();
    let calls = 0;
    const codes = new Map<string, number>();
    const names = Object.keys(methods) as MethodName[];
    for (const name of names) {
      await fc.assert(
        fc.asyncProperty(malformed(name), async (input) => {
          const r = await rpc({ method: name, input, session: sessionFor(name) });
          calls++;
          expect(r.status, `${name} ${JSON.stringify(input)?.slice(0, 200)}`).not.toBe(500);
          expect(r.body.ok, name).toBe(false);
          const code = r.body.error!.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          // Refused by its schema (validation), by the junk-text check (validation, the field named) or, nested
          // too deep, by the host or the dispatcher.
          expect(['validation', 'request.too_deep'], `${name}: ${code}`).toContain(code);
          if (r.status === 400) expect(code).toBe('request.too_deep');
          expect(checksum(), `${name} changed the database`).toBe(before);
        }),
        { numRuns: RUNS, seed: 20261201 + names.indexOf(name), endOnFailure: true },
      );
    }
    // Envelopes themselves broken: unknown methods, forged sessions, no body shape at all.
    for (const envelope of [{ method: 'cases.delete', input: {} }, { method: 42 }, { method: 'cases.search', input: {}, session: 'forged' }, [], 'office.status', null]) {
      const r = await rpc(envelope);
      calls++;
      expect(r.status).not.toBe(500);
      expect(['unknown_method', 'unauthenticated']).toContain(r.body.error!.code);
      expect(checksum()).toBe(before);
    }
    expect(checksum()).toBe(before);
    expect(services.pendingCalls).toBe(0);
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ fuzz: { calls, methods: names.length, seconds: Math.round(seconds * 10) / 10, codes: Object.fromEntries(codes) } }));
    expect(calls).toBeGreaterThanOrEqual(2000);
  }, 120_000);
});

const DATE = '\\d{4}-\\d{2}-\\d{2}';
/** The places of a JSON schema's value that take a calendar date (a pattern of YYYY-MM-DD), through objects, arrays and unions. */
function datePlaces(s: Json, at: (string | number)[] = []): (string | number)[][] {
  if (s.pattern?.includes(DATE)) return [at];
  const alternatives = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  if (alternatives.length > 0) return datePlaces(alternatives[0]!, at);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object') return Object.entries(s.properties ?? {}).flatMap(([k, v]) => datePlaces(v, [...at, k]));
  if (type === 'array' && s.items) return datePlaces(s.items, [...at, 0]);
  return [];
}

describe('every date a method takes', () => {
  it('refuses a day the calendar does not have at its own field, and the call answers validation, never internal', async () => {
    let places = 0;
    for (const name of Object.keys(methods) as MethodName[]) {
      const schema = methods[name].input as z.ZodType;
      // Both sides of the schema: a date typed by a person is trimmed first (its input side has no pattern).
      const found = new Map<string, (string | number)[]>();
      for (const io of ['input', 'output'] as const) {
        const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
        for (const at of datePlaces(json)) found.set(at.join('.'), at);
      }
      const shape = skeleton(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
      for (const [key, at] of found) {
        places++;
        for (const day of ['0000-00-00', '2026-02-30', '2025-02-29', '2026-13-01', '2026-04-31']) {
          const r = schema.safeParse(setAt(shape, at, day));
          expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.')), `${name} ${key} = ${day}`).toContain(key);
        }
        expect(schema.safeParse(setAt(shape, at, '2024-02-29')).error?.issues.map((i) => i.path.join('.')) ?? [], `${name} ${key} = 2024-02-29`).not.toContain(key);
      }
    }
    expect(places).toBeGreaterThanOrEqual(14);
    // Through the real host, inputs valid but for the date: a typed validation error naming the field.
    const calls: [MethodName, unknown][] = [
      ['audit.list', { from: '0000-00-00' }],
      ['audit.list', { to: '0000-00-00' }],
      ['audit.list', { from: '2026-02-30', to: '2026-12-31' }],
      ['journal.list', { from: '0000-00-00', to: '2026-12-31' }],
      ['journal.pdf', { from: '2026-12-01', to: '2026-13-01', language: 'kk' }],
      ['calendar.addWorkingDays', { from: '2026-02-30', n: 1 }],
    ];
    for (const [name, input] of calls) {
      const before = checksum();
      const r = await rpc({ method: name, input, session: sessionFor(name) });
      expect([r.status, r.body.ok, r.body.error?.code], `${name} ${JSON.stringify(input)}`).toEqual([200, false, 'validation']);
      expect(checksum()).toBe(before);
    }
  });
});
