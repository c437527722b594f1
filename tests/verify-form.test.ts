/**
 * Is this paper genuine? A receipt is issued and printed (its PDF rendered by pdftoppm as a printer would), its QR
 * code read back from the image (zxing-wasm, ZBar for what it misses), and checked offline against the stored form and the trust
 * store; a code with one character changed is refused; another office's paper says so; `jardem verify-form`
 * says the same from the PDF with its detached signature.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedForm, RegisterResult } from '../shared/contract/types';
import { qrTextsOf } from '../electron/services/verify-form/decode';
import { verifyFormCode } from '../electron/services/verify-form/check';
import { tempDir } from './helpers';
import { counterWorkstation, documentPage, familyApplication, REQUIRED_SCANS } from './intake-helpers';
import { sendDueRequests } from '../electron/services/information-systems';

const tmp = tempDir('verify-form');
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
let token: string;
const ok = async <T>(method: string, input: unknown) => {
  const r = (await counter.ws.dispatch({ method, input, session: token })) as { ok: boolean; value: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};

beforeAll(async () => {
  counter = await counterWorkstation(tmp);
  token = await counter.signIn(counter.pki.issue());
}, 120_000);
afterAll(() => counter.close());

describe('a printed receipt checked by its QR code', () => {
  it('reads the QR from the printed page, finds the form genuine, refuses a changed code and another office', async () => {
    const { sim, ws } = counter;
    const family = sim.registry.families[2]!;
    const a = sim.registry.persons.get(family.applicant)!;
    const c = (await ok<RegisterResult>('cases.registerApplicant', { iin: a.iin, surname: a.surname, givenName: a.givenName, patronymic: a.patronymic, birthDate: a.birthDate, address: 'Алматы', phone: '+77015551234', docLanguage: 'ru' })).case;
    await ok('application.record', familyApplication(sim.registry, 2, c.id));
    const base64 = await documentPage();
    for (const kind of REQUIRED_SCANS) await ok('pages.import', { caseId: c.id, documentKind: kind, fileName: `${kind}.png`, base64 });
    await ok('intake.requestChecks', { caseId: c.id });
    await sendDueRequests(ws.ctx);
    await ok('intake.accept', { caseId: c.id });
    const issued = await ok<IssuedForm>('forms.issueReceipt', { caseId: c.id });

    // Printed and scanned: the PDF rendered to an image at 300 dpi, as an office scanner gives it back.
    const pdf = path.join(tmp.dir, 'receipt.pdf');
    writeFileSync(pdf, Buffer.from(issued.pdfBase64, 'base64'));
    writeFileSync(`${pdf}.p7s`, Buffer.from(issued.p7sBase64, 'base64'));
    expect(spawnSync('pdftoppm', ['-r', '300', '-png', '-f', '1', '-l', '1', pdf, path.join(tmp.dir, 'scan')]).status).toBe(0);
    const scan = path.join(tmp.dir, readdirSync(tmp.dir).find((n) => n.startsWith('scan') && n.endsWith('.png'))!);
    const [qr] = await qrTextsOf(scan);
    expect(qr).toBe(`JARDEM:${c.caseNumber}:${issued.verificationCode}`);

    const v = verifyFormCode(ws.ctx, qr!);
    expect(v).toMatchObject({ verdict: 'genuine', caseNumber: c.caseNumber, form: 'receipt', supersededBy: null, sameAsIssued: null });
    expect(v.signer?.iin).toBe('900512400018');
    expect(v.signingTime).not.toBeNull();

    // One character of the code changed: no such document.
    const code = issued.verificationCode;
    const changed = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyFormCode(ws.ctx, `JARDEM:${c.caseNumber}:${changed}`).verdict).toBe('unknown_code');
    expect(verifyFormCode(ws.ctx, `JARDEM:${c.caseNumber.replace(/\d$/, (d) => String((Number(d) + 1) % 10))}:${code}`).verdict).toBe('unknown_code');
    expect(verifyFormCode(ws.ctx, `JARDEM:BOS-W1-2026-000001:${code}`).verdict).toBe('other_office');
    expect(verifyFormCode(ws.ctx, 'https://example.com').verdict).toBe('not_jardem');

    // The command line, from the PDF itself with its detached signature: the same answer, in Russian.
    const r = spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), 'verify-form', pdf, `${pdf}.p7s`, '--data-dir', ws.ctx.dataDir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'genuine', sameAsIssued: true, detached: { valid: true } });
    expect(r.stderr).toContain(`Документ подлинный: Отрывной талон (PDF), дело ${c.caseNumber}`);
  }, 240_000);
});
