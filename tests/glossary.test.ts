/**
 * The regulation's own words (glossary.md): no message and no form text in Kazakh or Russian uses a word of the
 * glossary's "not" column; Kazakh case endings after numbers follow the number as it is read; codes are shown by
 * their names. The README is held to the same words.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMessage, messages } from '../shared/i18n/messages';
import { FORM_TEXTS, SERVICE_NAME } from '../shared/forms/texts';
import { GLOSSARY, HAND_WRITTEN_ENDING, offences } from '../shared/i18n/glossary';
import { kkEnding, kkNumber, lastWordOf, type KkCase } from '../shared/i18n/kk-numbers';

/** Every string of a form's texts, by its path. */
function formStrings(lang: 'kk' | 'ru'): [string, string][] {
  const out: [string, string][] = [['SERVICE_NAME', SERVICE_NAME[lang]]];
  for (const [form, texts] of Object.entries(FORM_TEXTS)) {
    const mine = (texts as Record<string, unknown>)[lang] as Record<string, string | readonly string[]>;
    for (const [key, value] of Object.entries(mine)) for (const [i, s] of [value].flat().entries()) out.push([`${form}.${key}${Array.isArray(value) ? `[${i}]` : ''}`, s]);
  }
  // The forms' texts kept as messages (shared/i18n/parts/forms.ts) are forms too.
  for (const [key, s] of Object.entries(messages[lang])) if (key.startsWith('pdf.')) out.push([key, s]);
  return out;
}

describe('the glossary’s words', () => {
  it('every term has its official words and at least one word it must not be called', () => {
    for (const t of GLOSSARY) {
      expect(t.kk && t.ru, t.concept).toBeTruthy();
      expect(t.not.length, t.concept).toBeGreaterThan(0);
    }
  });

  it('no message in Kazakh or Russian uses a word of the "not" column', () => {
    const found: string[] = [];
    for (const lang of ['kk', 'ru'] as const) for (const [key, text] of Object.entries(messages[lang])) for (const o of offences(lang, text, 'messages')) found.push(`${lang} ${key}: ${o}`);
    expect(found).toEqual([]);
  });

  it('no form heading or text in Kazakh or Russian uses one either', () => {
    const found: string[] = [];
    for (const lang of ['kk', 'ru'] as const) for (const [key, text] of formStrings(lang)) for (const o of offences(lang, text, 'forms')) found.push(`${lang} ${key}: ${o}`);
    expect(found).toEqual([]);
    // The headings that cite the Rules, word for word.
    expect(FORM_TEXTS.refusal_acceptance.kk.appendix).toBe('Ережеге 20-қосымша');
    expect(FORM_TEXTS.refusal_acceptance.ru.appendix).toBe('Приложение 20 к Правилам');
    expect(FORM_TEXTS.journal.kk.appendix).toBe('Ережеге 21-қосымша');
    expect(FORM_TEXTS.notification.kk.appendix).toBe('Ережеге 22-қосымша');
    expect(SERVICE_NAME).toEqual({ kk: GLOSSARY[0]!.kk, ru: GLOSSARY[0]!.ru });
  });

  it('the test catches the words the review found (so that it can fail)', () => {
    expect(offences('kk', 'Регламенттің 20-қосымшасы', 'forms')).not.toEqual([]);
    expect(offences('kk', 'Қағидалардың 22-қосымшасы', 'forms')).not.toEqual([]);
    expect(offences('kk', 'Регламент, 11-тармақ, 4-кезең', 'messages')).not.toEqual([]);
    expect(offences('ru', 'Регламент, п. 11, этап 4', 'messages')).not.toEqual([]);
    expect(offences('ru', 'Приложение 20 к Регламенту', 'forms')).not.toEqual([]);
    expect(offences('ru', 'Отказ в приёме, прил. 20 (PDF)', 'messages')).not.toEqual([]);
    expect(offences('kk', 'дұрыс емес мәліметтер ұсынылды', 'messages')).not.toEqual([]);
    expect(offences('kk', 'Қолма-қол тапсырылды', 'messages')).not.toEqual([]);
    expect(offences('kk', 'Құжаттар мен сканерлер', 'messages')).not.toEqual([]);
    expect(offences('kk', 'Барлық мәліметтер ақпараттық жүйелермен расталмаған', 'messages')).not.toEqual([]);
    expect(offences('kk', 'жобамен сәйкес', 'messages')).not.toEqual([]);
    expect(offences('kk', 'Ескерту', 'forms')).not.toEqual([]);
    expect(offences('kk', 'бұл тек ескерту', 'messages')).toEqual([]);
    expect(offences('kk', 'жобаға сәйкес келеді', 'messages')).toEqual([]);
    expect(offences('ru', 'Приложение 20 к Правилам', 'forms')).toEqual([]);
    expect(offences('kk', 'Ережеге 20-қосымша', 'forms')).toEqual([]);
    expect(HAND_WRITTEN_ENDING.test('Табылды: {{count}}-ден астам')).toBe(true);
  });

  it('no Kazakh message writes a case ending after a number by hand', () => {
    const found = Object.entries(messages.kk).filter(([, text]) => HAND_WRITTEN_ENDING.test(text)).map(([key]) => key);
    expect(found).toEqual([]);
  });

  it('the README uses the same words', () => {
    const readme = readFileSync('README.md', 'utf8');
    // (Code names in a README for developers are not codes on screen.)
    for (const lang of ['kk', 'ru'] as const) expect(offences(lang, readme, 'messages').filter((o) => !o.startsWith('no raw codes')), lang).toEqual([]);
  });
});

