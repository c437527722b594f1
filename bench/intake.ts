/**
 * Intake and case-integrity benchmarks (issues 5 and 4), in-process through the services' dispatcher:
 * - one A4 page at 200 dpi from the scanner's PNG to stored, checked, thumbnailed and certified (target ≤ 300 ms),
 *   against decoding the same PNG to grey pixels with sharp (the floor of any check);
 * - "Verify case" for a case of 60 events and 40 pages (target ≤ 300 ms), against reading and SHA-256 hashing
 *   the same blobs and events without verifying any signature; and since the last check, after one more act
 *   (target ≤ 50 ms), against reading the case's log;
 * - the tear-off receipt PDF, warm (target ≤ 100 ms), against a one-line PDF from the same pdfmake;
 * - the decision PDF with the whole calculation, warm (target ≤ 100 ms), against the same floor.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createContext } from '../electron/services/context';
import { createDispatcher } from '../electron/services/dispatch';
import { setUpWorkstation } from '../electron/services/workstation';
import { blobPath } from '../electron/services/blob-store';
import { benchKey } from './bench-pki';
import { percentile, report } from './stats';
import { renderPdf } from '../electron/services/forms/pdf';
import { receiptDefinition } from '../electron/services/forms/receipt';
import { decisionDefinition } from '../electron/services/forms/decision-forms';
import { calculateBenefit } from '../shared/domain/benefit';

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** An A4 page at 200 dpi: SANE's test scanner grid (it scans at most 200 mm), laid on an A4 sheet. */
async function a4Page(dir: string): Promise<Buffer> {
  const sane = path.join(dir, 'sane');
  mkdirSync(sane, { recursive: true });
  writeFileSync(path.join(sane, 'dll.conf'), 'test\n');
  copyFileSync('/etc/sane.d/test.conf', path.join(sane, 'test.conf'));
  const scan = spawnSync('scanimage', ['-d', 'test', '--format=png', '--resolution', '200', '--mode', 'Gray', '--test-picture', 'Grid', '-x', '200', '-y', '200'], {
    env: { ...process.env, SANE_CONFIG_DIR: sane },
    maxBuffer: 100 * 1024 * 1024,
  });
  if (scan.status !== 0) throw new Error(`scanimage: ${scan.stderr.toString()}`);
  return sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#fff' } })
    .composite([{ input: scan.stdout, top: 80, left: 40 }])
    .greyscale()
    .withMetadata({ density: 200 })
    .png()
    .toBuffer();
}

