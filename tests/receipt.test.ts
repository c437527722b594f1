import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, IssuedForm, RegisterResult } from '../shared/contract/types';
import { HEAD, makePki, makeWorkstation, tempDir } from './helpers';
import { counterWorkstation, documentPage, familyApplication, REQUIRED_SCANS, type startSimulator } from './intake-helpers';
import { sendDueRequests } from '../electron/services/information-systems';
import { officeDate } from '../shared/local-date';
import { seedCalendar } from '../shared/domain/calendar';

const tmp = tempDir('receipt');
let pki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
// The CAs of a fresh PKI start a day ago, so the clock is today's; the dates are read from the calendar.
const NOW = new Date();
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('.');
const today = officeDate(NOW);
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string } };
const call = async <T>(method: string, input: unknown, session = token) => (await ws.dispatch({ method, input, session })) as Ok<T> | Err;
const ok = async <T>(method: string, input: unknown, session = token) => {
  const r = await call<T>(method, input, session);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const jardem = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], { encoding: 'utf8' });
const pdfText = (file: string) => spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
/** A readable A4 page at 200 dpi, as bytes. */
const page = async () => Buffer.from(await documentPage(), 'base64');

beforeAll(async () => {
  counter = await counterWorkstation(tmp, { now: () => NOW });
  ({ pki, ws, sim } = counter);
  token = await counter.signIn(pki.issue());
});
afterAll(() => counter.close());

/** A case of a family the information systems know, through acceptance: identity card 2 pages, the rest 1 each. */
async function caseWithPages(docLanguage: 'kk' | 'ru', familyIndex: number) {
  const family = sim.registry.families[familyIndex]!;
  const a = sim.registry.persons.get(family.applicant)!;
  const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage })).case;
  await ok('application.record', familyApplication(sim.registry, familyIndex, c.id));
  const base64 = (await page()).toString('base64');
  await ok('pages.import', { caseId: c.id, documentKind: 'identity_document:citizen_id', fileName: 'id.png', base64 });
  await ok('pages.import', { caseId: c.id, documentKind: 'identity_document:citizen_id', fileName: 'id-back.png', base64: (await sharp(await page()).rotate(180).withMetadata({ density: 200 }).png().toBuffer()).toString('base64') });
  for (const kind of REQUIRED_SCANS.filter((k) => k !== 'identity_document:citizen_id')) await ok('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64 });
  await ok('intake.requestChecks', { caseId: c.id });
  await sendDueRequests(ws.ctx);
  await ok('intake.accept', { caseId: c.id });
  return { ...c, applicant: a };
}

