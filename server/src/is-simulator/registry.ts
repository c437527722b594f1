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
  /** A name of `names` none of `taken` has: siblings (and their parents) never share a given name. */
  const fresh = (names: readonly string[], taken: Set<string>) => {
    const left = names.filter((n) => !taken.has(n));
    const name = left.length ? left[Math.floor(rand() * left.length)]! : pick(names);
    taken.add(name);
    return name;
  };

  for (let f = 0; f < families; f++) {
    const surname = pick(SURNAMES);
    const taken = new Set<string>();
    const fatherName = fresh(MALE, taken);
    // Parents of an age to have their children: a mother of 20 to 42 at each birth, a father 0–6 years older.
    const wifeBirth = day(1980, 1996);
    const husbandBirth = shiftDays(wifeBirth, -Math.floor(rand() * 6 * 365));
    const husband: Person = { iin: newIin(husbandBirth, false), surname, givenName: fatherName, patronymic: `${pick(MALE)}ұлы`, birthDate: husbandBirth };
    const wife: Person = { iin: newIin(wifeBirth, true), surname: `${surname}а`, givenName: fresh(FEMALE, taken), patronymic: `${pick(MALE)}қызы`, birthDate: wifeBirth };
    add(husband);
    add(wife);
    // Married at 20–28, the first child a year or more after; siblings at least 18 months apart; none born after 2025.
    const married = earliest(shiftDays(wifeBirth, (20 + Math.floor(rand() * 8)) * 365 + Math.floor(rand() * 365)), '2023-06-30');
    registry.marriages.push({ husbandIin: husband.iin, wifeIin: wife.iin, registeredOn: married });
    const address = `Алматы қ., Әуезов ауданы, ${pick(STREETS)}, ${1 + Math.floor(rand() * 200)}-үй, ${1 + Math.floor(rand() * 120)}-пәтер`;
    const children: string[] = [];
    const count = 1 + Math.floor(rand() * 3);
    const lastBirth = earliest(shiftDays(wifeBirth, 42 * 365), '2025-12-31');
    let next = later(shiftDays(married, 300 + Math.floor(rand() * 700)), '2009-01-01');
    for (let c = 0; c < count && (c === 0 || next <= lastBirth); c++) {
      const female = rand() < 0.5;
      // Every family the registry lists has a child (it is a registry of the benefit's families).
      const birthDate = c === 0 ? earliest(next, lastBirth) : next;
      next = shiftDays(birthDate, 548 + Math.floor(rand() * 1100));
      const child: Person = { iin: newIin(birthDate, female), surname: female ? `${surname}а` : surname, givenName: female ? fresh(FEMALE, taken) : fresh(MALE, taken), patronymic: `${fatherName}${female ? 'қызы' : 'ұлы'}`, birthDate };
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

/** The ISO day `days` after `iso` (UTC calendar arithmetic). */
function shiftDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
const earliest = (a: string, b: string) => (a < b ? a : b);
const later = (a: string, b: string) => (a > b ? a : b);

export function sameName(a: string, b: string): boolean {
  return foldName(a.trim()) === foldName(b.trim());
}
