/**
 * Bad input refused by name, storing nothing: a corrupt PDF, junk text in names and addresses, and a family's second
 * open application (real SQLite files).
 */
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaseOfApplicant } from '../db/repositories/cases';
import { openDatabase } from '../db/open';
import { errorMessage, formatMessage } from '../shared/i18n/messages';
import type { RegisterResult } from '../shared/contract/types';
import { nthIin } from './helpers';
import { hardeningStations, applicant } from './hardening-helpers';

const { tmp, station } = hardeningStations('hardening-input');

describe('point 7: a corrupt PDF is refused by name', () => {
  it('answers "%PDF-1.4 garbage" with a typed error naming the file, storing nothing', async () => {
    const s = station('pdf');
    const token = await s.signIn(s.pki.issue());
    const c = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012'), token);
    const before = s.ws.ctx.db.prepare('SELECT (SELECT count(*) FROM case_events) AS e, (SELECT count(*) FROM blobs) AS b').get();
    for (const bytes of ['%PDF-1.4 garbage', '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF']) {
      const r = await s.call('pages.import', { caseId: c.case.id, documentKind: 'application_form', fileName: 'скан.pdf', base64: Buffer.from(bytes).toString('base64') }, token);
      expect(r).toEqual({ ok: false, error: { code: 'page.file_damaged', params: { file: 'скан.pdf' } } });
    }
    expect(s.ws.ctx.db.prepare('SELECT (SELECT count(*) FROM case_events) AS e, (SELECT count(*) FROM blobs) AS b').get()).toEqual(before);
    expect(existsSync(path.join(s.ws.ctx.dataDir, 'blobs'))).toBe(false);
    expect(errorMessage('ru', { code: 'page.file_damaged', params: { file: 'скан.pdf' } })).toContain('Файл «скан.pdf» повреждён');
    expect(errorMessage('kk', { code: 'page.file_damaged', params: { file: 'скан.pdf' } })).toContain('«скан.pdf» файлы зақымдалған');
    s.ws.ctx.db.close();
  });
});

describe('point 9: junk text in names and addresses', () => {
  it('refuses NUL and lone surrogates in any field, and bidi controls in names and IINs, naming the field and storing nothing', async () => {
    const s = station('junk');
    const token = await s.signIn(s.pki.issue());
    const events = () => s.ws.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get();
    const before = events();
    const refused = async (extra: Record<string, unknown>) => {
      const r = await s.call('cases.registerApplicant', applicant('850615300012', extra), token);
      return r.ok ? null : r.error.fieldErrors;
    };
    expect(await refused({ surname: 'Әбіл\u0000қайыров' })).toEqual({ surname: 'field.invalid_characters' });
    expect(await refused({ address: 'Алматы \ud800' })).toEqual({ address: 'field.invalid_characters' });
    expect(await refused({ address: 'Алматы \udc00 көше' })).toEqual({ address: 'field.invalid_characters' });
    expect(await refused({ givenName: 'Нұр\u202Eсұлтан' })).toEqual({ givenName: 'field.bidi_control' });
    expect(await refused({ patronymic: '\u2067Қайратұлы' })).toEqual({ patronymic: 'field.bidi_control' });
    expect(await refused({ iin: '\u202E850615300012' })).toEqual({ iin: 'field.bidi_control' });
    expect(events()).toBe(before);
    // A whole pair (an emoji) is text, not junk; a bidi control in an address is not refused.
    expect(await refused({ iin: nthIin('850615', 3, 7), address: 'Алматы 🏠 \u202Eкөше' })).toBeNull();
    for (const lang of ['kk', 'ru'] as const) {
      expect(formatMessage(lang, 'field.invalid_characters')).not.toBe('field.invalid_characters');
      expect(formatMessage(lang, 'field.bidi_control')).toContain('U+202E');
    }
    s.ws.ctx.db.close();
  });

  it('strips zero-width characters: the stored name is the name as it reads, and search finds it', async () => {
    const s = station('zero-width');
    const token = await s.signIn(s.pki.issue());
    const c = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012', { surname: 'Әбіл\u200Bқайыров\uFEFF', givenName: '\u200DНұрсұлтан', address: 'Алматы,\u2060 Абай 1' }), token);
    expect(c.case).toMatchObject({ surname: 'Әбілқайыров', givenName: 'Нұрсұлтан' });
    const row = s.ws.ctx.db.prepare('SELECT surname, given_name, address, full_name_fold FROM cases').get();
    expect(row).toEqual({ surname: 'Әбілқайыров', given_name: 'Нұрсұлтан', address: 'Алматы, Абай 1', full_name_fold: 'әбілқайыров нұрсұлтан' });
    expect((await s.ok<{ items: unknown[] }>('cases.search', { query: 'әбілқайыров н' }, token)).items).toHaveLength(1);
    s.ws.ctx.db.close();
  });
});

