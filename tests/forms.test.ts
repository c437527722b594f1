/**
 * The forms: every certified form printable and right, and signed inside the PDF (PAdES baseline B,
 * ETSI.CAdES.detached) so that any reader shows it as signed. Real cases through the services, real PDFs read
 * back with pdftotext, pdfsig (poppler) checking the signatures with the simulated root trusted in a temporary
 * NSS database, openssl checking the detached .p7s, and `jardem forms render` reprinting every stored form.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, IssuedForm, RegisterResult } from '../shared/contract/types';
import { officeDate } from '../shared/local-date';
import { CENTER_FORM_NAMES, FORM_NAMES } from '../shared/forms/texts';
import { readBlob } from '../electron/services/blob-store';
import { sendDueRequests } from '../electron/services/information-systems';
import { tempDir } from './helpers';
import { acceptedCase, counterWorkstation, documentPage, familyApplication, moveClock, REQUIRED_SCANS } from './intake-helpers';
import { familyWhere, notifiedCase } from './case-flows';

const tmp = tempDir('forms');
const SHOTS = path.resolve('test-results', 'forms');
mkdirSync(SHOTS, { recursive: true });
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
let specialist: string;
let nss: string;
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; params?: Record<string, unknown>; fieldErrors?: Record<string, string> } };
const callAs = async <T>(token: string, method: string, input: unknown) => (await counter.ws.dispatch({ method, input, session: token })) as Ok<T> | Err;
const okAs = async <T>(token: string, method: string, input: unknown) => {
  const r = await callAs<T>(token, method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const ok = <T>(method: string, input: unknown) => okAs<T>(specialist, method, input);
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(cmd, args, { encoding: 'utf8', env });
const jardem = (args: string[], env?: NodeJS.ProcessEnv) => run(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], env);
const text = (file: string) => run('pdftotext', ['-layout', file, '-']).stdout.replace(/\s+/g, ' ');
const save = (form: IssuedForm, name: string) => {
  const file = path.join(tmp.dir, `${name}.pdf`);
  writeFileSync(file, Buffer.from(form.pdfBase64, 'base64'));
  writeFileSync(`${file}.p7s`, Buffer.from(form.p7sBase64, 'base64'));
  // The first page, to look at.
  run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, path.join(SHOTS, name)]);
  return file;
};
const reprint = (caseId: string, form: string, name: string) => save({ form: form as IssuedForm['form'], verificationCode: '', ...(reprinted(caseId, form)) }, name);
const reprinted = (caseId: string, form: string) => {
  const row = counter.ws.ctx.db.prepare('SELECT blob_sha256 AS b, signature_sha256 AS s FROM case_documents WHERE case_id = ? AND form = ? ORDER BY event_seq DESC LIMIT 1').get(caseId, form) as { b: string; s: string };
  return { pdfBase64: readBlob(counter.ws.ctx.dataDir, row.b)!.toString('base64'), p7sBase64: readBlob(counter.ws.ctx.dataDir, row.s)!.toString('base64') };
};
const pdfsig = (file: string, trusted = true) => run('pdfsig', [...(trusted ? ['-nssdir', `sql:${nss}`] : []), file]).stdout;
const opensslVerifies = (file: string) =>
  run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', `${file}.p7s`, '-CAfile', path.join(counter.pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null']).stderr;
const today = () => officeDate(counter.ws.ctx.now());
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('.');

const ROSTER = { chair: 'Төлеуова Гүлнар Ержанқызы', member: 'Ибраев Марат Сәкенұлы', secretary: 'Оспанова Айгүл Қайратқызы' };

beforeAll(async () => {
  counter = await counterWorkstation(tmp, { families: 120 });
  specialist = await counter.signIn(counter.pki.issue());
  // The simulated root, trusted for document signing (the "email" column: C,C,) in a fresh NSS database.
  nss = path.join(tmp.dir, 'nss');
  mkdirSync(nss);
  expect(run('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']).status).toBe(0);
  expect(run('certutil', ['-d', `sql:${nss}`, '-A', '-n', 'jardem-root', '-t', 'C,C,', '-i', path.join(counter.pki.dir, 'root.crt.pem')]).status).toBe(0);
});
afterAll(() => counter.close());

/** An eligible family from registration through the act and the conclusion, entered from the scanned paper. */
async function concludedCase(docLanguage: 'kk' | 'ru') {
  const { c, flagged } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, familyWhere(counter, true), docLanguage);
  await ok('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
  await ok('commission.refer', { caseId: c.id, precinctCode: 'AUE-01' });
  await ok('pages.import', { caseId: c.id, documentKind: 'commission_act', fileName: 'act.png', base64: await documentPage() });
  const application = (await ok<{ application: { members: { id: string; relation: string }[] } }>('application.get', { caseId: c.id })).application;
  const act = {
    date: today(),
    membersPresent: [ROSTER.secretary, ROSTER.chair, ROSTER.member],
    housing: { type: 'apartment', ownership: 'rented', rooms: 2, areaM2: 48.5, utilities: ['electricity', 'water', 'heating'] },
    property: { vehicles: '', livestock: '', land: '' },
    familyAsFound: 'Өтініште көрсетілгендей',
    observations: 'Пәтер жалға алынған, жиһаз ескі',
    occupations: Object.fromEntries(application.members.filter((m) => m.relation !== 'child').map((m, i) => [m.id, i === 0 ? 'Үй шаруасындағы әйел' : '«Алматы Су» ЖШС, жүргізуші'])),
  };
  await ok('commission.conclude', { caseId: c.id, act, conclusion: { needs: true, grounds: 'Жан басына шаққандағы табыс азық-түлік себетінің құнынан төмен', members: [ROSTER.chair, ROSTER.member, ROSTER.secretary] } });
  return c;
}

