/**
 * The PDFs signed inside (PAdES): a certified receipt, warm, rendered and signed as issueForm does it
 * (pdfmake, then the PAdES signature with a placeholder, then the detached .p7s over the final PDF), against the
 * same receipt rendered and not signed. Target: ≤ 1.5×. The two alternate, so warm-up and noise fall on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initPki } from '../node/pki/ca';
import { issueStaffKey } from '../node/pki/staff-keys';
import { openKeyFile } from '../node/pki/keyfile';
import { signatureLength, signDetached, type SignOptions } from '../node/pki/cms';
import { renderPdf } from '../electron/services/forms/pdf';
import { signPades } from '../electron/services/forms/pades';
import { receiptDefinition } from '../electron/services/forms/receipt';
import type { KeySigner } from '../electron/services/signing';
import { report } from './stats';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchPades() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-bench-pades-'));
  initPki(path.join(dir, 'pki'));
  const opened = openKeyFile(issueStaffKey({ dir: path.join(dir, 'pki'), role: 'specialist', iin: '900512400018', surname: 'Сейітқали', givenName: 'Әйгерім', patronymic: 'Нұрланқызы', officeCode: 'AUE', password: 'pw' }), 'pw');
  const key = { privateKeyPem: opened.privateKeyPem, chainPem: opened.chainPem };
  const at = new Date();
  const sign = Object.assign((content: Buffer, options?: SignOptions) => signDetached(content, key, at, options), { signatureLength: (options?: SignOptions) => signatureLength(key, options) }) as KeySigner;
  const receipt = receiptDefinition({
    form: 'receipt', language: 'kk', officeName: 'Әуезов ауданының бөлімі', caseNumber: 'AUE-W1-2026-000001', date: '25.11.2026', time: '10:00',
    applicant: { name: 'Әбілқайыров Нұрсұлтан Қайратұлы', iin: '850615300012' },
    documents: [{ label: 'Жеке куәлік', pages: 2 }, { label: 'Өтініш', pages: 1 }, { label: 'Банкпен шарт (шот)', pages: 1 }],
    specialist: 'Сейітқали Әйгерім Нұрланқызы', expectedDecision: '04.12.2026', verificationCode: 'ABCDEFGHJK',
    stamp: { signer: 'Сейітқали Әйгерім', serial: '0B7DB021BA70493166CD7834ED2B0CC3', time: '25.11.2026 10:00' },
  });
  const unsigned = () => renderPdf(receipt);
  const signed = async () => {
    const pdf = await signPades(await renderPdf(receipt), sign, { name: 'IIN900512400018', reason: 'Jardem receipt AUE-W1-2026-000001', location: 'Almaty, KZ', signingTime: at });
    return { pdf, p7s: sign(pdf) };
  };
  const plain: number[] = [];
  const whole: number[] = [];
  const padesOnly: number[] = [];
  for (let i = 0; i < 40; i++) {
    const runs = i % 2 === 0 ? (['u', 's'] as const) : (['s', 'u'] as const);
    for (const r of runs) {
      const t = performance.now();
      if (r === 'u') {
        await unsigned();
        plain.push(performance.now() - t);
      } else {
        const pdf = await renderPdf(receipt);
        const t2 = performance.now();
        sign(await signPades(pdf, sign, { name: 'IIN900512400018', reason: 'Jardem receipt', location: 'Almaty, KZ', signingTime: at }));
        padesOnly.push(performance.now() - t2);
        whole.push(performance.now() - t);
      }
    }
  }
  const { pdf } = await signed();
  // The first ten of each are the warm-up: pdf-lib and pdfmake load, the key is parsed, the placeholder measured.
  report('forms.receipt_pades_signed.warm.median', median(whole.slice(10)), 'ms', median(plain.slice(10)), {
    baselineIs: 'the same receipt rendered by pdfmake, not signed',
    target: '≤ 1.5×',
    padesAndP7sMedianMs: Math.round(median(padesOnly.slice(10)) * 100) / 100,
    signedBytes: pdf.length,
  });
  rmSync(dir, { recursive: true, force: true });
}
