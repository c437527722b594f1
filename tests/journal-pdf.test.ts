/**
 * The printed journal of applications (Rules, Appendix 21): a landscape PDF for a period in kk or ru,
 * read back with poppler (pdftotext, pdfinfo) and rendered to a PNG to be looked at.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRow } from '../shared/contract/types';
import { formatTiyn } from '../electron/services/forms/journal-pdf';
import { officeDate } from '../shared/local-date';
import { type makeWorkstation, tempDir } from './helpers';
import { acceptedCase, counterWorkstation, type startSimulator } from './intake-helpers';

const tmp = tempDir('journal-pdf');
let ws: ReturnType<typeof makeWorkstation>;
let token: string;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let counter: Awaited<ReturnType<typeof counterWorkstation>>;
let rows: JournalRow[];
type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { code: string; params?: Record<string, unknown> } };
const call = async <T>(method: string, input: unknown) => (await ws.dispatch({ method, input, session: token })) as Ok<T> | Err;
const ok = async <T>(method: string, input: unknown) => {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const poppler = (tool: string, ...args: string[]) => spawnSync(tool, args, { encoding: 'utf8' }).stdout;

/** The journal PDF for today, written to a file. */
async function printed(language: 'kk' | 'ru', extra: Record<string, unknown> = {}) {
  const today = officeDate(ws.ctx.now());
  const r = await ok<{ pdfBase64: string; rows: number }>('journal.pdf', { from: today, to: today, language, ...extra });
  const file = path.join(tmp.dir, `journal-${language}.pdf`);
  writeFileSync(file, Buffer.from(r.pdfBase64, 'base64'));
  return { file, rows: r.rows, text: poppler('pdftotext', '-layout', file, '-') };
}

beforeAll(async () => {
  counter = await counterWorkstation(tmp);
  ({ ws, sim } = counter);
  token = await counter.signIn(counter.pki.issue());
  for (const i of [0, 1]) {
    const { c, flagged } = await acceptedCase(ok, ws.ctx, sim.registry, i);
    await ok('journal.register', { caseId: c.id, scansCompared: true, flagsReviewed: [flagged.pageId] });
  }
  // What the decision and notification steps write into the journal (migration 0006), set here directly.
  const today = officeDate(ws.ctx.now());
  ws.ctx.db
    .prepare("UPDATE journal SET per_capita_tiyn = 4523150, decision = 'assign', decision_number = 'D-7', decided_on = ?, monthly_amount_tiyn = 1966000, period_from = '2026-10-01', period_to = '2026-12-31', notified_on = ?, note = 'тексерілді' WHERE journal_number LIKE '%00002'")
    .run(today, today);
  rows = await ok<JournalRow[]>('journal.list', { from: today, to: today });
}, 120_000);
afterAll(() => counter.close());

describe('the printed journal (Appendix 21)', () => {
  it('prints the period in Russian on landscape A4, with every column and the rows as registered', async () => {
    const { file, rows: count, text } = await printed('ru');
    expect(count).toBe(2);
    expect(poppler('pdfinfo', file)).toMatch(/Page size:\s+841\.89 x 595\.28/);
    for (const r of rows) {
      expect(text).toContain(r.journalNumber);
      expect(text).toContain(r.applicantIin);
      // The surname and given name (Kazakh letters) are on the row's first line.
      expect(text).toContain(r.applicantName.split(' ')[0]);
    }
    expect(rows.map((r) => r.applicantName).join(' ')).toMatch(/[ӘҒҚҢӨҰҮҺІәғқңөұүһі]/);
    for (const h of ['ЖУРНАЛ РЕГИСТРАЦИИ ЗАЯВЛЕНИЙ', 'Приложение 21 к Правилам', '№ в журнале', 'ИИН', 'Дата приёма', 'Заявитель', 'Принятые документы', 'Среднедушевой', 'уведомления', 'Примечание', 'Страница 1 из 1', 'Районный', 'Удостоверение личности']) {
      expect(text, h).toContain(h);
    }
    // The decision columns: empty cells print a dash; the filled row shows tenge with a space between thousands.
    expect(text).toContain('45 231,50');
    expect(text).toContain('19 660,00');
    expect(text).toContain('Назначено');
    expect(text).toContain('№ D-7');
    expect(text).toContain('—');

    mkdirSync(path.resolve('test-results', 'screens'), { recursive: true });
    spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(tmp.dir, 'journal-ru')]);
    copyFileSync(path.join(tmp.dir, 'journal-ru-1.png'), path.resolve('test-results', 'screens', 'journal-pdf-ru.png'));
  });

  it('prints in Kazakh with the Kazakh column headers', async () => {
    const { text } = await printed('kk');
    for (const h of ['ӨТІНІШТЕРДІ ТІРКЕУ ЖУРНАЛЫ', 'Ережеге 21-қосымша', 'Журналдағы №', 'ЖСН', 'Өтініш беруші', 'Қабылданған құжаттар', 'Ескертпе', '1-бет, барлығы 1', 'Тағайындалды', 'Жеке куәлік']) {
      expect(text, h).toContain(h);
    }
    expect(text).toContain(rows[0]!.journalNumber);
  });

  it('prints the filtered rows only, and refuses a period with nothing in it', async () => {
    expect((await printed('ru', { query: rows[1]!.applicantIin })).rows).toBe(1);
    expect(await call('journal.pdf', { from: '2020-01-01', to: '2020-12-31', language: 'kk' })).toMatchObject({ ok: false, error: { code: 'journal.empty_period' } });
    expect(await call('journal.pdf', { from: '2020-01-01', to: '2020-12-31', language: 'en' })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('formats tiyn as tenge with two decimals and spaced thousands', () => {
    expect([formatTiyn(0), formatTiyn(5), formatTiyn(123456789), formatTiyn(null)]).toEqual(['0,00', '0,05', '1\u00a0234\u00a0567,89', '—']);
  });
});
