/**
 * The printed journal: journal.pdf's service (query, layout,
 * pdfmake, base64) over 1,000 journal rows written with SQL into a fresh database under .bench-data, median of 5
 * warm runs, against the floor: pdfmake rendering the same 1,000 rows' texts as a plain table (same font, size,
 * page and widths; no header rows, no cell styles, no table layout, no footer).
 * Alone: npx tsx bench/journal.ts
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { writeWorkstation } from '../db/repositories/settings';
import { createContext } from '../electron/services/context';
import { journalServices } from '../electron/services/journal';
import { journalPdfDefinition } from '../electron/services/forms/journal-pdf';
import { renderPdf } from '../electron/services/forms/pdf';
import { v7 as uuidv7 } from 'uuid';
import { randomIin, rng, SURNAMES } from './generate';
import { percentile, report } from './stats';

const ROWS = 1000;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const STREETS = ['Абай даңғылы', 'Төле би көшесі', 'Жандосов көшесі', 'Саин көшесі', 'Момышұлы көшесі'];
const DOCUMENTS = JSON.stringify([
  { kind: 'application_form', pages: 1 }, { kind: 'identity_document:citizen_id', pages: 2 }, { kind: 'birth_certificate', pages: 3 },
  { kind: 'family_composition_form', pages: 1 }, { kind: 'family_income_form', pages: 2 }, { kind: 'bank_account', pages: 1 },
]);

/** A fresh workstation database with `n` cases registered in the journal in November 2026; half decided. */
function journalDatabase(n: number) {
  const dataDir = path.resolve('.bench-data', `journal-${n}-v${LATEST_SCHEMA_VERSION}`);
  rmSync(dataDir, { recursive: true, force: true });
  const ctx = createContext({ dataDir, appVersion: 'bench' });
  writeWorkstation(ctx.db, { officeCode: 'AUE', officeName: 'Әуезов ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі', officeNameRu: 'Отдел занятости и социальных программ Ауэзовского района', workstationCode: 'W1', acceptedBins: [] });
  const rand = rng(n);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const insertCase = ctx.db.prepare(
    `INSERT INTO cases (id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold, birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version)
     VALUES (?, ?, ?, 'registered', ?, ?, 'Әйгерім', 'Нұрланқызы', '', ?, ?, '+77015551234', 'kk', 'AUE', '900512400018', '2026-11-02T04:00:00Z', 1)`,
  );
  const insertRow = ctx.db.prepare(
    `INSERT INTO journal (journal_number, case_id, office_code, registered_on, registered_by_iin, channel, applicant_iin, applicant_name, address, children, documents,
       per_capita_tiyn, decision, decision_number, decided_on, monthly_amount_tiyn, period_from, period_to, notified_on, note)
     VALUES (?, ?, 'AUE', ?, '900512400018', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
  );
  ctx.db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const id = uuidv7();
      const { iin, birthDate } = randomIin(rand);
      const channel = i % 5 === 0 ? 'center' : 'district';
      const surname = pick(SURNAMES);
      const address = `Алматы қ., Әуезов ауданы, ${pick(STREETS)}, ${1 + Math.floor(rand() * 200)}-үй, ${1 + Math.floor(rand() * 120)}-пәтер`;
      const day = `2026-11-${String(2 + Math.floor((i - 1) / 40)).padStart(2, '0')}`;
      const decided = i % 2 === 0;
      const children = 1 + Math.floor(rand() * 4);
      insertCase.run(id, `AUE-W1-2026-${String(i).padStart(6, '0')}`, channel, iin, surname, birthDate, address);
      insertRow.run(
        `AUE-2026-W1-${String(i).padStart(5, '0')}`, id, day, channel, iin, `${surname} Әйгерім Нұрланқызы`, address, children, DOCUMENTS,
        decided ? Math.floor(rand() * 6_000_000) : null, decided ? 'assign' : null, decided ? `D-${i}` : null, decided ? day : null,
        decided ? children * 393_200 : null, decided ? '2026-12-01' : null, decided ? '2027-02-28' : null, decided ? day : null,
      );
    }
  }).immediate();
  return ctx;
}

export async function benchJournal() {
  const ctx = journalDatabase(ROWS);
  const journal = journalServices(ctx);
  const input = { from: '2026-11-01', to: '2026-11-30', language: 'ru' as const };
  const rows = journal.list(input);
  if (rows.length !== ROWS) throw new Error(`expected ${ROWS} rows, got ${rows.length}`);
  // The floor: the same texts as a plain table, nothing else.
  const definition = journalPdfDefinition({ ...input, officeName: '', printedAt: '', rows });
  const table = (definition.content as { table?: { body: unknown[][]; widths: unknown[] } }[]).find((c) => c.table)!.table!;
  const plain = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    defaultStyle: { font: 'Roboto', fontSize: 7.5 },
    content: [{ table: { widths: table.widths, body: table.body.map((r) => r.map((c) => (typeof c === 'string' ? c : (c as { text: string }).text))) } }],
  };
  let pages = 0;
  const full = async () => {
    const r = await journal.pdf(input);
    pages = Buffer.from(r.pdfBase64, 'base64').toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
  };
  await full();
  await renderPdf(plain);
  const times: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 5; i++) {
    for (const [fn, out] of (i % 2 === 0 ? [[full, times], [() => renderPdf(plain), floor]] : [[() => renderPdf(plain), floor], [full, times]]) as [() => Promise<unknown>, number[]][]) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
  }
  report('forms.journal_pdf.1000_rows.median', median(times), 'ms', median(floor), {
    baselineIs: 'pdfmake rendering the same 1,000 rows as a plain table, same font, no layout',
    target: '≤ 3000 ms',
    pages,
  });
  ctx.db.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchJournal();
