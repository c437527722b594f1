/**
 * Verify case's findings in words a person reads: for every problem code Verify case can give (enumerated here from
 * the code that gives them, electron/services/case-integrity.ts and center.ts, and checked against their templates),
 * a sentence in kk, ru and en naming the record (its name, its time in Almaty time), what is wrong and whom to call,
 * with no raw code in it. Then a real case tampered with (a scan, a form, an information-system answer): each
 * problem Verify case names reads so. And a case that only changed verifies clean when only its new records are
 * checked (it once read "event:2:event.case_missing").
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification, IssuedForm } from '../shared/contract/types';
import { describeProblem, describeProblems, type ProblemEvent } from '../shared/events/problems';
import { PAYLOADS } from '../shared/events/payloads';
import { LANGUAGES, formatMessage, messages } from '../shared/i18n/messages';
import { officeDateTime } from '../shared/local-date';
import { PROJECTION_TABLES } from '../db/repositories/projection';
import { blobPath } from '../electron/services/blob-store';
import { tempDir } from './helpers';
import { acceptedCase, counterWorkstation } from './intake-helpers';
import { caseDetailOf } from '../shared/contract/case-detail';
import type { CaseScreen } from '../shared/contract/types';

const SIGNATURE_ERRORS = ['content_changed', 'signer_certificate_missing', 'signature_invalid', 'unknown_ca', 'revoked', 'expired', 'not_yet_valid', 'wrong_key_usage', 'no_role', 'wrong_role'];
/** What projecting a record can refuse with (shared/events/projection.ts, shared/domain/workflow.ts transitionFor). */
const CATALOGUE_CODES = [
  'event.unknown_type', 'event.payload_invalid', 'event.role_not_allowed', 'event.case_exists', 'event.case_missing', 'event.stale_version', 'event.chain_broken',
  'event.page_exists', 'event.page_missing', 'event.deadline_missing',
  'workflow.case_closed', 'workflow.not_allowed_now', 'workflow.wrong_channel', 'workflow.role_not_allowed', 'workflow.unknown_version',
];
const CODES = [
  ...['not_signed', 'hash_mismatch', 'chain_broken', 'role_not_allowed'].map((d) => `event:2:${d}`),
  ...SIGNATURE_ERRORS.map((e) => `event:2:signature:${e}`),
  ...CATALOGUE_CODES.map((c) => `event:2:${c}`),
  ...['page', 'document'].flatMap((k) => [`${k}:2:blob_changed_or_missing`, ...SIGNATURE_ERRORS.map((e) => `${k}:2:signature:${e}`)]),
  ...['blob_changed_or_missing', 'is.answer_malformed', 'is.answer_unsigned', 'is.answer_untrusted'].map((d) => `answer:2:${d}`),
  'request:2:act_changed_or_missing', ...SIGNATURE_ERRORS.map((e) => `request:2:signature:${e}`), 'request:2:items_changed_or_missing:3',
  ...PROJECTION_TABLES.flatMap((t) => [`projection:${t}:k1/k2:missing`, `projection:${t}:k1:differs`, `projection:${t}:k1:not_in_log`]),
  'projection:cases:stage:differs,version:differs',
  'log:empty',
];
const EVENTS: ProblemEvent[] = [
  { seq: 1, type: 'intake.registered', at: '2026-12-01T04:30:00.000Z' },
  { seq: 2, type: 'page.captured', at: '2026-12-01T04:45:10.000Z' },
];
const CALL = { kk: 'әкімші', ru: 'администратор', en: 'administrator' };

