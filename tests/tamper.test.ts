/**
 * Tampering with the stored files of a real case: a scan, an event
 * (its triggers dropped), a certified form, and a deleted last event. Each is found and named; a changed scan or
 * form is never handed out (point 1) and the same bytes repair a damaged file.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobPath } from '../electron/services/blob-store';
import { openDatabase } from '../db/open';
import { errorMessage } from '../shared/i18n/messages';
import type { CapturedPages, CaseVerification, ImportedPages, IssuedForm } from '../shared/contract/types';
import { tempDir } from './helpers';
import { acceptedCase, counterWorkstation } from './intake-helpers';

const tmp = tempDir('tamper');
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
let token: string;
let caseId: string;
let caseNumber: string;
type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; params?: Record<string, string | number> } };
const call = async <T>(method: string, input: unknown) => (await counter.ws.dispatch({ method, input, session: token })) as Answer<T>;
const ok = async <T>(method: string, input: unknown) => {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const verify = () => ok<CaseVerification>('cases.verify', { caseId });
const events = () => counter.ws.ctx.db.prepare('SELECT count(*) FROM case_events WHERE case_id = ?').pluck().get(caseId) as number;

/** One byte of a stored blob changed, as someone with the files could (blobs are read-only: they make it writable). */
function flipByte(sha: string, at = 100) {
  const file = blobPath(counter.ws.ctx.dataDir, sha);
  chmodSync(file, 0o600);
  const bytes = readFileSync(file);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(file, bytes);
}

beforeAll(async () => {
  counter = await counterWorkstation(tmp);
  token = await counter.signIn(counter.pki.issue());
  const ok = async <T>(method: string, input: unknown) => {
    const r = (await counter.ws.dispatch({ method, input, session: token })) as Answer<T>;
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const { c } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, 0);
  caseId = c.id;
  caseNumber = c.caseNumber;
  await ok<IssuedForm>('forms.issueReceipt', { caseId });
  expect((await ok<CaseVerification>('cases.verify', { caseId })).problems).toEqual([]);
}, 60_000);
afterAll(() => counter.close());

describe('a tampered scan', () => {
  it('is refused when shown or turned, named, marked damaged, and repaired by importing the same bytes again', async () => {
    const page = (await ok<CapturedPages>('pages.list', { caseId })).pages[0]!;
    const original = (await ok<{ base64: string }>('pages.image', { caseId, pageId: page.pageId })).base64;
    flipByte(page.blobSha256);

    const image = await call('pages.image', { caseId, pageId: page.pageId });
    expect(image).toEqual({ ok: false, error: { code: 'blob.page_damaged', params: { sha: page.blobSha256.slice(0, 12), state: 'blob.state.changed', n: page.position, document: `document.${page.documentKind}` } } });
    const error = (image as { error: { code: string; params: Record<string, string | number> } }).error;
    expect(errorMessage('ru', error)).toContain(`Скан страницы ${page.position} («`);
    expect(errorMessage('ru', error)).toContain('изменён после сохранения');
    expect(errorMessage('kk', error)).toContain(`${page.position}-бет сканы`);
    expect(errorMessage('kk', error)).toContain('сақталғаннан кейін өзгертілген');
    // A child's birth certificate is named as a birth certificate.
    expect(errorMessage('ru', { code: 'blob.page_damaged', params: { ...error.params, document: 'document.birth_certificate:c1' } })).toContain('«Свидетельство о рождении»');
    expect(errorMessage('kk', { code: 'blob.page_damaged', params: { ...error.params, document: 'document.identity_document:citizen_id' } })).toContain('«Жеке куәлік»');
    expect(await call('pages.rotate', { caseId, pageId: page.pageId, degrees: 90 })).toMatchObject({ ok: false, error: { code: 'blob.page_damaged' } });
    const listed = (await ok<CapturedPages>('pages.list', { caseId })).pages.find((p) => p.pageId === page.pageId)!;
    expect(listed.damaged).toBe('changed');
    expect(listed.signature.errors).toContain('content_changed');
    expect((await verify()).problems.some((p) => /^page:\d+:blob_changed_or_missing$/.test(p))).toBe(true);

    // The same original again: the file is rewritten, nothing new is certified.
    const before = events();
    const repaired = await ok<ImportedPages>('pages.import', { caseId, documentKind: page.documentKind, fileName: 'again.png', base64: original });
    expect(repaired.repaired).toEqual([page.blobSha256]);
    expect(events()).toBe(before);
    expect(statSync(blobPath(counter.ws.ctx.dataDir, page.blobSha256)).mode & 0o777).toBe(0o400);
    expect((await ok<{ base64: string }>('pages.image', { caseId, pageId: page.pageId })).base64).toBe(original);
    expect((await verify()).problems).toEqual([]);

    // A file gone altogether: the same.
    rmSync(blobPath(counter.ws.ctx.dataDir, page.blobSha256));
    expect(await call('pages.image', { caseId, pageId: page.pageId })).toMatchObject({ ok: false, error: { code: 'blob.page_damaged', params: { state: 'blob.state.missing' } } });
    expect((await ok<CapturedPages>('pages.list', { caseId })).pages.find((p) => p.pageId === page.pageId)!.damaged).toBe('missing');
    expect((await ok<ImportedPages>('pages.import', { caseId, documentKind: page.documentKind, fileName: 'again.png', base64: original })).repaired).toEqual([page.blobSha256]);
    expect((await verify()).problems).toEqual([]);
  });
});