describe('the tear-off receipt', () => {
  it('prints in Kazakh with the case number, the documents and pages, the specialist, the decision date from the calendar, a QR code and a signature stamp', async () => {
    const c = await caseWithPages('kk', 0);
    const issued = await ok<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    const file = path.join(tmp.dir, 'receipt-kk.pdf');
    writeFileSync(file, Buffer.from(issued.pdfBase64, 'base64'));
    writeFileSync(`${file}.p7s`, Buffer.from(issued.p7sBase64, 'base64'));
    const text = pdfText(file);
    // Two parts with a cut line.
    expect(text.match(/ҮЗБЕЛІ ТАЛОН/g)).toHaveLength(2);
    expect(text).toContain('1-бөлік — бөлімде қалады');
    expect(text).toContain('2-бөлік — өтініш берушіге тапсырылады');
    expect(text).toContain('қию сызығы');
    expect(text).toContain(c.caseNumber);
    expect(text).toContain(ddmmyyyy(today));
    expect(text).toContain(`${c.applicant.surname} ${c.applicant.givenName} ${c.applicant.patronymic}`);
    expect(text).toContain(c.applicant.iin);
    expect(text).toContain('Жеке куәлік — 2 бет');
    expect(text).toContain('Банкпен шарт (шот) — 1 бет');
    expect(text).toContain('Сейітқали Әйгерім Нұрланқызы');
    // Item 4.1: 7 working days from today, on the reference calendar (weekends and holidays skipped).
    expect(text).toContain(ddmmyyyy(seedCalendar().addWorkingDays(today, 7)));
    expect(text).toContain('18 жасқа дейінгі балалары бар отбасыларға мемлекеттік жәрдемақы');
    expect(text).toMatch(new RegExp(`Тексеру коды:\\s+${issued.verificationCode}`));
    expect(text).toMatch(/ЭЦҚ-мен қол қойылды: Сейітқали Әйгерім · сертификат нөмірі: [0-9A-F]+ · уақыты: \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    // The fonts are embedded: every Kazakh letter renders, not a fallback.
    expect(spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout).toMatch(/Roboto.*yes/);

    // The QR code decodes to the case number and the verification code.
    spawnSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', file, path.join(tmp.dir, 'receipt-kk')]);
    // Kept for a person to look at (test-results is not committed).
    spawnSync('cp', [path.join(tmp.dir, 'receipt-kk-1.png'), path.resolve('test-results', 'receipt-kk.png')]);
    const qr = spawnSync('zbarimg', ['--quiet', '--raw', path.join(tmp.dir, 'receipt-kk-1.png')], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(qr).toContain(`JARDEM:${c.caseNumber}:${issued.verificationCode}`);

    // Anyone can check the certified PDF with openssl.
    const v = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', `${file}.p7s`, '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(v.stderr).toContain('Verification successful');

    const verified = await ok<CaseVerification>('cases.verify', { caseId: c.id });
    expect(verified.problems).toEqual([]);
    expect(verified.documents).toEqual([expect.objectContaining({ form: 'receipt', blobOk: true, signature: expect.objectContaining({ valid: true }) })]);
  });

  it('prints in Russian, and `jardem forms render` reprints exactly the certified copy by the case number', async () => {
    const c = await caseWithPages('ru', 1);
    const issued = await ok<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    const out = path.join(tmp.dir, 'reprint.pdf');
    const r = jardem('forms', 'render', 'receipt', '--case', c.caseNumber, '--out', out, '--data-dir', ws.ctx.dataDir);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(Buffer.from(issued.pdfBase64, 'base64'))).toBe(true);
    const text = pdfText(out);
    expect(text.match(/ОТРЫВНОЙ ТАЛОН/g)).toHaveLength(2);
    expect(text).toContain('Удостоверение личности — 2 стр.');
    expect(text).toContain('Отдел занятости и социальных программ Ауэзовского района города Алматы');
    expect(text).toContain('Ожидаемая дата решения');
    expect(spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', out, '-in', `${out}.p7s`, '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' }).stderr).toContain('Verification successful');

    const missing = jardem('forms', 'render', 'center_receipt', '--case', c.caseNumber, '--out', path.join(tmp.dir, 'x.pdf'), '--data-dir', ws.ctx.dataDir);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('Этот документ по делу ещё не выдавался');
  });

  it('refuses a receipt before acceptance, and a head’s key', async () => {
    const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: '780304300003', surname: 'Бос', givenName: 'Іс', birthDate: '1978-03-04', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    // Before the information systems confirmed everything, the district gives no receipt.
    expect(await call('forms.issueReceipt', { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'is.not_all_confirmed' } });
    const head = await counter.signIn(pki.issue({ role: 'head', ...HEAD }));
    expect(await call('forms.issueReceipt', { caseId: c.id }, head)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('the Center’s receipt (қолхат)', () => {
  it('a Center specialist takes the application on the district’s behalf and prints the one-part receipt', async () => {
    const center = await counter.signIn(pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна' }));
    const asCenter = async <T>(method: string, input: unknown) => {
      const r = await call<T>(method, input, center);
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    const c = (await asCenter<RegisterResult>('cases.registerApplicant', { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' })).case;
    expect(c.stage).toBe('center_intake');
    await asCenter('pages.import', { caseId: c.id, documentKind: 'identity_document:citizen_id', fileName: 'id.png', base64: (await page()).toString('base64') });
    const issued = await asCenter<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    expect(issued.form).toBe('center_receipt');
    const file = path.join(tmp.dir, 'qolhat.pdf');
    writeFileSync(file, Buffer.from(issued.pdfBase64, 'base64'));
    const text = pdfText(file);
    expect(text.match(/ҚОЛХАТ/g)).toHaveLength(1);
    expect(text).toContain('ХҚКО маманы');
    expect(text).toContain('Иванова Ольга Петровна');
    expect(text).not.toContain('қию сызығы');
  });
});
