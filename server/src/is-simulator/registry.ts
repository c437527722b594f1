/**
 * A synthetic state registry for the information-system simulator, generated from a seed so that the same seed
 * gives the same people: persons, births, marriages, address registrations, income (from pension contributions)
 * and bank accounts. Nothing here is a real person.
 */
import { withCheckDigit } from '../../../shared/domain/iin';
import { foldName } from '../../../shared/text';
import { seededRandom } from '../../../shared/random';

export interface Person {
  iin: string;
  surname: string;
  givenName: string;
  patronymic: string;
  birthDate: string;
}
export interface Birth {
  childIin: string;
  parentIins: string[];
  recordNumber: string;
  registeredOn: string;
}
export interface Registry {
  persons: Map<string, Person>;
  births: Map<string, Birth>;
  marriages: { husbandIin: string; wifeIin: string; registeredOn: string }[];
  addresses: Map<string, string>;
  /** Monthly income per IIN (YYYY-MM → tiyn), from the pension contributions (10 % of income). */
  income: Map<string, Map<string, number>>;
  accounts: Map<string, string>;
  /** The families, applicant first, for demos and tests that need someone the registry knows. */
  families: { applicant: string; spouse: string; children: string[] }[];
}

const MALE = ['Нұрлан', 'Ерлан', 'Асқар', 'Дәулет', 'Серік', 'Бауыржан', 'Ғалым', 'Қайрат', 'Арман', 'Тимур'];
const FEMALE = ['Әйгерім', 'Гүлнар', 'Жанар', 'Айгүл', 'Сәуле', 'Дина', 'Мөлдір', 'Ұлжан', 'Қарлығаш', 'Айнұр'];
const SURNAMES = ['Ахметов', 'Сейітқалиев', 'Жұмабеков', 'Қасымов', 'Нұрғалиев', 'Әбілқайыров', 'Төлегенов', 'Оспанов', 'Мұхтаров', 'Серікбаев'];
const STREETS = ['Абай даңғылы', 'Төле би көшесі', 'Сайын көшесі', 'Жандосов көшесі', 'Өтеген батыр көшесі'];

const rng = seededRandom;

function pad(n: number, width = 2) {
  return String(n).padStart(width, '0');
}

export function generateRegistry(seed: number, families = 300): Registry {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const registry: Registry = { persons: new Map(), births: new Map(), marriages: [], addresses: new Map(), income: new Map(), accounts: new Map(), families: [] };
  let serial = 1000;

  const newIin = (birthDate: string, female: boolean): string => {
    const [y, m, d] = birthDate.split('-');
    const century = Number(y) >= 2000 ? (female ? 6 : 5) : female ? 4 : 3;
    for (;;) {
      serial += 1;
      const iin = withCheckDigit(`${y!.slice(2)}${m}${d}${century}${pad(serial % 10000, 4)}`);
      if (iin && !registry.persons.has(iin)) return iin;
    }
  };
  const day = (fromYear: number, toYear: number) => `${fromYear + Math.floor(rand() * (toYear - fromYear + 1))}-${pad(1 + Math.floor(rand() * 12))}-${pad(1 + Math.floor(rand() * 28))}`;
  const add = (p: Person) => registry.persons.set(p.iin, p);

  for (let f = 0; f < families; f++) {
    const surname = pick(SURNAMES);
    const fatherName = pick(MALE);
    const husbandBirth = day(1975, 1995);
    const wifeBirth = day(1978, 1997);
    const husband: Person = { iin: newIin(husbandBirth, false), surname, givenName: fatherName, patronymic: `${pick(MALE)}ұлы`, birthDate: husbandBirth };
    const wife: Person = { iin: newIin(wifeBirth, true), surname: `${surname}а`, givenName: pick(FEMALE), patronymic: `${pick(MALE)}қызы`, birthDate: wifeBirth };
    add(husband);
    add(wife);
    registry.marriages.push({ husbandIin: husband.iin, wifeIin: wife.iin, registeredOn: day(2009, 2012) });
    const address = `Алматы қ., Әуезов ауданы, ${pick(STREETS)}, ${1 + Math.floor(rand() * 200)}-үй, ${1 + Math.floor(rand() * 120)}-пәтер`;
    const children: string[] = [];
    const count = 1 + Math.floor(rand() * 3);
    for (let c = 0; c < count; c++) {
      const female = rand() < 0.5;
      const birthDate = day(2012, 2024);
      const child: Person = { iin: newIin(birthDate, female), surname: female ? `${surname}а` : surname, givenName: female ? pick(FEMALE) : pick(MALE), patronymic: `${fatherName}${female ? 'қызы' : 'ұлы'}`, birthDate };
      add(child);
      children.push(child.iin);
      registry.births.set(child.iin, { childIin: child.iin, parentIins: [husband.iin, wife.iin], recordNumber: `${pad(Math.floor(rand() * 999999), 6)}`, registeredOn: birthDate });
      registry.addresses.set(child.iin, address);
    }
    registry.addresses.set(husband.iin, address);
    registry.addresses.set(wife.iin, address);
    // A wage for one or both parents, the same every month of the last two years (a simulator, not an economy).
    for (const adult of [husband, wife]) {
      if (adult === wife && rand() < 0.5) continue;
      const months = new Map<string, number>();
      const monthly = (80_000 + Math.floor(rand() * 40) * 5_000) * 100;
      for (let y = 2025; y <= 2026; y++) for (let m = 1; m <= 12; m++) months.set(`${y}-${pad(m)}`, monthly);
      registry.income.set(adult.iin, months);
    }
    registry.accounts.set(wife.iin, `KZ${pad(10 + Math.floor(rand() * 89))}${String(Math.floor(rand() * 1e15)).padStart(15, '0')}1`);
    registry.accounts.set(husband.iin, `KZ${pad(10 + Math.floor(rand() * 89))}${String(Math.floor(rand() * 1e15)).padStart(15, '0')}2`);
    registry.families.push({ applicant: wife.iin, spouse: husband.iin, children });
  }
  return registry;
}

export function sameName(a: string, b: string): boolean {
  return foldName(a.trim()) === foldName(b.trim());
}