describe('a tampered form', () => {
  it('is refused at reprint and by the command line, named in kk and ru; Verify case names it', async () => {
    const doc = counter.ws.ctx.db.prepare("SELECT blob_sha256, signature_sha256, event_seq FROM case_documents WHERE case_id = ? AND form = 'receipt'").get(caseId) as { blob_sha256: string; signature_sha256: string; event_seq: number };
    const good = await ok<IssuedForm>('forms.reprint', { caseId, form: 'receipt' });
    flipByte(doc.blob_sha256, 200);
    // Before the hardening this answered ok:true with the changed bytes.
    const r = await call('forms.reprint', { caseId, form: 'receipt' });
    expect(r).toEqual({ ok: false, error: { code: 'blob.form_damaged', params: { sha: doc.blob_sha256.slice(0, 12), state: 'blob.state.changed', form: 'blob.form.receipt' } } });
    const error = (r as { error: { code: string; params: Record<string, string | number> } }).error;
    expect(errorMessage('ru', error)).toContain('Заверенная копия «Отрывной талон» повреждена');
    expect(errorMessage('kk', error)).toContain('«Үзбелі талон» куәландырылған көшірмесі зақымдалған');
    const out = path.join(tmp.dir, 'reprint.pdf');
    const cli = spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), 'forms', 'render', 'receipt', '--case', caseNumber, '--out', out, '--data-dir', counter.ws.ctx.dataDir, '--lang', 'kk'], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('«Үзбелі талон» куәландырылған көшірмесі зақымдалған');
    expect(spawnSync('test', ['-e', out]).status).not.toBe(0);
    expect((await verify()).problems).toContain(`document:${doc.event_seq}:blob_changed_or_missing`);

    // Its signature file changed instead: refused the same way.
    writeFileSync(blobPath(counter.ws.ctx.dataDir, doc.blob_sha256), Buffer.from(good.pdfBase64, 'base64'));
    expect((await ok<IssuedForm>('forms.reprint', { caseId, form: 'receipt' })).pdfBase64).toBe(good.pdfBase64);
    flipByte(doc.signature_sha256, 50);
    expect(await call('forms.reprint', { caseId, form: 'receipt' })).toMatchObject({ ok: false, error: { code: 'blob.form_damaged', params: { sha: doc.signature_sha256.slice(0, 12) } } });
    writeFileSync(blobPath(counter.ws.ctx.dataDir, doc.signature_sha256), Buffer.from(good.p7sBase64, 'base64'));
    expect((await verify()).problems).toEqual([]);
  });
});

describe('a tampered event', () => {
  it('with its triggers dropped and put back: Verify case names the changed event; left dropped, the database is not opened', async () => {
    const file = path.join(counter.ws.ctx.dataDir, 'jardem.sqlite');
    const seq = 2;
    const raw = new Database(file);
    const trigger = (raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'case_events_append_only_update'").pluck().get() as string);
    raw.exec('DROP TRIGGER case_events_append_only_update');
    raw.prepare("UPDATE case_events SET payload = replace(payload, '\"bank\":\"Halyk Bank\"', '\"bank\":\"Kaspi Bank\"') WHERE case_id = ? AND seq = ?").run(caseId, seq);
    expect(raw.prepare('SELECT payload FROM case_events WHERE case_id = ? AND seq = ?').pluck().get(caseId, seq)).toContain('Kaspi Bank');
    // Left so, the app refuses the file.
    expect(() => openDatabase(file)).toThrow(/db.schema_damaged/);
    raw.exec(trigger);
    raw.close();
    const v = await verify();
    expect(v.valid).toBe(false);
    expect(v.problems).toEqual(expect.arrayContaining([`event:${seq}:hash_mismatch`, `event:${seq}:signature:content_changed`]));
    // Put back as it was: clean again.
    const fix = new Database(file);
    fix.exec('DROP TRIGGER case_events_append_only_update');
    fix.prepare("UPDATE case_events SET payload = replace(payload, '\"bank\":\"Kaspi Bank\"', '\"bank\":\"Halyk Bank\"') WHERE case_id = ? AND seq = ?").run(caseId, seq);
    fix.exec(trigger);
    fix.close();
    expect((await verify()).problems).toEqual([]);
  });
});

describe('a deleted last event', () => {
  it('is found although every remaining event is signed and chained: the tables stand on the deleted one', async () => {
    const file = path.join(counter.ws.ctx.dataDir, 'jardem.sqlite');
    const last = events();
    const raw = new Database(file);
    const trigger = raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'case_events_append_only_delete'").pluck().get() as string;
    raw.exec('DROP TRIGGER case_events_append_only_delete');
    raw.prepare('DELETE FROM event_sync WHERE event_id = (SELECT id FROM case_events WHERE case_id = ? AND seq = ?)').run(caseId, last);
    raw.prepare('DELETE FROM case_events WHERE case_id = ? AND seq = ?').run(caseId, last);
    raw.exec(trigger);
    raw.close();
    const v = await verify();
    expect(v.valid).toBe(false);
    expect(v.events.every((e) => e.hashOk && e.chainOk && e.signature?.valid)).toBe(true);
    expect(v.problems).toContain('projection:cases:head_hash:differs,version:differs');
  });
});
