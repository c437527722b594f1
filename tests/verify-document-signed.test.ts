/**
 * Verify a document by the signature inside the PDF (PAdES) and by the later acts of its case: a decided case's
 * forms, printed through the services, checked as dropped PDFs. pdfsig (poppler, trusting the simulated root through
 * an NSS database) must agree on each: valid and its signer; a changed byte refused; bytes written after signing
 * refused; no signature inside said plainly. The head's correction to the signed decision makes the decision and the
 * notification no longer current, naming the act, its signer and its time; the receipt stays current.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentsOfCaseNumber } from '../db/repositories/documents';
import { signatureCertificates, signatureLength, signDetached, type Signer } from '../node/pki/cms';
import { openPkcs12 } from '../node/pki/pkcs12';
import { signPades } from '../electron/services/forms/pades';
import { supersedes } from '../shared/domain/superseding';
import { readBlob } from '../electron/services/blob-store';
import { renderPdf } from '../electron/services/forms/pdf';
import { verifyFormCode } from '../electron/services/verify-form/check';
import { pdfDate, verifyInsideSignature } from '../electron/services/verify-form/inside-signature';
import { verifyPaper } from '../electron/services/verify-form/service';
import { paperText } from '../electron/cli/commands/paper';
import { HEAD, tempDir } from './helpers';
import { counterWorkstation } from './intake-helpers';
import { notifiedCase } from './case-flows';

const tmp = tempDir('verify-signed');
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
let nss: string;
let caseNumber: string;
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const pdfsig = (file: string) => run('pdfsig', ['-nssdir', `sql:${nss}`, file]).stdout;
const pdfsigUtc = (file: string) => spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).stdout;
const docs = () => documentsOfCaseNumber(counter.ws.ctx.db, caseNumber);
const stored = (form: string) => {
  const d = docs().find((x) => x.form === form)!;
  return { doc: d, pdf: readBlob(counter.ws.ctx.dataDir, d.blob_sha256)!, p7s: readBlob(counter.ws.ctx.dataDir, d.signature_sha256)! };
};
const save = (name: string, bytes: Buffer) => {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, bytes);
  return file;
};
const verifyDropped = (bytes: Buffer) => verifyPaper(counter.ws.ctx, { base64: bytes.toString('base64') });
const HEAD_NAME = `${HEAD.surname} ${HEAD.givenName}`;

beforeAll(async () => {
  counter = await counterWorkstation(tmp, { families: 60 });
  caseNumber = (await notifiedCase(counter, { eligible: true, docLanguage: 'ru' })).caseNumber;
  nss = path.join(tmp.dir, 'nss');
  mkdirSync(nss);
  expect(run('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']).status).toBe(0);
  expect(run('certutil', ['-d', `sql:${nss}`, '-A', '-n', 'jardem-root', '-t', 'C,C,', '-i', path.join(counter.pki.dir, 'root.crt.pem')]).status).toBe(0);
}, 240_000);
afterAll(() => counter.close());

describe('the signature inside a dropped PDF', () => {
  it('a signed decision: valid inside, signed by the head at the time its dictionary claims, as pdfsig says', async () => {
    const { doc, pdf } = stored('decision');
    const v = await verifyDropped(pdf);
    expect(v).toMatchObject({ verdict: 'genuine', form: 'decision', caseNumber, sameAsIssued: true });
    expect(v.inside).toMatchObject({ present: true, valid: true, errors: [], signer: { iin: HEAD.iin, name: HEAD_NAME } });
    // The time inside is the time the form was issued (the event's), to the second (a PDF date has no milliseconds).
    expect(v.inside!.signingTime!.slice(0, 19)).toBe(doc.issued_at.slice(0, 19));
    const report = pdfsig(save('decision.pdf', pdf));
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain(`Signer Certificate Common Name: ${HEAD_NAME}`);
    expect(report).toContain('Total document signed');
    // pdfsig prints the signing time in the process's zone (TZ=UTC for it here): the same instant.
    const shown = /Signing Time: (.+)/.exec(pdfsigUtc(save('decision.pdf', pdf)))![1]!.trim();
    writeFileSync(path.resolve('test-results', 'pdfsig-decision-time.txt'), `${shown}\n${v.inside!.signingTime}\n`);
    expect(new Date(`${shown} UTC`).toISOString()).toBe(v.inside!.signingTime);
    expect(paperText('ru', v)).toContain(`Подпись внутри PDF действительна: подписал ${HEAD_NAME}`);
    expect(paperText('kk', v)).toContain(`PDF ішіндегі қолтаңба жарамды: қол қойған ${HEAD_NAME}`);
  }, 120_000);

  it('one changed byte inside the signed range: the PDF was changed after signing (pdfsig: not valid)', async () => {
    const { pdf } = stored('receipt');
    const bytes = Buffer.from(pdf);
    const at = bytes.indexOf('/Producer');
    bytes[at + 12] = bytes[at + 12]! ^ 0x01;
    const v = await verifyDropped(bytes);
    expect(v.verdict).toBe('pdf_changed');
    expect(v.inside).toMatchObject({ present: true, valid: false });
    expect(v.inside!.errors).toContain('content_changed');
    expect(v.sameAsIssued).toBe(false);
    expect(pdfsig(save('changed.pdf', bytes))).toMatch(/Signature Validation: (Signature is Invalid|Digest Mismatch)/);
    expect(paperText('ru', v)).toContain('PDF изменён после подписания');
    expect(paperText('kk', v)).toContain('PDF қол қойылғаннан кейін өзгертілген');
  }, 120_000);

  it('bytes written after the signed range (an incremental update): changed after signing, as pdfsig says', async () => {
    const { pdf } = stored('receipt');
    const bytes = Buffer.concat([pdf, Buffer.from('\n1 0 obj\n<< /Title (changed) >>\nendobj\n', 'latin1')]);
    const v = await verifyDropped(bytes);
    expect(v.verdict).toBe('pdf_changed');
    expect(v.inside!.errors).toEqual(['changed_after_signing']);
    expect(pdfsig(save('appended.pdf', bytes))).toContain('Not total document signed');
    expect(paperText('ru', v)).toContain('после подписи в файл дописаны изменения');
  }, 120_000);

  it('a PDF with the genuine QR code and no signature inside says so plainly (pdfsig finds none)', async () => {
    const { doc } = stored('receipt');
    const bytes = await renderPdf({ content: [{ text: 'Копия' }, { qr: `JARDEM:${caseNumber}:${doc.verification_code}`, fit: 84 }] });
    const v = await verifyDropped(bytes);
    expect(v.verdict).toBe('pdf_not_signed');
    expect(v.inside).toMatchObject({ present: false, valid: false });
    expect(pdfsig(save('unsigned.pdf', bytes))).toContain('does not contain any signatures');
    expect(paperText('ru', v)).toContain('в этом PDF нет подписи внутри');
    expect(paperText('kk', v)).toContain('бұл PDF ішінде қолтаңба жоқ');
  }, 120_000);

  it('a PDF signed inside by a trusted key, carrying an issued form’s QR code, that is not the issued copy: refused', async () => {
    const { doc } = stored('receipt');
    const p12 = openPkcs12(Buffer.from(counter.pki.issue(), 'base64'), 'pw');
    const key: Signer = { privateKeyPem: p12.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, chainPem: p12.certificates.map((c) => c.toString()) };
    const now = new Date();
    const sign = Object.assign((content: Buffer, o?: { pades?: boolean }) => signDetached(content, key, now, o), { signatureLength: (o?: { pades?: boolean }) => signatureLength(key, o) });
    const unsigned = await renderPdf({ content: [{ text: 'Расписка' }, { qr: `JARDEM:${caseNumber}:${doc.verification_code}`, fit: 84 }] });
    const bytes = await signPades(unsigned, sign, { name: 'IIN900512400018', reason: 'copy', location: 'Almaty, KZ', signingTime: now });
    const v = await verifyDropped(bytes);
    expect(v.inside).toMatchObject({ present: true, valid: true });
    expect(v).toMatchObject({ verdict: 'pdf_not_issued', sameAsIssued: false });
    expect(pdfsig(save('resigned.pdf', bytes))).toContain('Signature Validation: Signature is Valid.');
    expect(paperText('ru', v)).toContain(`PDF не совпадает с документом, выданным по делу ${caseNumber}`);
  }, 120_000);

  it('the signer revoked in this workstation’s CRL: the signature inside says revoked', () => {
    const { pdf, p7s } = stored('decision');
    const serial = signatureCertificates(p7s)[0]!.serialNumber.toUpperCase().replace(/^0+(?=.)/, '');
    const trust = counter.ws.ctx.trust();
    const v = verifyInsideSignature(pdf, { ...trust, revoked: new Set([...(trust.revoked ?? []), serial]) });
    expect(v).toMatchObject({ present: true, valid: false, errors: ['revoked'] });
  });

  it('a changed digit of the code or of the case number is no such document', () => {
    const { doc } = stored('decision');
    const code = doc.verification_code;
    const digit = code.search(/[2-9]/);
    const changed = digit < 0 ? `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}` : `${code.slice(0, digit)}${code[digit] === '9' ? '2' : String(Number(code[digit]) + 1)}${code.slice(digit + 1)}`;
    expect(verifyFormCode(counter.ws.ctx, `JARDEM:${caseNumber}:${changed}`).verdict).toBe('unknown_code');
    expect(verifyFormCode(counter.ws.ctx, `JARDEM:${caseNumber.replace(/\d$/, (d) => String((Number(d) + 1) % 10))}:${code}`).verdict).toBe('unknown_code');
  });

  it('the PDF date of the signature dictionary, read as an instant', () => {
    expect(pdfDate("D:20261204141500+05'00'")?.toISOString()).toBe('2026-12-04T09:15:00.000Z');
    expect(pdfDate('D:20261204091500Z')?.toISOString()).toBe('2026-12-04T09:15:00.000Z');
    expect(pdfDate('yesterday')).toBeNull();
  });
});

describe('a form no longer current after a later signed act', () => {
  it('the rule: a correction supersedes the decision and the notification, a duplicate closed every form, other acts none', () => {
    expect(['decision', 'notification'].filter((f) => supersedes('decision.corrected', f))).toEqual(['decision', 'notification']);
    expect(supersedes('decision.corrected', 'receipt')).toBe(false);
    expect(['receipt', 'decision', 'commission_act'].every((f) => supersedes('case.closed_as_duplicate', f))).toBe(true);
    expect(supersedes('decision.signed', 'decision')).toBe(false);
  });

  it('the head’s correction to the signed decision: the decision and the notification printed before it name the act, its signer and time; the receipt stays current', async () => {
    const before = verifyFormCode(counter.ws.ctx, `JARDEM:${caseNumber}:${stored('decision').doc.verification_code}`);
    expect(before.supersededByAct).toBeNull();
    const head = await counter.signIn(counter.pki.issue({ role: 'head', ...HEAD }));
    const caseId = docs()[0]!.case_id;
    const r = (await counter.ws.dispatch({ method: 'decision.correct', input: { caseId, correction: 'Әкесінің аты', reason: 'Қате' }, session: head })) as { ok: boolean; error?: unknown };
    expect(r.ok, JSON.stringify(r.error)).toBe(true);

    const { pdf } = stored('decision');
    const decision = await verifyDropped(pdf);
    expect(decision.verdict).toBe('genuine');
    expect(decision.supersededByAct).toMatchObject({ type: 'decision.corrected', signer: { iin: HEAD.iin, name: HEAD_NAME, role: 'head' } });
    expect(decision.supersededByAct!.source).toContain('11.1 stage 6');
    const notification = verifyFormCode(counter.ws.ctx, `JARDEM:${caseNumber}:${stored('notification').doc.verification_code}`);
    expect(notification.supersededByAct?.type).toBe('decision.corrected');
    expect(verifyFormCode(counter.ws.ctx, `JARDEM:${caseNumber}:${stored('receipt').doc.verification_code}`).supersededByAct).toBeNull();
    expect(paperText('ru', decision)).toContain(`Документ больше не действует: позже по делу подписан акт «Исправление к решению (подписано руководителем)» — подписал ${HEAD_NAME}`);
    expect(paperText('kk', decision)).toContain(`Құжат енді күшінде емес: кейін іс бойынша «Шешімге түзету (басшы қол қойды)» актісіне қол қойылған — қол қойған ${HEAD_NAME}`);
  }, 120_000);
});