describe('point 10: one open application per family', () => {
  it('refuses the applicant’s second open case and a child counted in another open case, naming that case', async () => {
    const s = station('family');
    const token = await s.signIn(s.pki.issue());
    const first = await s.ok<RegisterResult>('cases.registerApplicant', applicant('850615300012'), token);
    const events = () => s.ws.ctx.db.prepare('SELECT count(*) FROM case_events').pluck().get();
    let before = events();
    const again = await s.call('cases.registerApplicant', applicant('850615300012', { surname: 'Басқа' }), token);
    expect(again).toEqual({ ok: false, error: { code: 'case.open_case_exists', params: { caseNumber: first.case.caseNumber, caseId: first.case.id }, fieldErrors: { iin: 'family.open_case' } } });
    expect(events()).toBe(before);
    expect(errorMessage('ru', (again as { error: { code: string; params: Record<string, string> } }).error)).toContain(`открытое дело ${first.case.caseNumber}`);
    expect(errorMessage('kk', (again as { error: { code: string; params: Record<string, string> } }).error)).toContain(`${first.case.caseNumber} ашық ісі бар`);
    // Another office's open case does not count here (the projection may hold other offices' cases).
    expect(openCaseOfApplicant(s.ws.ctx.db, '850615300012', 'BOS')).toBeNull();

    const child = nthIin('150722', 5, 0);
    const family = (caseId: string, applicantIin: string) => ({
      caseId,
      identityDocument: { kind: 'citizen_id', number: '045123456', issuedOn: '2019-05-10' },
      registrationAddress: 'Алматы',
      bankAccount: { iban: 'KZ12345678901234567890'.slice(0, 20), bank: 'Halyk Bank' },
      representative: null,
      members: [
        { id: 'm1', relation: 'applicant', iin: applicantIin, surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', patronymic: '', birthDate: applicantIin === '850615300012' ? '1985-06-15' : '1990-05-12' },
        { id: 'c1', relation: 'child', iin: child, surname: 'Әбілқайыров', givenName: 'Бала', patronymic: '', birthDate: '2015-07-22', birthRecord: { number: '1', date: '2015-07-30', registryOffice: 'АХАЖ', inKazakhstan: true } },
      ],
      income: [],
      applicantDataMatchBirthCertificates: true,
    });
    await s.ok('application.record', family(first.case.id, '850615300012'), token);
    // The other parent applies for the same child.
    const second = await s.ok<RegisterResult>('cases.registerApplicant', applicant('900512400018', { birthDate: '1990-05-12' }), token);
    before = events();
    const r = await s.call('application.record', family(second.case.id, '900512400018'), token);
    expect(r).toEqual({ ok: false, error: { code: 'case.child_in_open_case', params: { caseNumber: first.case.caseNumber, caseId: first.case.id, iin: child }, fieldErrors: { 'members.1.iin': 'family.child_in_open_case' } } });
    expect(events()).toBe(before);
    expect(errorMessage('kk', (r as { error: { code: string; params: Record<string, string> } }).error)).toContain(`${first.case.caseNumber} ашық ісінде`);
    // The case's own application may be recorded again with the same child.
    expect((await s.call('application.record', family(first.case.id, '850615300012'), token)).ok).toBe(true);
    s.ws.ctx.db.close();
  });

  it('does not count a closed or a refused case', () => {
    const dir = path.join(tmp.dir, 'legacy');
    cpSync(path.resolve('tests/fixtures/legacy-2026-11-25'), dir, { recursive: true });
    const db = openDatabase(path.join(dir, 'jardem.sqlite'));
    const rows = db.prepare('SELECT applicant_iin, stage, office_code FROM cases').all() as { applicant_iin: string; stage: string; office_code: string }[];
    const done = rows.filter((r) => r.stage === 'closed' || r.stage === 'refused_to_accept');
    expect(done.map((r) => r.stage).sort()).toEqual(['closed', 'refused_to_accept']);
    for (const r of done) expect(openCaseOfApplicant(db, r.applicant_iin, r.office_code)).toBeNull();
    const open = rows.find((r) => r.stage !== 'closed' && r.stage !== 'refused_to_accept')!;
    expect(openCaseOfApplicant(db, open.applicant_iin, open.office_code)).not.toBeNull();
    // Every child of the migrated cases is in case_members, from their recorded applications.
    expect(db.prepare("SELECT count(*) FROM case_members WHERE relation = 'child'").pluck().get()).toBeGreaterThan(0);
    db.close();
  });
});