describe('the commission’s act and conclusion (item 1)', () => {
  it('print as two certified forms with the fields of forms.md, the members and their signatures’ places, a QR code, in the applicant’s language; reprinted exactly', async () => {
    const c = await concludedCase('kk');
    const actFile = reprint(c.id, 'commission_act', 'act-kk');
    const act = text(actFile);
    expect(act).toContain('ОТБАСЫНЫҢ МАТЕРИАЛДЫҚ ЖАҒДАЙЫ ТУРАЛЫ АКТ');
    expect(act).toContain('№1 учаскелік комиссия');
    expect(act).toContain(`Тексерілген күні: ${ddmmyyyy(today())}`);
    const family = familyApplication(counter.sim.registry, [...Array(120).keys()].find((i) => counter.sim.registry.families[i]!.applicant === c.iin)!, c.id);
    for (const m of family.members) {
      expect(act).toContain(`${m.surname} ${m.givenName}`);
      expect(act).toContain(m.birthDate.slice(0, 4));
    }
    expect(act).toContain('Үй шаруасындағы әйел');
    expect(act).toContain('жалға алынған');
    expect(act).toContain('Іс жүзіндегі отбасы құрамы');
    // Each member present has a place to sign, chair first, with the role the commission's roster gives.
    expect(act).toMatch(new RegExp(`Төраға .*${ROSTER.chair}.*Комиссия мүшесі .*${ROSTER.member}.*Хатшы .*${ROSTER.secretary}`));
    expect(act.match(/\(қолы\)/g)).toHaveLength(3);
    expect(act).toContain('скан-көшірмесі бойынша жауапты маман енгізді');
    expect(act).toMatch(/ЭЦҚ-мен қол қойылды: Сейітқали Әйгерім · сертификат нөмірі: [0-9A-F]+/);

    const conclusionFile = reprint(c.id, 'commission_conclusion', 'conclusion-kk');
    const conclusion = text(conclusionFile);
    expect(conclusion).toContain('УЧАСКЕЛІК КОМИССИЯНЫҢ МҰҚТАЖДЫҚ ТУРАЛЫ ҚОРЫТЫНДЫСЫ');
    expect(conclusion).toContain('Отбасы мемлекеттік жәрдемақы тағайындауға мұқтаж');
    expect(conclusion).toContain('Жан басына шаққандағы табыс азық-түлік себетінің құнынан төмен');
    expect(conclusion.match(/\(қолы\)/g)).toHaveLength(3);

    // Each carries its own QR code: the case number and its own verification code.
    const codes = counter.ws.ctx.db.prepare("SELECT form, verification_code AS code FROM case_documents WHERE case_id = ? AND form IN ('commission_act', 'commission_conclusion') ORDER BY event_seq").all(c.id) as { form: string; code: string }[];
    expect(codes.map((x) => x.form)).toEqual(['commission_act', 'commission_conclusion']);
    for (const [file, { code }] of [[actFile, codes[0]!], [conclusionFile, codes[1]!]] as const) {
      run('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', file, file]);
      expect(run('zbarimg', ['--quiet', '--raw', `${file}.png`]).stdout).toContain(`JARDEM:${c.caseNumber}:${code}`);
    }
    // Verify case checks both, and forms.reprint gives exactly the certified copies.
    const verified = await ok<CaseVerification>('cases.verify', { caseId: c.id });
    expect(verified.problems).toEqual([]);
    expect(verified.documents.filter((d) => d.form === 'commission_act' || d.form === 'commission_conclusion')).toEqual([
      expect.objectContaining({ form: 'commission_act', blobOk: true, signature: expect.objectContaining({ valid: true }) }),
      expect.objectContaining({ form: 'commission_conclusion', blobOk: true, signature: expect.objectContaining({ valid: true }) }),
    ]);
    expect((await ok<IssuedForm>('forms.reprint', { caseId: c.id, form: 'commission_act' })).pdfBase64).toBe(reprinted(c.id, 'commission_act').pdfBase64);
  });

  it('in Russian for a Russian-speaking applicant', async () => {
    const c = await concludedCase('ru');
    const act = text(reprint(c.id, 'commission_act', 'act-ru'));
    expect(act).toContain('АКТ ОБСЛЕДОВАНИЯ МАТЕРИАЛЬНОГО ПОЛОЖЕНИЯ СЕМЬИ');
    expect(act).toContain('Фактический состав семьи');
    expect(act).toMatch(/Председатель .*\(подпись\)/);
    expect(text(reprint(c.id, 'commission_conclusion', 'conclusion-ru'))).toContain('Семья нуждается в назначении государственного пособия');
  });
});

