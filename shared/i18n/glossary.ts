/**
 * The regulation's own words (../shared/domain/glossary.md, the bilingual review of 2026-12-01): for each concept
 * the official Kazakh and Russian term, and the words the app must not use for it ("not" column), as patterns a
 * test runs over every message and form text. Where a word is wrong only in one sense (ескерту is "a warning", not
 * "a note on a form"; сұрау is right for a request to the information systems, wrong for the Center's electronic
 * request), the pattern names the context, or `forms` limits it to the printed forms.
 */
export interface GlossaryTerm {
  concept: string;
  kk: string;
  ru: string;
  not: { lang: 'kk' | 'ru'; pattern: RegExp; forms?: boolean }[];
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    concept: 'the service (its full title)',
    kk: '18 жасқа дейінгі балалары бар отбасыларға мемлекеттік жәрдемақы тағайындау',
    ru: 'Назначение государственного пособия семьям, имеющим детей до 18 лет',
    not: [
      { lang: 'kk', pattern: /18 жасқа толмаған/i },
      { lang: 'kk', pattern: /18-ге дейінгі/i },
    ],
  },
  {
    concept: 'the Rules (decree 1092), owner of Appendices 2, 4, 20, 21, 22',
    kk: 'Ереже: «Ережеге 20-қосымша»',
    ru: 'Правила: «Приложение 20 к Правилам»',
    not: [
      { lang: 'kk', pattern: /Қағидалар/i },
      { lang: 'kk', pattern: /Ережелер/i },
      { lang: 'kk', pattern: /Регламенттің \d+-қосымша/i },
      { lang: 'kk', pattern: /(?<!Ережеге )\b\d+-қос(ымша|\.)/i },
      { lang: 'ru', pattern: /к Регламенту/i },
      { lang: 'ru', pattern: /прил(ожени[еия]|\.) ?\d+(?!\d| к Правилам)/i },
    ],
  },
  {
    concept: 'a citation of the regulation',
    kk: 'Регламенттің 11-тармағының 1) тармақшасы',
    ru: 'подпункт 1) пункта 11 Регламента',
    not: [
      { lang: 'kk', pattern: /\d+-кезең/i },
      { lang: 'ru', pattern: /этап\w* \d/i },
      { lang: 'ru', pattern: /\d+-й этап/i },
    ],
  },
  { concept: 'the package of documents', kk: 'құжаттар пакеті', ru: 'пакет документов', not: [{ lang: 'kk', pattern: /топтама/i }] },
  {
    concept: 'the Center’s electronic request to the district',
    kk: 'электрондық өтінім',
    ru: 'электронный запрос',
    not: [
      { lang: 'kk', pattern: /сұраныс/i },
      { lang: 'kk', pattern: /ХҚКО(-ның)? сұрау/i },
      { lang: 'kk', pattern: /сұрау салу нөмірі/i },
    ],
  },
  {
    concept: 'consent to bring data into line (after a mismatch)',
    kk: 'мәліметтерді сәйкес келтіруге келісім',
    ru: 'согласие на приведение сведений в соответствие',
    not: [
      { lang: 'kk', pattern: /салыстыру(ға)? келісім/i },
      { lang: 'kk', pattern: /(деректерді|мәліметтерді) салыстыру/i },
      { lang: 'ru', pattern: /согласи\w* на сверку/i },
    ],
  },
  { concept: 'unreliable information (item 10)', kk: 'дәйексіз мәліметтер', ru: 'недостоверные сведения', not: [{ lang: 'kk', pattern: /дұрыс емес мәлімет/i }, { lang: 'kk', pattern: /мәліметтер дұрыс емес/i }] },
  {
    concept: 'handing a result to the applicant',
    kk: 'тапсыру',
    ru: 'вручение',
    not: [
      { lang: 'kk', pattern: /(өтініш берушіге|өзіне) беріл/i },
      { lang: 'ru', pattern: /выда\w*\s+(уведомлени\w*\s+)?заявител/i },
    ],
  },
  { concept: 'in person', kk: 'жеке өзіне', ru: 'лично', not: [{ lang: 'kk', pattern: /қолма-қол/i }] },
  { concept: 'total family income', kk: 'жиынтық табыс', ru: 'совокупный доход', not: [{ lang: 'kk', pattern: /барлық табыс/i }] },
  { concept: 'scanned copies', kk: 'скан-көшірмелер, электрондық көшірмелер', ru: 'электронные (сканированные) копии', not: [{ lang: 'kk', pattern: /сканерлер/i }] },
  { concept: 'the act on the family’s material situation', kk: 'отбасының материалдық жағдайы туралы акт', ru: 'акт обследования материального положения семьи', not: [{ lang: 'kk', pattern: /тексеру акт/i }] },
  { concept: 'a note on a form', kk: 'ескертпе', ru: 'примечание', not: [{ lang: 'kk', pattern: /ескерту/i, forms: true }] },
  {
    concept: 'matches / does not match',
    kk: 'сәйкес келеді / сәйкес келмейді (with the dative: жобаға сәйкес келеді)',
    ru: 'совпадает / не совпадает',
    not: [{ lang: 'kk', pattern: /сәйкес( емес)?(?=\s*($|[.,;:)(]|\s—))/i }],
  },
  { concept: 'monthly', kk: 'ай сайынғы', ru: 'ежемесячный', not: [{ lang: 'kk', pattern: /айлық/i }] },
  { concept: 'to refer to the commission', kk: 'комиссияға жолдау', ru: 'направить в комиссию', not: [{ lang: 'kk', pattern: /комиссияға жібер/i }] },
  // Two acts of two workstations that cannot both stand (a word of the app, not of the regulation).
  { concept: 'a conflict of sync', kk: 'қайшылық', ru: 'конфликт', not: [{ lang: 'kk', pattern: /жанжал/i }, { lang: 'ru', pattern: /коллизи/i }] },
  // Grammar to watch.
  { concept: '"not all were confirmed"', kk: 'бір бөлігі расталмады', ru: 'не все подтверждены', not: [{ lang: 'kk', pattern: /барлық[^.:;]*расталмаған/i }, { lang: 'kk', pattern: /барлық[^.:;]*салыстырылмаған/i }] },
  { concept: 'the attribute before its noun', kk: 'іс жүзіндегі отбасы құрамы', ru: 'фактический состав семьи', not: [{ lang: 'kk', pattern: /отбасы құрамы іс жүзінде/i }] },
  {
    concept: 'no raw codes on screen',
    kk: 'Алматы қаласы; the rules version’s name',
    ru: 'г. Алматы; the rules version’s name',
    not: [
      { lang: 'kk', pattern: /almaty|regulation-\d/i },
      { lang: 'ru', pattern: /almaty|regulation-\d/i },
    ],
  },
];

/** A Kazakh case ending written by hand after a number parameter ("{{count}}-ден"): the ending is chosen in code. */
export const HAND_WRITTEN_ENDING = /\}\}-(да|де|та|те|дан|ден|тан|тен|нан|нен|ға|ге|қа|ке|ның|нің|дың|дің|тың|тің|ны|ні|ды|ді|ты|ті|мен|бен|пен)(?![а-яәғқңөұүһі])/i;

/** The glossary's words a text uses wrongly: the concepts it breaks, with the matching fragment. */
export function offences(lang: 'kk' | 'ru', text: string, where: 'messages' | 'forms'): string[] {
  const out: string[] = [];
  for (const term of GLOSSARY) {
    for (const n of term.not) {
      if (n.lang !== lang || (n.forms && where !== 'forms')) continue;
      const m = n.pattern.exec(text);
      if (m) out.push(`${term.concept}: «${m[0]}»`);
    }
  }
  return out;
}
