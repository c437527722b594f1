/** Synthetic workstation databases for the benchmarks: N cases with valid IINs and Kazakh and Russian names. */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../db/open';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { withCheckDigit } from '../shared/domain/iin';
import { foldName } from '../shared/text';
import { seededRandom } from '../shared/random';

export const SURNAMES = [
  'Әбілқайыров', 'Ахметов', 'Байжанов', 'Ғабитов', 'Дәулетов', 'Ерғалиев', 'Жұмабеков', 'Зейнуллин', 'Исаев', 'Қасымов',
  'Құдайбергенов', 'Мұхаметжанов', 'Нұрланов', 'Оспанов', 'Өтебаев', 'Сейітқали', 'Тоқтаров', 'Ұлықпанов', 'Үсенов', 'Һашимов',
  'Іргебаев', 'Иванов', 'Петров', 'Сидоров', 'Смирнов', 'Кузнецов', 'Попов', 'Семёнов', 'Ким', 'Пак',
  'Бекова', 'Сәрсенбаева', 'Әлиева', 'Иванова', 'Нұрпейісова', 'Қайратова', 'Ли', 'Цой', 'Шәкенов', 'Ыбыраев',
];
const GIVEN = ['Айгүл', 'Әйгерім', 'Нұрсұлтан', 'Ерлан', 'Асқар', 'Дәурен', 'Гүлнар', 'Жанар', 'Мұрат', 'Ольга', 'Сергей', 'Анна', 'Арман', 'Қанат', 'Өмірзақ', 'Ұлан', 'Үміт', 'Ілияс', 'Дмитрий', 'Елена'];
const PATRONYMIC = ['Серікұлы', 'Нұрланқызы', 'Қайратұлы', 'Болатқызы', 'Иванович', 'Петровна', 'Ерланұлы', 'Асқарқызы', ''];

/** Deterministic PRNG, so every run measures the same data. */
export const rng = seededRandom;

export function randomIin(rand: () => number): { iin: string; birthDate: string } {
  for (;;) {
    const year = 1950 + Math.floor(rand() * 56);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const centuryDigit = (year >= 2000 ? 5 : 3) + Math.floor(rand() * 2);
    const serial = String(Math.floor(rand() * 10000)).padStart(4, '0');
    const first11 = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${centuryDigit}${serial}`;
    const iin = withCheckDigit(first11);
    if (iin) return { iin, birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
  }
}

/**
 * The n-th family: a valid IIN and its birth date (a day of 1982, then a serial), each n another family, so that
 * no bench opens the same family twice (a same-family conflict, which is a person's to resolve, not a sync's load).
 */
export function nthFamily(n: number): { iin: string; birthDate: string } {
  const ymd = new Date(Date.UTC(1982, 0, 1 + (n % 336))).toISOString().slice(0, 10);
  for (let serial = Math.floor(n / 336) * 20; ; serial++) {
    const iin = withCheckDigit(`${ymd.slice(2, 4)}${ymd.slice(5, 7)}${ymd.slice(8, 10)}3${String(serial).padStart(4, '0')}`);
    if (iin) return { iin, birthDate: ymd };
  }
}

/** Returns the data folder of a workstation with `n` cases, generating it once (cached under .bench-data/). */
/**
 * A bench workstation cached under .bench-data/<name>-v<schema>: `fill` writes it once into a temporary folder
 * (synchronous off: a crash only loses the cache), which is then renamed into place.
 */
export function cachedBenchDatabase(name: string, fill: (db: Database.Database) => void): { dataDir: string; file: string; generatedMs: number | null } {
  const dataDir = path.resolve('.bench-data', `${name}-v${LATEST_SCHEMA_VERSION}`);
  const file = path.join(dataDir, 'jardem.sqlite');
  if (existsSync(file)) return { dataDir, file, generatedMs: null };
  const started = performance.now();
  const tmp = `${dataDir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const db = openDatabase(path.join(tmp, 'jardem.sqlite'));
  db.pragma('synchronous = OFF');
  fill(db);
  db.close();
  renameSync(tmp, dataDir);
  return { dataDir, file, generatedMs: performance.now() - started };
}

export function benchDatabase(n: number): { dataDir: string; file: string; generatedMs: number | null } {
  return cachedBenchDatabase(`cases-${n}`, (db) => {
    const rand = rng(n);
    const insert = db.prepare(
      `INSERT INTO cases (id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold,
         birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version)
       VALUES (?, ?, 'district', 'intake', ?, ?, ?, ?, ?, ?, 'Алматы, Әуезов ауданы', '+77015551234', ?, 'AUE', '900512400018', ?, 1)`,
    );
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const { iin, birthDate } = randomIin(rand);
        const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
        const given = GIVEN[Math.floor(rand() * GIVEN.length)]!;
        const patronymic = PATRONYMIC[Math.floor(rand() * PATRONYMIC.length)]!;
        const year = 2020 + (i % 7);
        const created = new Date(Date.UTC(year, 0, 1) + (i % 300) * 86_400_000 + i).toISOString();
        insert.run(
          `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
          `AUE-W${1 + (i % 4)}-${year}-${String(i).padStart(7, '0')}`,
          iin, surname, given, patronymic, foldName(`${surname} ${given} ${patronymic}`), birthDate,
          rand() < 0.5 ? 'kk' : 'ru', created,
        );
      }
    });
    for (let i = 0; i < n; i += 50_000) batch(i, Math.min(n, i + 50_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
  });
}