describe('the decision and the notification (items 4 and 5)', () => {
  it('the decision stamps the specialist’s draft signature and the head’s, each with signer, certificate serial and time; the assignment’s notification prints one title', async () => {
    const c = await notifiedCase(counter, { eligible: true, docLanguage: 'ru' });
    const decision = text(reprint(c.id, 'decision', 'decision-ru'));
    expect(decision).toMatch(/Проект решения подписан ЭЦП: Сейітқали Әйгерім · серийный номер сертификата: [0-9A-F]{8,} · время: \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    expect(decision).toMatch(/Решение подписано ЭЦП: Жұмабеков Ерлан · серийный номер сертификата: [0-9A-F]{8,} · время: \d\d\.\d\d\.\d{4} \d\d:\d\d/);
    const serials = [...decision.matchAll(/серийный номер сертификата: ([0-9A-F]+)/g)].map((m) => m[1]);
    expect(new Set(serials).size).toBe(2);
    const notification = text(reprint(c.id, 'notification', 'notification-assign-ru'));
    expect(notification).toContain('УВЕДОМЛЕНИЕ О НАЗНАЧЕНИИ ГОСУДАРСТВЕННОГО ПОСОБИЯ');
    expect(notification).not.toContain('ОБ ОТКАЗЕ');
    expect(notification).toContain('Приложение 22 к Правилам');
  });

  it('a refusal’s notification prints the refusal’s title only', async () => {
    const c = await notifiedCase(counter, { eligible: false, docLanguage: 'kk' });
    const notification = text(reprint(c.id, 'notification', 'notification-refuse-kk'));
    expect(notification).toContain('МЕМЛЕКЕТТІК ЖӘРДЕМАҚЫ ТАҒАЙЫНДАУДАН БАС ТАРТУ ТУРАЛЫ ХАБАРЛАМА');
    expect(notification).not.toContain('ТАҒАЙЫНДАУ ТУРАЛЫ ХАБАРЛАМА');
    expect(notification).toContain('Ережеге 22-қосымша');
  });
});

describe('the notice to bring originals and the refusal to accept (items 2 and 3)', () => {
  it('the notice lists the documents to bring, each with what did not match; the refusal cites Appendix 20 of the Rules; the CLI prints the workflow’s own message', async () => {
    const index = familyWhere(counter, true);
    const f = counter.sim.registry.families[index]!;
    const a = counter.sim.registry.persons.get(f.applicant)!;
    const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
    const app = familyApplication(counter.sim.registry, index, c.id);
    app.members[0]!.surname = 'Басқаша';
    const child = app.members.find((m) => m.relation === 'child')!;
    child.birthDate = `${child.birthDate.slice(0, 8)}${child.birthDate.slice(8) === '01' ? '02' : '01'}`;
    child.birthRecord = { ...child.birthRecord!, date: child.birthDate };
    await ok('application.record', app);
    for (const kind of REQUIRED_SCANS) await ok('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64: await documentPage() });
    await ok('intake.requestChecks', { caseId: c.id });
    await sendDueRequests(counter.ws.ctx);
    const notice = text(save(await ok<IssuedForm>('intake.notifyMismatch', { caseId: c.id }), 'notice-ru'));
    expect(notice).toContain('УВЕДОМЛЕНИЕ О ПРЕДСТАВЛЕНИИ ОРИГИНАЛОВ И СОГЛАСИЯ НА ПРИВЕДЕНИЕ СВЕДЕНИЙ В СООТВЕТСТВИЕ');
    expect(notice).toContain('Представьте оригиналы документов:');
    // The applicant's surname → her identity card; the child's birth date → the child's birth certificate.
    expect(notice).toMatch(new RegExp(`Удостоверение личности Басқаша ${a.givenName}, ${a.iin} Фамилия`));
    expect(notice).toMatch(new RegExp(`Свидетельство о рождении ${child.surname} ${child.givenName}, ${child.iin} Дата рождения`));
    expect(notice).not.toContain('Адресная справка');
    // The declared birth record is shown beside the registry's (item 10), not a dash.
    const status = await ok<{ requests: { declared: { iin: string; declared: { birthRecord?: { number: string } } }[] }[] }>('intake.status', { caseId: c.id });
    expect(status.requests[0]!.declared.find((s) => s.iin === child.iin)!.declared.birthRecord?.number).toBe(child.birthRecord!.number);

    // Item 13: refused by the workflow before the 3 working days pass, the command line says why in the rule's words.
    const keyFile = path.join(tmp.dir, 'specialist.p12');
    writeFileSync(keyFile, Buffer.from(counter.pki.issue(), 'base64'));
    const early = jardem(['call', 'intake.refuseAcceptance', '--key', keyFile, '--password', 'pw', '--data-dir', counter.ws.ctx.dataDir, '--input', JSON.stringify({ caseId: c.id })]);
    expect(early.status).toBe(1);
    expect(early.stderr.trim().split('\n').at(-1)).toBe('Отказ возможен только после истечения 3 рабочих дней на представление оригиналов');
    expect(early.stderr).not.toContain('Проверьте поля');
    expect(JSON.parse(early.stdout)).toMatchObject({ code: 'validation', fieldErrors: { event: 'workflow.guard.originals_overdue' } });

    const previous = process.env.JARDEM_TIME_TRAVEL;
    process.env.JARDEM_TIME_TRAVEL = '1';
    try {
      await moveClock(counter, 10);
      const refusal = text(save(await ok<IssuedForm>('intake.refuseAcceptance', { caseId: c.id }), 'refusal-ru'));
      expect(refusal).toContain('Приложение 20 к Правилам');
      expect(refusal).not.toContain('Регламенту');
      expect(refusal).toContain('согласие на приведение сведений в соответствие');
    } finally {
      await moveClock(counter, 0);
      if (previous === undefined) delete process.env.JARDEM_TIME_TRAVEL;
      else process.env.JARDEM_TIME_TRAVEL = previous;
    }
  });
});

describe('the Center’s receipt (item 6)', () => {
  it('is headed with the Center’s name, not the district department’s', async () => {
    const center = await counter.signIn(counter.pki.issue({ role: 'center', officeCode: 'CON-AUE', iin: '851120400008', surname: 'Иванова', givenName: 'Ольга', patronymic: 'Петровна' }));
    const c = (await okAs<RegisterResult>(center, 'cases.registerApplicant', { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
    await okAs(center, 'pages.import', { caseId: c.id, documentKind: 'identity_document:citizen_id', fileName: 'id.png', base64: await documentPage() });
    const receipt = text(save(await okAs<IssuedForm>(center, 'forms.issueReceipt', { caseId: c.id }), 'center-receipt-ru'));
    expect(receipt).toContain('РАСПИСКА');
    expect(receipt).toMatch(/^\s*Центр обслуживания населения Ауэзовского района/);
    expect(receipt).not.toContain('Отдел занятости и социальных программ');
  });
});

describe('signed inside the PDF (PAdES) and reprinted by the command line (item 7)', () => {
  it('every stored form of the cases above: pdfsig finds a valid ETSI.CAdES.detached signature by its signer, trusted through the simulated root; the .p7s signs the final PDF; `jardem forms render` reprints each byte for byte', async () => {
    const rows = counter.ws.ctx.db.prepare('SELECT c.case_number AS number, d.form, d.blob_sha256 AS blob, d.signer_iin AS iin FROM case_documents d JOIN cases c ON c.id = d.case_id ORDER BY d.case_id, d.event_seq').all() as { number: string; form: string; blob: string; iin: string }[];
    // Every certified form is among them (the Center channel's two are printed and reprinted in tests/center.test.ts).
    expect(new Set(rows.map((r) => r.form))).toEqual(new Set(FORM_NAMES.filter((f) => !(CENTER_FORM_NAMES as readonly string[]).includes(f))));
    const names: Record<string, string> = { '900512400018': 'Сейітқали Әйгерім', '780304300003': 'Жұмабеков Ерлан', '851120400008': 'Иванова Ольга' };
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.form)) continue;
      seen.add(r.form);
      const out = path.join(tmp.dir, `cli-${r.form}.pdf`);
      const cli = jardem(['forms', 'render', r.form, '--case', r.number, '--out', out, '--data-dir', counter.ws.ctx.dataDir]);
      expect(cli.status, cli.stderr).toBe(0);
      expect(readFileSync(out).equals(readBlob(counter.ws.ctx.dataDir, r.blob)!), r.form).toBe(true);
      const report = pdfsig(out);
      if (r.form === 'receipt') writeFileSync(path.resolve('test-results', 'pdfsig-receipt.txt'), report);
      expect(report, r.form).toContain('Signature Type: ETSI.CAdES.detached');
      expect(report, r.form).toContain('Signature Validation: Signature is Valid.');
      expect(report, r.form).toContain('Certificate Validation: Certificate is Trusted.');
      expect(report, r.form).toContain(`Signer Certificate Common Name: ${names[r.iin]}`);
      expect(report, r.form).toContain('Total document signed');
      expect(opensslVerifies(out), r.form).toContain('Verification successful');
    }
    // Without the root in its trust store a reader still finds the signature intact, and says whom it does not trust.
    const receipt = path.join(tmp.dir, 'cli-receipt.pdf');
    expect(pdfsig(receipt, false)).toContain('Signature Validation: Signature is Valid.');
    expect(pdfsig(receipt, false)).not.toContain('Certificate is Trusted');

    // One changed byte inside the signed range: the signature no longer holds.
    const changed = path.join(tmp.dir, 'changed.pdf');
    copyFileSync(receipt, changed);
    const bytes = readFileSync(changed);
    const at = bytes.indexOf('/Producer');
    bytes[at + 12] = bytes[at + 12]! ^ 0x01;
    writeFileSync(changed, bytes);
    const tampered = pdfsig(changed);
    expect(tampered).not.toContain('Signature is Valid.');
    expect(tampered).toMatch(/Signature Validation: (Signature is Invalid|Digest Mismatch)/);
  });

  it('renders the journal for a period, and says which data folder it looked in when a case or the database is not there', () => {
    const from = today();
    const out = path.join(tmp.dir, 'journal.pdf');
    const journal = jardem(['forms', 'render', 'journal', '--from', from, '--to', from, '--out', out, '--data-dir', counter.ws.ctx.dataDir, '--lang', 'kk']);
    expect(journal.status, journal.stderr).toBe(0);
    expect(JSON.parse(journal.stdout)).toMatchObject({ rows: expect.any(Number), from, to: from });
    expect(text(out)).toContain('ӨТІНІШТЕРДІ ТІРКЕУ ЖУРНАЛЫ');
    expect(text(out)).toContain('Ережеге 21-қосымша');
    expect(jardem(['forms', 'render', 'journal', '--from', '2001-01-01', '--to', '2001-01-02', '--out', out, '--data-dir', counter.ws.ctx.dataDir]).stderr).toContain('В журнале нет записей за выбранный период');

    // Without --data-dir: the app's own default folder, named in the message.
    const home = path.join(tmp.dir, 'home');
    const env = { ...process.env, HOME: home, JARDEM_DATA_DIR: '', XDG_DATA_HOME: '' };
    const none = jardem(['forms', 'render', 'receipt', '--case', 'AUE-W1-2026-000001', '--out', out], env);
    expect(none.status).toBe(1);
    expect(none.stderr.trim()).toBe(`В папке данных ${path.join(home, '.local', 'share', 'jardem')} нет базы Jardem. Укажите папку, в которой работает приложение: --data-dir DIR`);
    const missing = jardem(['forms', 'render', 'decision', '--case', 'AUE-W1-2026-999999', '--out', out, '--data-dir', counter.ws.ctx.dataDir, '--lang', 'kk']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`«AUE-W1-2026-999999» ісі ${counter.ws.ctx.dataDir} деректер қалтасынан табылмады. Басқа қалта: --data-dir DIR`);
    const unknown = jardem(['forms', 'render', 'act', '--case', 'x', '--out', out]);
    expect(unknown.stderr).toContain('commission_act, commission_conclusion, decision, notification');
  });
});