export async function benchIntake() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jardem-bench-intake-'));
  // The benches' PKI, whose staff register gives the bench specialist the role (sign-in refuses anyone it does not name).
  const { pkiDir, key } = benchKey();
  const ctx = createContext({ dataDir: path.join(dir, 'data'), appVersion: 'bench' });
  setUpWorkstation(ctx, { pkiDir, officeCode: 'AUE', workstationCode: 'W1' });
  const dispatch = createDispatcher(ctx);
  const signIn = (await dispatch({ method: 'session.signIn', input: { p12Base64: readFileSync(key).toString('base64'), password: 'pw' } })) as { ok: boolean; value?: { token: string }; error?: unknown };
  if (!signIn.ok || !signIn.value) throw new Error(`the bench specialist cannot sign in: ${JSON.stringify(signIn.error)}`);
  const token = signIn.value.token;
  const call = async (method: string, input: unknown) => {
    const r = (await dispatch({ method, input, session: token })) as { ok: boolean; value?: unknown; error?: unknown };
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as never;
  };
  const applicant = { iin: '850615300012', surname: 'Бенч', givenName: 'Өтініш', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };
  const page = await a4Page(dir);
  const base64 = page.toString('base64');

  // 1. One page, scanner output → stored, checked, thumbnailed, certified. Each run is a new case: 40 pages a case.
  const capture: number[] = [];
  const decode: number[] = [];
  let caseId = '';
  for (let i = 0; i < 45; i++) {
    // Another applicant for each case: a family has one open application at a time.
    if (i % 40 === 0) caseId = ((await call('cases.registerApplicant', { ...applicant, iin: i === 0 ? applicant.iin : '850615300000' })) as { case: { id: string } }).case.id;
    // A different page each time (one changed pixel row), so content addressing cannot skip the work.
    const bytes = await sharp(page).composite([{ input: { create: { width: 1 + i, height: 1, channels: 3, background: '#000' } }, top: 5, left: 5 }]).png().toBuffer();
    const b64 = i === 0 ? base64 : bytes.toString('base64');
    let t = performance.now();
    await sharp(i === 0 ? page : bytes).greyscale().raw().toBuffer();
    decode.push(performance.now() - t);
    t = performance.now();
    await call('pages.import', { caseId, documentKind: 'identity_document:citizen_id', fileName: 'scan.png', base64: b64 });
    capture.push(performance.now() - t);
  }
  report('intake.page_capture.A4_200dpi.median', median(capture.slice(5)), 'ms', median(decode.slice(5)), {
    baselineIs: 'sharp decode of the same PNG to grey pixels',
    target: '≤ 300 ms',
    pageBytes: page.length,
  });

  // 2. Verify a case of 60 events and 40 pages: the first case has 1 + 40 events; 19 page moves make 60.
  const first = ((await call('cases.search', { query: '850615300012', limit: 20, offset: 0 })) as { items: { id: string; createdAt: string }[] }).items.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0]!.id;
  const pages = ((await call('pages.list', { caseId: first })) as { pages: { pageId: string }[] }).pages;
  for (let i = 0; i < 19; i++) await call('pages.move', { caseId: first, pageId: pages[i]!.pageId, direction: 'down' });
  const events = ctx.db.prepare('SELECT payload, signature FROM case_events WHERE case_id = ?').all(first) as { payload: string; signature: Buffer }[];
  const blobs = ctx.db.prepare('SELECT blob_sha256 AS b, signature_sha256 AS s FROM case_pages WHERE case_id = ?').all(first) as { b: string; s: string }[];
  if (events.length !== 60 || blobs.length !== 40) throw new Error(`expected 60 events and 40 pages, got ${events.length} and ${blobs.length}`);
  const verify: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    const v = (await call('cases.verify', { caseId: first })) as { valid: boolean };
    verify.push(performance.now() - t);
    if (!v.valid) throw new Error('the bench case does not verify');
    t = performance.now();
    for (const e of events) createHash('sha256').update(e.payload).update(e.signature).digest();
    for (const p of blobs) for (const sha of [p.b, p.s]) createHash('sha256').update(readFileSync(blobPath(ctx.dataDir, sha))).digest();
    floor.push(performance.now() - t);
  }
  report('ecp.verify_case.60_events_40_pages.median', median(verify.slice(3)), 'ms', median(floor.slice(3)), {
    baselineIs: 'reading and SHA-256 hashing the same events and blobs, no signature checked',
    target: '≤ 5× the baseline',
  });
  // 2b. Verify case since the last check, as the case screen asks after each act: one more act (a page moved),
  //     then only what is new checked, the rest kept with the trust store's version; against reading the log.
  const since: number[] = [];
  const readLog: number[] = [];
  const logOf = ctx.db.prepare('SELECT * FROM case_events WHERE case_id = ? ORDER BY seq');
  for (let i = 0; i < 15; i++) {
    const seq = logOf.all(first).length;
    await call('pages.move', { caseId: first, pageId: pages[20 + i]!.pageId, direction: 'down' });
    let t = performance.now();
    const v = (await call('cases.verify', { caseId: first, sinceSeq: seq })) as { valid: boolean; checkedFrom?: number };
    since.push(performance.now() - t);
    if (!v.valid || v.checkedFrom !== seq) throw new Error(`the bench case does not verify since ${seq}: ${JSON.stringify(v.checkedFrom)}`);
    t = performance.now();
    logOf.all(first);
    readLog.push(performance.now() - t);
  }
  report('caseview.verify_since_last_check.60_events.median', median(since.slice(3)), 'ms', median(readLog.slice(3)), {
    baselineIs: 'reading the case’s log rows (SELECT of its events), nothing checked',
    target: '≤ 50 ms',
  });
  // 3. The receipt PDF, warm: the document definition rendered by pdfmake with its QR code, against a one-line
  //    PDF from the same pdfmake (the floor of any PDF).
  const receipt = receiptDefinition({
    form: 'receipt', language: 'kk', officeName: 'Әуезов ауданының бөлімі', caseNumber: 'AUE-W1-2026-000001', date: '25.11.2026', time: '10:00',
    applicant: { name: 'Әбілқайыров Нұрсұлтан Қайратұлы', iin: '850615300012' },
    documents: [{ label: 'Жеке куәлік', pages: 2 }, { label: 'Өтініш', pages: 1 }, { label: 'Банкпен шарт (шот)', pages: 1 }],
    specialist: 'Сейітқали Әйгерім Нұрланқызы', expectedDecision: '04.12.2026', verificationCode: 'ABCDEFGHJK',
    stamp: { signer: 'Сейітқали Әйгерім', serial: '0B7DB021BA70493166CD7834ED2B0CC3', time: '25.11.2026 10:00' },
  });
  const oneLine = { defaultStyle: { font: 'Roboto' }, content: ['Jardem'] };
  const pdfTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < 25; i++) {
    let t = performance.now();
    await renderPdf(receipt);
    pdfTimes.push(performance.now() - t);
    t = performance.now();
    await renderPdf(oneLine);
    floorTimes.push(performance.now() - t);
  }
  report('forms.receipt_pdf.warm.median', median(pdfTimes.slice(5)), 'ms', median(floorTimes.slice(5)), { baselineIs: 'a one-line PDF from the same pdfmake', target: '≤ 100 ms' });

  // 4. The decision PDF, warm (target ≤ 100 ms): a family of five with six income lines, the whole
  //    calculation printed, against the same one-line floor.
  const members = [
    { id: 'm1', name: 'Әбілқайырова Сәуле Маратқызы', relation: 'applicant' as const, birthDate: '1988-03-04' },
    { id: 'm2', name: 'Әбілқайыров Нұрсұлтан Қайратұлы', relation: 'spouse' as const, birthDate: '1985-06-15' },
    { id: 'c1', name: 'Әбілқайыров Ерлан Нұрсұлтанұлы', relation: 'child' as const, birthDate: '2012-05-02' },
    { id: 'c2', name: 'Әбілқайырова Ұлжан Нұрсұлтанқызы', relation: 'child' as const, birthDate: '2016-07-10' },
    { id: 'c3', name: 'Әбілқайыров Қайрат Нұрсұлтанұлы', relation: 'child' as const, birthDate: '2019-02-02' },
  ];
  const income = ['2026-07', '2026-08', '2026-09'].flatMap((month) => [
    { memberId: 'm1', kind: 'wage', month, amountTiyn: 9_500_000 },
    { memberId: 'm2', kind: 'pension', month, amountTiyn: 3_000_000 },
  ]);
  const calculation = calculateBenefit({ applicationDate: '2026-11-25', region: 'almaty', members, income });
  const decision = decisionDefinition({
    language: 'kk', officeName: 'Әуезов ауданының бөлімі', caseNumber: 'AUE-W1-2026-000001', date: '25.11.2026',
    applicant: { name: 'Әбілқайырова Сәуле Маратқызы', iin: '880304400012', address: 'Алматы, Әуезов ауданы, 5 ы/а, 12 үй, 34 пәтер' },
    verificationCode: 'ABCDEFGHJK', stamp: { signer: 'Жұмабеков Ерлан', serial: '0B7DB021BA70493166CD7834ED2B0CC3', time: '25.11.2026 10:00' },
    decisionNumber: 'AUE-2026-W1-D00001', journalNumber: 'AUE-2026-W1-00001', outcome: calculation.eligible ? 'assign' : 'refuse',
    refusalGrounds: calculation.refusalReasons, calculation, conclusion: { needs: true, grounds: 'Жан басына табыс азық-түлік себетінен төмен' },
    drafter: 'Сейітқали Әйгерім Нұрланқызы, 900512400018', head: 'Жұмабеков Ерлан Серікұлы',
    draftStamp: { signer: 'Сейітқали Әйгерім', serial: '1A2B3C4D5E6F7081920A1B2C3D4E5F60', time: '25.11.2026 09:30' },
  });
  const decisionTimes: number[] = [];
  const decisionFloor: number[] = [];
  for (let i = 0; i < 25; i++) {
    let t = performance.now();
    await renderPdf(decision);
    decisionTimes.push(performance.now() - t);
    t = performance.now();
    await renderPdf(oneLine);
    decisionFloor.push(performance.now() - t);
  }
  report('forms.decision_pdf.warm.median', median(decisionTimes.slice(5)), 'ms', median(decisionFloor.slice(5)), { baselineIs: 'a one-line PDF from the same pdfmake', target: '≤ 100 ms', eligible: calculation.eligible });
  ctx.db.close();
  rmSync(dir, { recursive: true, force: true });
}
