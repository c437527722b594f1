import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { seedCalendar } from '../shared/domain/calendar';
import { officeDate } from '../shared/local-date';
import type { CaseScreen, RegisterResult } from '../shared/contract/types';
import { makePki, makeWorkstation, nthIin, tempDir } from './helpers';
import { caseDetailOf } from '../shared/contract/case-detail';

const tmp = tempDir('wf-services');
let ws: ReturnType<typeof makeWorkstation>;
let pki: ReturnType<typeof makePki>;
const tokens: Record<string, string> = {};
const applicant = { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' };

beforeAll(async () => {
  pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  const keys = {
    specialist: pki.issue(),
    center: pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга' }),
    admin: pki.issue({ role: 'admin', iin: '780304300003', surname: 'Әкімші', givenName: 'Асқар' }),
  };
  for (const [role, p12Base64] of Object.entries(keys)) {
    const r = (await ws.dispatch({ method: 'session.signIn', input: { p12Base64, password: 'pw' } })) as { ok: true; value: { token: string } };
    tokens[role] = r.value.token;
  }
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

const call = (role: string, method: string, input: unknown) => ws.dispatch({ method, input, session: tokens[role] });

describe('registration through the regulation’s workflow', () => {
  it('a Center intake starts at the Center stage with its 3-day deadline stored, under the pinned rules version', async () => {
    const r = (await call('center', 'cases.registerApplicant', applicant)) as { ok: true; value: RegisterResult };
    expect(r.value.case.stage).toBe('center_intake');
    const detail = { value: caseDetailOf(((await call('center', 'cases.get', { caseId: r.value.case.id })) as { ok: true; value: CaseScreen }).value) };
    const today = officeDate(new Date());
    expect(detail.value.rulesVersion).toBe('regulation-4-889-2013');
    expect(detail.value.deadlines).toEqual([{ id: 'center_send_request', startedOn: today, due: seedCalendar().addWorkingDays(today, 3), stoppedOn: null, met: null }]);
    expect(detail.value.events[0]).toMatchObject({ type: 'center.intake_registered', actorRole: 'center' });
  });

  it('a district intake starts at the intake stage with no deadline yet', async () => {
    // Another applicant: the first one's Center case is open (a family has one open application at a time).
    const r = (await call('specialist', 'cases.registerApplicant', { ...applicant, iin: nthIin('850615', 3, 5) })) as { ok: true; value: RegisterResult };
    const detail = { value: caseDetailOf(((await call('specialist', 'cases.get', { caseId: r.value.case.id })) as { ok: true; value: CaseScreen }).value) };
    expect(detail.value).toMatchObject({ stage: 'intake', deadlines: [] });
  });
});

describe('the administrator corrects the working-day calendar', () => {
  it('only an administrator may correct a day; the correction changes counting at once and is listed', async () => {
    expect(await call('specialist', 'calendar.correctDay', { date: '2026-12-18', working: false, reason: 'Постановление Правительства' })).toEqual({ ok: false, error: { code: 'forbidden' } });
    expect(await call('specialist', 'calendar.addWorkingDays', { from: '2026-12-17', n: 1 })).toEqual({ ok: true, value: { date: '2026-12-18' } });
    const r = await call('admin', 'calendar.correctDay', { date: '2026-12-18', working: false, reason: 'Постановление Правительства' });
    expect(r.ok).toBe(true);
    expect(await call('specialist', 'calendar.addWorkingDays', { from: '2026-12-17', n: 1 })).toEqual({ ok: true, value: { date: '2026-12-21' } });
    const list = (await call('specialist', 'calendar.corrections', {})) as { ok: true; value: { date: string; working: boolean; correctedByIin: string }[] };
    expect(list.value).toEqual([expect.objectContaining({ date: '2026-12-18', working: false, correctedByIin: '780304300003' })]);
  });

  it('refuses a day outside the calendar’s years beside its field, storing nothing', async () => {
    expect(await call('admin', 'calendar.correctDay', { date: '2031-01-05', working: false, reason: 'x' })).toEqual({
      ok: false,
      error: { code: 'validation', params: { year: 2031 }, fieldErrors: { 'correction.date': 'calendar.year_missing' } },
    });
    expect(await call('specialist', 'calendar.addWorkingDays', { from: '2030-01-05', n: 1 })).toMatchObject({ ok: false, error: { code: 'validation', fieldErrors: { from: 'calendar.year_missing' } } });
    expect(((await call('admin', 'calendar.corrections', {})) as { value: unknown[] }).value).toHaveLength(1);
  });

  it('keeps corrections across a restart of the services', async () => {
    const again = createDispatcher(createContext({ dataDir: ws.ctx.dataDir, appVersion: 'test' }));
    const signed = (await again({ method: 'session.signIn', input: { p12Base64: pki.issue(), password: 'pw' } })) as { ok: true; value: { token: string } };
    expect(await again({ method: 'calendar.addWorkingDays', input: { from: '2026-12-17', n: 1 }, session: signed.value.token })).toEqual({ ok: true, value: { date: '2026-12-21' } });
  });
});