/** The sentence of a code, checked: in every language, no raw code or key, the record, its time, whom to call. */
function sentences(code: string, events: readonly ProblemEvent[]): Record<string, string> {
  const m = describeProblem(code, events);
  expect(m.code).toBe(code);
  const out: Record<string, string> = {};
  for (const lang of LANGUAGES) {
    expect(messages[lang][m.key], `${lang} ${m.key}`).toBeTruthy();
    const text = formatMessage(lang, m.key, m.params);
    out[lang] = text;
    expect(text, `${code} ${lang}`).not.toMatch(/\{\{|\b[a-z_]+\.[a-z_.]+\b|\b(event|page|document|answer|request|projection):/);
    expect(text, `${code} ${lang}`).toContain(CALL[lang]);
    const seq = Number(code.split(':')[1]);
    const e = events.find((x) => x.seq === seq);
    if (e && !code.startsWith('projection') && m.key !== 'verification.event.unknown_type') expect(text, `${code} ${lang}`).toContain(formatMessage(lang, `event.${e.type}`));
    if (e && !code.startsWith('projection')) expect(text, `${code} ${lang}`).toContain(officeDateTime(e.at));
  }
  return out;
}

describe('every problem code of Verify case reads as a sentence', () => {
  it('covers every template the code that finds them writes', () => {
    const templates = ['electron/services/case-integrity.ts', 'electron/services/center.ts'].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes('problems.push('))
        .flatMap((line) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\$\{[^}]+\}/g, '*'))),
    );
    expect(templates.length).toBeGreaterThanOrEqual(15);
    for (const t of templates) {
      const pattern = new RegExp(`^${t.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
      expect(CODES.some((c) => pattern.test(c)), `no code enumerated for ${t}`).toBe(true);
    }
  });

  it('names the record, its time in Almaty, what is wrong and whom to call, in kk, ru and en', () => {
    const keys = new Set<string>();
    for (const code of CODES) {
      sentences(code, EVENTS);
      keys.add(describeProblem(code, EVENTS).key);
    }
    // The codes are told apart: a changed record, a changed scan and an untrusted signature do not read alike.
    expect(keys.size).toBeGreaterThanOrEqual(20);
    expect(sentences('page:2:blob_changed_or_missing', EVENTS).ru).toBe(
      'Файл страницы, отсканированной записью № 2 «Страница отсканирована и заверена ЭЦП» от 01.12.2026 09:45, отсутствует или изменён. Обратитесь к администратору отдела: он восстановит файл из резервной копии; если это невозможно, отсканируйте оригинал заново',
    );
    expect(sentences('event:2:signature:revoked', EVENTS).kk).toContain('сертификат кері қайтарылған');
    // A record Verify case names that the view does not have, and a code it does not know: still a sentence.
    sentences('event:9:hash_mismatch', EVENTS);
    expect(describeProblem('something:new', EVENTS).key).toBe('verification.unknown');
  });

  it('every type of the catalogue has its name in kk, ru and en (the sentences name records by it)', () => {
    for (const type of Object.keys(PAYLOADS)) for (const lang of LANGUAGES) expect(messages[lang][`event.${type}`], `${lang} event.${type}`).toBeTruthy();
  });
});

describe('a real case tampered with', () => {
  const tmp = tempDir('verification-problems');
  let counter: Awaited<ReturnType<typeof counterWorkstation>>;
  let token = '';
  const ok = async <T>(method: string, input: unknown) => {
    const r = (await counter.ws.dispatch({ method, input, session: token })) as { ok: boolean; value?: T; error?: unknown };
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  const flip = (sha: string) => {
    const file = blobPath(counter.ws.ctx.dataDir, sha);
    chmodSync(file, 0o600);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(file, bytes);
  };
  beforeAll(async () => {
    counter = await counterWorkstation(tmp);
    token = await counter.signIn(counter.pki.issue());
  }, 60_000);
  afterAll(() => {
    counter.close();
    tmp.remove();
  });

  it('a case that changed verifies clean when only its new records are checked', async () => {
    const { c } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, 1);
    const before = (caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }))).events.length;
    await ok<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    const recent = await ok<CaseVerification>('cases.verify', { caseId: c.id, sinceSeq: before });
    expect(recent.problems).toEqual([]);
    expect(recent.valid).toBe(true);
  });

  it('a changed scan, form and answer each read as the sentence of their record', async () => {
    const { c } = await acceptedCase(ok, counter.ws.ctx, counter.sim.registry, 0);
    await ok<IssuedForm>('forms.issueReceipt', { caseId: c.id });
    const log = counter.ws.ctx.db.prepare('SELECT seq, type, payload FROM case_events WHERE case_id = ? ORDER BY seq').all(c.id) as { seq: number; type: string; payload: string }[];
    const page = log.find((e) => e.type === 'page.captured')!;
    const form = log.find((e) => e.type === 'form.issued')!;
    const answer = log.find((e) => e.type === 'is.all_confirmed' || e.type === 'is.mismatch_notified')!;
    flip((JSON.parse(page.payload) as { blob: string }).blob);
    flip((JSON.parse(form.payload) as { blob: string }).blob);
    flip((JSON.parse(answer.payload) as { answer: string }).answer);
    const v = await ok<CaseVerification>('cases.verify', { caseId: c.id });
    // (Every required scan was imported from the same picture: one changed file is each of those pages'.)
    for (const code of [`page:${page.seq}:blob_changed_or_missing`, `document:${form.seq}:blob_changed_or_missing`, `answer:${answer.seq}:blob_changed_or_missing`]) expect(v.problems).toContain(code);
    const events = (caseDetailOf(await ok<CaseScreen>('cases.get', { caseId: c.id }))).events;
    const read = v.problems.map((p) => sentences(p, events).ru);
    const of = (code: string) => read[v.problems.indexOf(code)]!;
    expect(of(`page:${page.seq}:blob_changed_or_missing`)).toMatch(/^Файл страницы, отсканированной записью № \d+ «Страница отсканирована и заверена ЭЦП» от \d\d\.\d\d\.\d{4} \d\d:\d\d, отсутствует или изменён/);
    expect(of(`page:${page.seq}:signature:content_changed`)).toMatch(/^Подпись страницы, отсканированной записью № \d+ «Страница отсканирована и заверена ЭЦП» от .+: содержимое изменено\. Обратитесь к администратору отдела$/);
    expect(of(`document:${form.seq}:blob_changed_or_missing`)).toMatch(/^Файл документа, оформленного записью № \d+ «[^»]+» от \d\d\.\d\d\.\d{4} \d\d:\d\d, отсутствует или изменён/);
    expect(of(`answer:${answer.seq}:blob_changed_or_missing`)).toMatch(/^Ответ информационных систем, на котором основана запись № \d+ «[^»]+» от /);
    // On screen, a changed file is one sentence: its signature's failed content check says nothing more.
    const shown = describeProblems(v.problems, events);
    expect(shown.map((p) => p.code)).not.toContain(`page:${page.seq}:signature:content_changed`);
    expect(shown.map((p) => p.code)).toContain(`page:${page.seq}:blob_changed_or_missing`);
    console.log(JSON.stringify({ read: shown.map((p) => formatMessage('ru', p.key, p.params)) }));
  }, 60_000);
});