describe('Kazakh case endings after a number (kkNumber)', () => {
  it('follow the number as it is read: 20-дан, 30-дан, 60-тан, 90-нан, 5-тен, 3-тен', () => {
    const abl = (n: number) => kkNumber(n, 'abl');
    expect([20, 30, 60, 90, 5, 3].map(abl)).toEqual(['20-дан', '30-дан', '60-тан', '90-нан', '5-тен', '3-тен']);
    expect([1, 2, 4, 6, 7, 8, 9, 10, 40, 50, 70, 80, 100, 200, 1000, 2000, 1_000_000, 0].map(abl)).toEqual([
      '1-ден', '2-ден', '4-тен', '6-дан', '7-ден', '8-ден', '9-дан', '10-нан', '40-тан', '50-ден', '70-тен', '80-нен', '100-ден', '200-ден', '1000-нан', '2000-нан', '1000000-нан', '0-ден',
    ]);
    // The last word read decides: 25 is жиырма бес, 1990 is … тоқсан, 2010 is … он, 300 is үш жүз.
    expect([25, 1990, 2010, 300, 1001].map(lastWordOf)).toEqual(['бес', 'тоқсан', 'он', 'жүз', 'бір']);
  });

  it('in every case the grammar has', () => {
    const table: Record<KkCase, [number, string][]> = {
      dat: [[3, '3-ке'], [6, '6-ға'], [10, '10-ға'], [40, '40-қа'], [50, '50-ге'], [100, '100-ге'], [1000, '1000-ға']],
      loc: [[3, '3-те'], [6, '6-да'], [10, '10-да'], [40, '40-та'], [7, '7-де']],
      gen: [[1, '1-дің'], [2, '2-нің'], [3, '3-тің'], [10, '10-ның'], [9, '9-дың'], [6, '6-ның']],
      acc: [[1, '1-ді'], [2, '2-ні'], [3, '3-ті'], [10, '10-ды'], [6, '6-ны']],
      ins: [[1, '1-мен'], [3, '3-пен'], [8, '8-бен'], [10, '10-мен'], [40, '40-пен']],
      abl: [[15, '15-тен']],
    };
    for (const [kase, rows] of Object.entries(table)) for (const [n, want] of rows) expect(kkNumber(n, kase as KkCase), `${n} ${kase}`).toBe(want);
    expect(kkEnding('миллиард', 'abl')).toBe('тан');
  });

  it('messages ask for the case and get it in Kazakh; Russian and English keep the number', () => {
    expect(formatMessage('kk', 'cases.foundCapped', { count: 200 })).toBe('Табылды: 200-ден астам');
    expect(formatMessage('kk', 'cases.foundCapped', { count: 60 })).toBe('Табылды: 60-тан астам');
    expect(formatMessage('ru', 'cases.foundCapped', { count: 60 })).toBe('Найдено: более 60');
  });
});

describe('codes shown by their names', () => {
  it('the region and the rules version in the messages', () => {
    expect(formatMessage('kk', 'errors.benefit.threshold_missing', { region: 'almaty', year: 2027, quarter: 1 })).toBe('Алматы қаласы үшін 2027 жылғы 1-тоқсанға азық-түлік себетінің құны жоқ: әкімші оны анықтамалыққа енгізеді');
    expect(formatMessage('ru', 'errors.benefit.threshold_missing', { region: 'almaty', year: 2027, quarter: 1 })).toContain('для г. Алматы на 1 квартал 2027 года');
    expect(formatMessage('ru', 'rules.regulation-4-889-2013')).toBe('Регламент в редакции постановления акимата г. Алматы от 18 октября 2013 года № 4/889');
    expect(formatMessage('kk', 'errors.ecp.role_not_allowed', { act: 'decision' })).toContain('«шешім»');
    // The footer is a message, not text in a component.
    expect(formatMessage('kk', 'app.footer')).toContain('ЭЦҚ');
    expect(formatMessage('ru', 'app.footer')).toContain('ЭЦП');
  });
});

describe('the threshold notes (no English on a Kazakh or Russian screen)', () => {
  it('every seeded food-basket row’s note has its Kazakh and Russian reading', async () => {
    const { seedTables } = await import('../shared/domain/benefit');
    const { hasReadings, thresholdNote } = await import('../shared/domain/threshold-notes');
    for (const row of seedTables().foodBasket) {
      expect(hasReadings(row.derivation), row.derivation).toBe(true);
      for (const lang of ['kk', 'ru'] as const) expect(thresholdNote(lang, row.derivation)).not.toMatch(/\b(of the|subsistence|assumed|sourced|quarter)\b/);
      // A link is shown as it reads, never percent-encoded.
      for (const lang of ['kk', 'ru', 'en'] as const) expect(thresholdNote(lang, row.derivation)).not.toMatch(/%[0-9a-f]{2}/i);
    }
    expect(thresholdNote('ru', 'Постановление акимата № 1')).toBe('Постановление акимата № 1');
  });
});
