/**
 * Kazakh case endings after a number written in digits (glossary.md, "Grammar to watch"): the ending follows
 * the number as it is read aloud, by its last word: 20-дан (жиырма), 30-дан (отыз), 60-тан (алпыс), 90-нан
 * (тоқсан), 5-тен (бес), 3-тен (үш), 1000-нан (мың). A message never writes "{{count}}-ден": it asks for the
 * case ({{count, abl}}) and this picks the ending.
 *
 * The endings follow the standard grammar: vowel harmony by the last vowel of the word (back а о ұ ы, front
 * ә е ө ү і), and the consonant by the word's last sound (a vowel; a sonorant л р у й; м н ң; ж з; or a
 * voiceless consonant, with б в г д read voiceless at a word's end).
 */

export const KK_CASES = ['abl', 'dat', 'loc', 'gen', 'acc', 'ins'] as const;
/** abl шығыс (-дан), dat барыс (-ға), loc жатыс (-да), gen ілік (-ның), acc табыс (-ны), ins көмектес (-мен). */
export type KkCase = (typeof KK_CASES)[number];

const UNITS = ['нөл', 'бір', 'екі', 'үш', 'төрт', 'бес', 'алты', 'жеті', 'сегіз', 'тоғыз'];
const TENS = ['', 'он', 'жиырма', 'отыз', 'қырық', 'елу', 'алпыс', 'жетпіс', 'сексен', 'тоқсан'];
const POWERS = ['', 'мың', 'миллион', 'миллиард', 'триллион'];

/** The last word of the number as it is read: 25 → бес, 40 → қырық, 300 → жүз, 2000 → мың. */
export function lastWordOf(n: number): string {
  let m = Math.floor(Math.abs(n));
  if (m === 0) return UNITS[0]!;
  for (let power = 0; m > 0; power++, m = Math.floor(m / 1000)) {
    const group = m % 1000;
    if (group === 0) continue;
    if (power > 0) return POWERS[power] ?? POWERS[POWERS.length - 1]!;
    if (group % 10 !== 0) return UNITS[group % 10]!;
    if (group % 100 !== 0) return TENS[Math.floor(group / 10) % 10]!;
    return 'жүз';
  }
  return UNITS[0]!;
}

const BACK = 'аоұы';
const FRONT = 'әеөүіэ';
const VOWELS = `${BACK}${FRONT}июяё`;

type Sound = 'vowel' | 'sonorant' | 'nasal' | 'voiced' | 'voiceless';

function soundOf(letter: string): Sound {
  if (VOWELS.includes(letter)) return 'vowel';
  if ('лруй'.includes(letter)) return 'sonorant';
  if ('мнң'.includes(letter)) return 'nasal';
  if ('жз'.includes(letter)) return 'voiced';
  return 'voiceless';
}

function isFront(word: string): boolean {
  for (const letter of [...word].reverse()) {
    if (FRONT.includes(letter)) return true;
    if (BACK.includes(letter)) return false;
  }
  return false;
}

/** The ending of `word` in `kase`. */
export function kkEnding(word: string, kase: KkCase): string {
  const w = word.toLowerCase();
  const sound = soundOf(w[w.length - 1]!);
  const front = isFront(w);
  const pick = (back: string, fr: string) => (front ? fr : back);
  switch (kase) {
    case 'abl':
      return sound === 'nasal' ? pick('нан', 'нен') : sound === 'voiceless' ? pick('тан', 'тен') : pick('дан', 'ден');
    case 'dat':
      return sound === 'voiceless' ? pick('қа', 'ке') : pick('ға', 'ге');
    case 'loc':
      return sound === 'voiceless' ? pick('та', 'те') : pick('да', 'де');
    case 'gen':
      return sound === 'vowel' || sound === 'nasal' ? pick('ның', 'нің') : sound === 'voiceless' ? pick('тың', 'тің') : pick('дың', 'дің');
    case 'acc':
      return sound === 'vowel' ? pick('ны', 'ні') : sound === 'voiceless' ? pick('ты', 'ті') : pick('ды', 'ді');
    case 'ins':
      return sound === 'voiceless' ? 'пен' : sound === 'voiced' ? 'бен' : 'мен';
  }
}

/** The number in digits with its case ending after a hyphen, as Kazakh writes it: 20-дан, 5-тен, 3-ке. */
export function kkNumber(n: number, kase: KkCase): string {
  return `${n}-${kkEnding(lastWordOf(n), kase)}`;
}

export function isKkCase(name: string): name is KkCase {
  return (KK_CASES as readonly string[]).includes(name);
}
