import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from '../electron/services/cases';
import { officeDate } from '../shared/local-date';
import { HEAD, makePki, makeWorkstation, nthIin, tempDir } from './helpers';
import type { CaseScreen, CaseSummary, RegisterResult, SearchResult } from '../shared/contract/types';
import { caseDetailOf } from '../shared/contract/case-detail';

const tmp = tempDir('cases');
const YEAR = officeDate(new Date()).slice(0, 4);
let ws: ReturnType<typeof makeWorkstation>;
let specialist: string;
let head: string;
let center: string;
let specialistKey: string;

const applicant = {
  iin: '850615300012',
  surname: 'Әбілқайыров',
  givenName: 'Нұрсұлтан',
  patronymic: 'Қайратұлы',
  birthDate: '1985-06-15',
  address: 'Алматы, мкр. Аксай-4, д. 12',
  phone: '8 (701) 555-12-34',
  docLanguage: 'kk',
};

beforeAll(async () => {
  const pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  const token = async (p12Base64: string) => {
    const r = await ws.dispatch({ method: 'session.signIn', input: { p12Base64, password: 'pw' } });
    if (!r.ok) throw new Error(r.error.code);
    return (r.value as { token: string }).token;
  };
  specialistKey = pki.issue();
  specialist = await token(specialistKey);
  head = await token(pki.issue({ role: 'head', ...HEAD }));
  center = await token(pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга' }));
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

const register = (session: string | undefined, input: unknown) => ws.dispatch({ method: 'cases.registerApplicant', input, session });
const search = async (session: string, query: string) => {
  const r = await ws.dispatch({ method: 'cases.search', input: { query }, session });
  if (!r.ok) throw new Error(r.error.code);
  return r.value as SearchResult;
};
const count = () => (ws.ctx.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;

describe('registering an applicant', () => {
  it('creates a case at the intake stage with an office-workstation-year number and a first event', async () => {
    const r = await register(specialist, applicant);
    expect(r.ok).toBe(true);
    const { case: c, warnings } = (r as { value: RegisterResult }).value;
    expect(c).toMatchObject({ caseNumber: `AUE-W1-${YEAR}-000001`, stage: 'intake', channel: 'district', iin: applicant.iin });
    expect(warnings).toEqual([]);
    const detail = { value: caseDetailOf(((await ws.dispatch({ method: 'cases.get', input: { caseId: c.id }, session: specialist })) as { ok: true; value: CaseScreen }).value) };
    expect(detail.value.phone).toBe('+77015551234');
    expect(detail.value.events).toHaveLength(1);
    const event = detail.value.events[0]!;
    expect(event).toEqual({ id: expect.any(String), seq: 1, type: 'intake.registered', at: expect.any(String), actorIin: '900512400018', actorRole: 'specialist' });
    // The stored event is the first of its chain, signed, and its hash is its own: recomputed from the row, the same.
    const row = ws.ctx.db.prepare('SELECT * FROM case_events WHERE id = ?').get(event.id) as Parameters<typeof eventHash>[0] & { hash: string; prev_hash: string | null; signature: Buffer | null };
    expect(row.prev_hash).toBeNull();
    expect(row.signature).not.toBeNull();
    expect(eventHash(row)).toBe(row.hash);
  });

  it('numbers cases in sequence and never reuses a number', async () => {
    const second = (await register(specialist, { ...applicant, iin: '900512400018', birthDate: '1990-05-12' })) as { ok: true; value: RegisterResult };
    expect(second.value.case.caseNumber).toBe(`AUE-W1-${YEAR}-000002`);
  });

  it('a Center key registers a Center-channel case', async () => {
    const r = (await register(center, { ...applicant, iin: nthIin('850615', 3, 101), surname: 'Петров' })) as { ok: true; value: RegisterResult };
    expect(r.value.case.channel).toBe('center');
  });

  it('returns a birth date that disagrees with the IIN as a warning, not an error', async () => {
    const r = (await register(specialist, { ...applicant, iin: nthIin('850615', 3, 102), birthDate: '1985-06-16' })) as { ok: true; value: RegisterResult };
    expect(r.value.warnings).toEqual(['iin.birth_date_mismatch']);
  });

  it('refuses a wrong IIN and missing fields beside each field, storing nothing', async () => {
    const before = count();
    const r = await register(specialist, { ...applicant, iin: '850615300015', surname: '  ', phone: '12345', docLanguage: undefined });
    expect(r).toEqual({
      ok: false,
      error: { code: 'validation', fieldErrors: { iin: 'iin.checksum', surname: 'field.required', phone: 'field.phone_format', docLanguage: 'field.required' } },
    });
    expect(count()).toBe(before);
  });

  it('checks the role in the services: a head may search but not register; no session may do neither', async () => {
    const before = count();
    expect(await register(head, applicant)).toEqual({ ok: false, error: { code: 'forbidden' } });
    expect(await register(undefined, applicant)).toEqual({ ok: false, error: { code: 'unauthenticated' } });
    expect(await register('forged-token', applicant)).toEqual({ ok: false, error: { code: 'unauthenticated' } });
    expect(count()).toBe(before);
    expect((await search(head, applicant.iin)).items.length).toBeGreaterThan(0);
  });

  it('refuses an unknown method', async () => {
    expect(await ws.dispatch({ method: 'cases.delete', input: {}, session: specialist })).toEqual({ ok: false, error: { code: 'unknown_method' } });
  });
});

describe('case search', () => {
  it('finds by IIN, by IIN prefix, by case number and by a case-insensitive Kazakh name prefix', async () => {
    expect((await search(specialist, '850615300012')).kind).toBe('iin');
    expect((await search(specialist, '850615300012')).items.map((c) => c.surname)).toContain('Әбілқайыров');
    expect((await search(specialist, '8506')).items.length).toBeGreaterThan(0);
    const byNumber = await search(specialist, `aue-w1-${YEAR}-000002`);
    expect(byNumber.kind).toBe('case_number');
    expect(byNumber.items.map((c) => c.caseNumber)).toEqual([`AUE-W1-${YEAR}-000002`]);
    for (const q of ['ӘБІЛҚ', 'әбілқ', 'Әбілқайыров нұр']) {
      const r = await search(specialist, q);
      expect(r.kind, q).toBe('name');
      expect(r.items.every((c) => c.surname === 'Әбілқайыров'), q).toBe(true);
      expect(r.items.length, q).toBeGreaterThan(0);
    }
    expect((await search(specialist, 'Иванов')).items).toEqual([]);
  });

  it('counts matches up to the cap and says when there are more', async () => {
    const { COUNT_CAP } = await import('../db/repositories/cases');
    for (let i = 0; i < COUNT_CAP + 5; i++) {
      const r = await register(specialist, { ...applicant, iin: nthIin('850615', 3, 200 + i), surname: `Қасымов`, givenName: `Бала${i}` });
      expect(r.ok).toBe(true);
    }
    const firstPage = (await ws.dispatch({ method: 'cases.search', input: { query: 'қасым', limit: 20 }, session: specialist })) as { ok: true; value: SearchResult };
    expect(firstPage.value.items).toHaveLength(20);
    expect(firstPage.value).toMatchObject({ total: COUNT_CAP, capped: true, kind: 'name' });
    const few = await search(specialist, 'Қасымов Бала10');
    expect(few.items.map((c) => c.givenName).sort()).toEqual(['Бала10', 'Бала100', 'Бала101', 'Бала102', 'Бала103', 'Бала104', 'Бала105', 'Бала106', 'Бала107', 'Бала108', 'Бала109']);
    expect(few).toMatchObject({ total: 11, capped: false });
    // Every match, page after page from where the last ended (by name, then by IIN prefix, then newest first):
    // each case once, in the index's order.
    for (const [query, byKey] of [['қасым', null], ['850615', (c: CaseSummary) => c.iin], ['', (c: CaseSummary) => c.createdAt]] as const) {
      const seen: CaseSummary[] = [];
      let after: string | undefined;
      do {
        const page = (await ws.dispatch({ method: 'cases.search', input: { query, limit: 37, ...(after ? { after } : {}) }, session: specialist })) as { ok: true; value: SearchResult };
        seen.push(...page.value.items);
        after = page.value.next ?? undefined;
      } while (after);
      expect(new Set(seen.map((c) => c.id)).size, query).toBe(seen.length);
      if (query === 'қасым') expect(seen.map((c) => c.givenName).sort()).toEqual(Array.from({ length: COUNT_CAP + 5 }, (_, i) => `Бала${i}`).sort());
      // By IIN in ascending order; with nothing typed, newest first.
      if (byKey) expect(seen.map(byKey), query).toEqual(query === '' ? seen.map(byKey).sort().reverse() : seen.map(byKey).sort());
    }
    const bad = await ws.dispatch({ method: 'cases.search', input: { query: '', after: 'bm90LWEtY3Vyc29y' }, session: specialist });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('survives a restart: new services over the same file find the same case by IIN', async () => {
    const { createContext } = await import('../electron/services/context');
    const { createDispatcher } = await import('../electron/services/dispatch');
    const again = createContext({ dataDir: ws.ctx.dataDir, appVersion: 'test' });
    const dispatch = createDispatcher(again);
    const signed = (await dispatch({ method: 'session.signIn', input: { p12Base64: specialistKey, password: 'pw' } })) as { ok: true; value: { token: string } };
    const found = (await dispatch({ method: 'cases.search', input: { query: applicant.iin }, session: signed.value.token })) as { ok: true; value: SearchResult };
    expect(found.value.items.map((c) => c.caseNumber)).toContain(`AUE-W1-${YEAR}-000001`);
    again.db.close();
  });
});
