import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedPages, CaseVerification, RegisterResult, ScannerSettings, ScannerStatus } from '../shared/contract/types';
import { blobPath } from '../electron/services/blob-store';
import { signerFor } from '../electron/services/signing';
import { configureScanner } from '../electron/services/pages';
import { HEAD, makePki, makeWorkstation, tempDir } from './helpers';

const tmp = tempDir('pages');
let pki: ReturnType<typeof makePki>;
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
let caseId: string;
const saneDir = path.join(tmp.dir, 'sane');
const applicant = { iin: '850615300012', surname: 'Әбілқайыров', givenName: 'Нұрсұлтан', birthDate: '1985-06-15', address: 'Алматы', phone: '+77015551234', docLanguage: 'kk' };

type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; params?: Record<string, unknown>; fieldErrors?: Record<string, string> } };
const call = async <T>(method: string, input: unknown, session = token) => (await ws.dispatch({ method, input, session })) as Ok<T> | Err;
const ok = async <T>(method: string, input: unknown, session = token) => {
  const r = await call<T>(method, input, session);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const counts = () => ws.ctx.db.prepare('SELECT (SELECT count(*) FROM case_events) AS events, (SELECT count(*) FROM blobs) AS blobs, (SELECT count(*) FROM case_pages) AS pages').get();
const sane = (extra: Partial<Extract<ScannerSettings, { source: 'sane' }>> = {}): ScannerSettings => ({ source: 'sane', device: 'test:0', dpi: 200, mode: 'Color', saneConfigDir: saneDir, testPicture: 'Grid', ...extra });

beforeAll(async () => {
  process.env.JARDEM_SCANNER_TEST_OPTIONS = '1';
  // SANE's virtual scanner, configured without touching /etc (setup-notes.md).
  mkdirSync(saneDir, { recursive: true });
  writeFileSync(path.join(saneDir, 'dll.conf'), 'test\n');
  copyFileSync('/etc/sane.d/test.conf', path.join(saneDir, 'test.conf'));
  pki = makePki(path.join(tmp.dir, 'pki'));
  ws = makeWorkstation(path.join(tmp.dir, 'data'), pki.dir);
  token = (await ok<{ token: string }>('session.signIn', { p12Base64: pki.issue(), password: 'pw' }, '')).token;
  caseId = (await ok<RegisterResult>('cases.registerApplicant', applicant)).case.id;
});
afterAll(() => {
  ws.ctx.db.close();
  tmp.remove();
});

describe('scanning with SANE', () => {
  it('detects the test scanner, scans a page, checks it, stores it once and certifies it with a signature openssl verifies', async () => {
    configureScanner(ws.ctx, sane());
    expect(await call('scanner.configure', sane())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const status = await ok<ScannerStatus>('scanner.status', {});
    expect(status.ready).toBe(true);
    expect(status.devices.map((d) => d.id)).toContain('test:0');

    const { pages } = await ok<CapturedPages>('pages.scan', { caseId, documentKind: 'identity_document:citizen_id' });
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(page).toMatchObject({ documentKind: 'identity_document:citizen_id', position: 1, mediaType: 'image/png', dpi: 200, quality: [], source: 'scanner:sane' });
    expect(page.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    expect(page.signature).toMatchObject({ valid: true, errors: [], signer: { iin: '900512400018', role: 'specialist' } });

    const file = blobPath(ws.ctx.dataDir, page.blobSha256);
    const sig = ws.ctx.db.prepare('SELECT signature_sha256 AS s FROM case_pages WHERE page_id = ?').get(page.pageId) as { s: string };
    const openssl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', file, '-in', blobPath(ws.ctx.dataDir, sig.s), '-CAfile', path.join(pki.dir, 'root.crt.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(openssl.stderr).toContain('Verification successful');
    expect(await sharp(readFileSync(file)).metadata()).toMatchObject({ format: 'png', density: 200 });
  });

  it('flags a blank page and a low resolution for the specialist to see', async () => {
    configureScanner(ws.ctx, sane({ testPicture: 'Solid white', dpi: 100, mode: 'Gray' }));
    const { pages } = await ok<CapturedPages>('pages.scan', { caseId, documentKind: 'identity_document:citizen_id' });
    expect(pages[0]!.quality.sort()).toEqual(['blank', 'low_resolution']);
    expect(pages[0]!.position).toBe(2);
  });

  it('says the scanner is busy or absent, and stores nothing', async () => {
    const before = counts();
    configureScanner(ws.ctx, sane({ extraArgs: ['--read-return-value', 'SANE_STATUS_DEVICE_BUSY'] }));
    const busy = await call('pages.scan', { caseId, documentKind: 'birth_certificate' });
    expect(busy).toMatchObject({ ok: false, error: { code: 'scanner.busy' } });
    configureScanner(ws.ctx, sane({ device: 'nonexistent:0' }));
    expect(await call('pages.scan', { caseId, documentKind: 'birth_certificate' })).toMatchObject({ ok: false, error: { code: 'scanner.absent' } });
    const empty = path.join(tmp.dir, 'no-backends');
    mkdirSync(empty, { recursive: true });
    writeFileSync(path.join(empty, 'dll.conf'), '');
    configureScanner(ws.ctx, sane({ device: null, saneConfigDir: empty }));
    expect((await ok<ScannerStatus>('scanner.status', {})).ready).toBe(false);
    expect(counts()).toEqual(before);
  });
});

describe('importing files', () => {
  it('imports a multi-page PDF as one page each, checking each scanned page’s image; refuses a PDF with no pages, a non-image and a file over 25 MB', async () => {
    // A scanner's PDF: page 1 a readable A4 JPEG at 200 dpi, page 2 a blank 8-bit grey image at 100 dpi, page 3 text only.
    const a4 = (dpi: number) => ({ width: Math.round((210 / 25.4) * dpi), height: Math.round((297 / 25.4) * dpi) });
    const readable = await sharp({ create: { ...a4(200), channels: 3, background: '#fff' } })
      .composite([{ input: { create: { width: 1000, height: 60, channels: 3, background: '#000' } }, top: 400, left: 200 }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const blank = await sharp({ create: { ...a4(100), channels: 3, background: '#fff' } }).png().toBuffer();
    const pdf = await PDFDocument.create();
    for (const image of [await pdf.embedJpg(readable), await pdf.embedPng(blank)]) pdf.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
    pdf.addPage().drawText('Jardem');
    const three = Buffer.from(await pdf.save());
    const r = await ok<CapturedPages>('pages.import', { caseId, documentKind: 'birth_certificate:child-1', fileName: 'birth.pdf', base64: three.toString('base64') });
    expect(r.pages.map((p) => [p.position, p.mediaType, p.dpi, p.quality])).toEqual([
      [1, 'application/pdf', 200, []],
      [2, 'application/pdf', 100, expect.arrayContaining(['low_resolution', 'blank'])],
      [3, 'application/pdf', null, ['not_checked']],
    ]);
    expect(r.pages[0]!.thumbnail).toMatch(/^data:image\/jpeg;base64,/);

    const before = counts();
    const zero = Buffer.from(await (await PDFDocument.create()).save({ addDefaultPage: false }));
    expect(await call('pages.import', { caseId, documentKind: 'birth_certificate', fileName: 'empty.pdf', base64: zero.toString('base64') })).toMatchObject({ ok: false, error: { code: 'page.pdf_empty' } });
    expect(await call('pages.import', { caseId, documentKind: 'birth_certificate', fileName: 'notes.txt', base64: Buffer.from('hello').toString('base64') })).toMatchObject({ ok: false, error: { code: 'page.not_image' } });
    const big = Buffer.alloc(25 * 1024 * 1024 + 1, 0);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(big);
    expect(await call('pages.import', { caseId, documentKind: 'birth_certificate', fileName: 'huge.png', base64: big.toString('base64') })).toMatchObject({ ok: false, error: { code: 'page.too_large', params: { mb: 25 } } });
    const png = (await ok<CapturedPages>('pages.list', { caseId })).pages.find((p) => p.mediaType === 'image/png')!;
    const broken = readFileSync(blobPath(ws.ctx.dataDir, png.blobSha256)).subarray(0, 2000);
    expect(await call('pages.import', { caseId, documentKind: 'birth_certificate', fileName: 'cut.png', base64: broken.toString('base64') })).toMatchObject({ ok: false, error: { code: 'page.unreadable' } });
    expect(counts()).toEqual(before);
  });

  it('flags a blurred photo of a document', async () => {
    const grid = readFileSync(blobPath(ws.ctx.dataDir, (await ok<CapturedPages>('pages.list', { caseId })).pages.find((p) => p.mediaType === 'image/png' && p.quality.length === 0)!.blobSha256));
    const blurred = await sharp(grid).blur(3).png().toBuffer();
    const r = await ok<CapturedPages>('pages.import', { caseId, documentKind: 'marriage_certificate', fileName: 'photo.png', base64: blurred.toString('base64') });
    expect(r.pages[0]!.quality).toEqual(['blurred']);
  });
});

describe('rearranging pages, and the signed log', () => {
  it('turns, moves and removes pages with signed events; "Verify case" re-checks every page and names a changed byte', async () => {
    const list = () => ok<CapturedPages>('pages.list', { caseId }).then((r) => r.pages.filter((p) => p.documentKind === 'identity_document:citizen_id'));
    const [first, second] = await list();
    const turned = (await ok<CapturedPages>('pages.rotate', { caseId, pageId: first!.pageId, degrees: 90 })).pages[0]!;
    expect([turned.width, turned.height]).toEqual([first!.height, first!.width]);
    expect(turned.position).toBe(1);
    await ok('pages.move', { caseId, pageId: second!.pageId, direction: 'up' });
    expect((await list()).map((p) => p.pageId)).toEqual([second!.pageId, turned.pageId]);
    await ok('pages.remove', { caseId, pageId: second!.pageId });
    expect((await list()).map((p) => p.pageId)).toEqual([turned.pageId]);

    const v = await ok<CaseVerification>('cases.verify', { caseId });
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.events.map((e) => e.type)).toEqual(expect.arrayContaining(['page.captured', 'page.removed', 'pages.reordered']));
    expect(v.pages.length).toBeGreaterThanOrEqual(6);

    // One changed byte in a stored scan is found and named.
    const file = blobPath(ws.ctx.dataDir, turned.blobSha256);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0x01;
    chmodSync(file, 0o644);
    writeFileSync(file, bytes);
    const seq = (ws.ctx.db.prepare('SELECT event_seq AS s FROM case_pages WHERE page_id = ?').get(turned.pageId) as { s: number }).s;
    const after = await ok<CaseVerification>('cases.verify', { caseId });
    expect(after.valid).toBe(false);
    expect(after.problems).toEqual([`page:${seq}:blob_changed_or_missing`, `page:${seq}:signature:content_changed`]);
  });
});

describe('who may certify copies', () => {
  it('refuses a head’s key in the services, not only in the UI, and stores nothing', async () => {
    const headToken = (await ok<{ token: string }>('session.signIn', { p12Base64: pki.issue({ role: 'head', ...HEAD }), password: 'pw' }, '')).token;
    const before = counts();
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).png().toBuffer();
    const r = await call('pages.import', { caseId, documentKind: 'birth_certificate', fileName: 'a.png', base64: png.toString('base64') }, headToken);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(counts()).toEqual(before);
    // Beneath the method table, the signer itself refuses an act the key's roles may not certify.
    const head = ws.ctx.sessions.get(headToken)!;
    expect(() => signerFor(ws.ctx, head, 'page.certified')).toThrow(expect.objectContaining({ code: 'ecp.role_not_allowed' }));
    const specialist = ws.ctx.sessions.get(token)!;
    expect(() => signerFor(ws.ctx, specialist, 'decision')).toThrow(expect.objectContaining({ code: 'ecp.role_not_allowed', params: { act: 'decision', role: 'specialist' } }));
    expect(head.unlocked).not.toBeNull();
    expect(() => signerFor(ws.ctx, head, 'decision')).not.toThrow();
  });
});

describe('a scanner that saves files into a folder', () => {
  it('takes the files there, oldest first, and moves them to taken/; says so when the folder is empty', async () => {
    const folder = path.join(tmp.dir, 'scanner-out');
    mkdirSync(folder, { recursive: true });
    const white = await sharp({ create: { width: 1654, height: 1200, channels: 3, background: '#fff' } }).composite([{ input: { create: { width: 1000, height: 60, channels: 3, background: '#000' } }, top: 100, left: 100 }]).withMetadata({ density: 300 }).png().toBuffer();
    writeFileSync(path.join(folder, 'scan-001.png'), white);
    configureScanner(ws.ctx, { source: 'folder', folder });
    expect(await ok<ScannerStatus>('scanner.status', {})).toMatchObject({ ready: true, waiting: 1 });
    const r = await ok<CapturedPages>('pages.scan', { caseId, documentKind: 'bank_account' });
    expect(r.pages).toHaveLength(1);
    expect(r.pages[0]).toMatchObject({ dpi: 300, source: 'scanner:folder', quality: [] });
    expect(readdirSync(folder)).toEqual(['taken']);
    expect(readdirSync(path.join(folder, 'taken'))[0]).toMatch(/-scan-001\.png$/);
    expect((await ok<ScannerStatus>('scanner.status', {})).waiting).toBe(0);
    expect(await call('pages.scan', { caseId, documentKind: 'bank_account' })).toMatchObject({ ok: false, error: { code: 'scanner.folder_empty' } });
  });

  it('records that the originals went back to the applicant, as a signed event', async () => {
    const r = await ok<{ returned: true; pages: number }>('pages.originalsReturned', { caseId });
    expect(r.pages).toBeGreaterThan(0);
    const v = await ok<CaseVerification>('cases.verify', { caseId });
    expect(v.events.at(-1)).toMatchObject({ type: 'originals.returned', roleAllowed: true });
  });
});
