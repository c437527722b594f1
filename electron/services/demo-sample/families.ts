/**
 * The sample families of the demo office's year: Kazakh and Russian names, valid IINs (shared/domain/iin.ts),
 * an application as the counter enters it. Pure and seeded: the same seed gives the same families.
 */
import { withCheckDigit } from '../../../shared/domain/iin';
import type { ApplicationPayload } from '../../../shared/events/payloads';

/** A small seeded generator (mulberry32): the sample year must be the same for the same seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof seededRandom>;

interface NameSet {
  surnames: readonly [string, string][];
  men: readonly string[];
  women: readonly string[];
  /** Fathers' names: the patronymic is made from them. */
  fathers: readonly string[];
  son: (father: string) => string;
  daughter: (father: string) => string;
}

const KAZAKH: NameSet = {
  // [a man's surname, a woman's surname]
  surnames: [['Әбенов', 'Әбенова'], ['Жақсылықов', 'Жақсылықова'], ['Нұрғалиев', 'Нұрғалиева'], ['Сәрсенбаев', 'Сәрсенбаева'], ['Төлеуов', 'Төлеуова'], ['Қасымов', 'Қасымова'], ['Оспанов', 'Оспанова'], ['Мұхаметжанов', 'Мұхаметжанова'], ['Бекмұхамбетов', 'Бекмұхамбетова'], ['Ысқақов', 'Ысқақова']],
  men: ['Ерлан', 'Нұрлан', 'Асқар', 'Дәурен', 'Бауыржан', 'Ержан', 'Темірлан', 'Әлихан', 'Нұрсұлтан', 'Айдос'],
  women: ['Айгүл', 'Гүлнар', 'Әсел', 'Жанар', 'Динара', 'Мөлдір', 'Ақерке', 'Аружан', 'Іңкәр', 'Сәуле'],
  fathers: ['Серік', 'Марат', 'Қайрат', 'Ғани', 'Болат', 'Жұмабай', 'Талғат', 'Мұрат'],
  son: (f) => `${f}ұлы`,
  daughter: (f) => `${f}қызы`,
};

const RUSSIAN: NameSet = {
  surnames: [['Иванов', 'Иванова'], ['Ким', 'Ким'], ['Петренко', 'Петренко'], ['Смирнов', 'Смирнова'], ['Козлов', 'Козлова'], ['Пак', 'Пак'], ['Волков', 'Волкова'], ['Мельников', 'Мельникова']],
  men: ['Андрей', 'Сергей', 'Дмитрий', 'Алексей', 'Виктор', 'Денис', 'Артём', 'Максим'],
  women: ['Ольга', 'Елена', 'Наталья', 'Татьяна', 'Ирина', 'Анна', 'Мария', 'Светлана'],
  fathers: ['Иван', 'Сергей', 'Николай', 'Владимир', 'Пётр', 'Александр'],
  son: (f) => `${f === 'Пётр' ? 'Петр' : f}ович`,
  daughter: (f) => `${f === 'Пётр' ? 'Петр' : f}овна`,
};

/** A valid IIN of a person born on `birthDate` (YYYY-MM-DD), of that sex; `serial` makes it theirs. */
export function sampleIin(birthDate: string, sex: 'male' | 'female', serial: number): string {
  const century = birthDate < '2000' ? (sex === 'male' ? 3 : 4) : sex === 'male' ? 5 : 6;
  const yymmdd = birthDate.slice(2, 4) + birthDate.slice(5, 7) + birthDate.slice(8, 10);
  for (let s = serial; s < serial + 20; s++) {
    const iin = withCheckDigit(`${yymmdd}${century}${String(s % 10_000).padStart(4, '0')}`);
    if (iin) return iin;
  }
  throw new Error('no IIN with a check digit');
}

const day = (r: Random, fromYear: number, toYear: number) => `${r.int(fromYear, toYear)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;

export interface SampleFamily {
  docLanguage: 'kk' | 'ru';
  applicant: { iin: string; surname: string; givenName: string; patronymic: string; birthDate: string; address: string; phone: string; docLanguage: 'kk' | 'ru' };
  members: ApplicationPayload['members'];
  bankAccount: { iban: string; bank: string };
}

const STREETS = ['Жандосов көшесі', 'Төле би көшесі', 'Абай даңғылы', 'Саин көшесі', 'Момышұлы көшесі', 'Шаляпин көшесі', 'Алтынсарин даңғылы'];

/** Family number `n` of the sample year: a mother who applies, her husband, one to four children. */
export function sampleFamily(r: Random, n: number): SampleFamily {
  const docLanguage = r.chance(0.65) ? 'kk' : 'ru';
  const names = docLanguage === 'kk' ? KAZAKH : RUSSIAN;
  const [manSurname, womanSurname] = r.pick(names.surnames);
  const serial = 1000 + n * 7;
  const mother = { surname: womanSurname, givenName: r.pick(names.women), patronymic: names.daughter(r.pick(names.fathers)), birthDate: day(r, 1982, 1997) };
  const father = { surname: manSurname, givenName: r.pick(names.men), patronymic: names.son(r.pick(names.fathers)), birthDate: day(r, 1978, 1995) };
  const husband = father.givenName;
  const motherIin = sampleIin(mother.birthDate, 'female', serial);
  const members: ApplicationPayload['members'] = [
    { id: 'm1', relation: 'applicant', iin: motherIin, ...mother },
    { id: 'm2', relation: 'spouse', iin: sampleIin(father.birthDate, 'male', serial + 1), ...father },
  ];
  const children = r.int(1, 4);
  for (let i = 0; i < children; i++) {
    const sex = r.chance(0.5) ? 'male' : 'female';
    const birthDate = day(r, 2010, 2024);
    members.push({
      id: `c${i}`,
      relation: 'child',
      iin: sampleIin(birthDate, sex, serial + 2 + i),
      surname: sex === 'male' ? manSurname : womanSurname,
      givenName: r.pick(sex === 'male' ? names.men : names.women),
      patronymic: sex === 'male' ? names.son(husband) : names.daughter(husband),
      birthDate,
      birthRecord: { number: String(r.int(100, 9999)), date: birthDate, registryOffice: 'Алматы қ. АХАЖ', inKazakhstan: true },
    });
  }
  const address = `Алматы қ., Әуезов ауданы, ${r.pick(STREETS)}, ${r.int(1, 180)}, ${r.int(1, 120)}`;
  return {
    docLanguage,
    applicant: { iin: motherIin, ...mother, address, phone: `+7701${String(r.int(1_000_000, 9_999_999))}`, docLanguage },
    members,
    bankAccount: { iban: `KZ${String(r.int(10, 99))}601A${String(r.int(100_000_000, 999_999_999))}${String(r.int(1000, 9999))}`.slice(0, 20), bank: 'Halyk Bank' },
  };
}
