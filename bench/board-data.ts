/**
 * A synthetic workstation for the deadlines board: `n` open cases spread over the stages that run deadlines,
 * each with the open deadlines the workflow starts at that stage (shared/domain/workflow.ts), started 0–12 days
 * before `today` so every state occurs; journal rows with one of eight responsible specialists; plus n/2 closed
 * cases whose deadlines are stopped (the partial index must skip them).
 */
import { seedCalendar } from '../shared/domain/calendar';
import { DEADLINE_SIDE, dueDate, type DeadlineId } from '../shared/domain/deadlines';
import { formatDay, parseDay } from '../shared/domain/dates';
import { withCheckDigit } from '../shared/domain/iin';
import { foldName } from '../shared/text';
import { cachedBenchDatabase, rng, SURNAMES } from './generate';

/** The board's "today" in the benchmark: fixed, so every run measures the same states. */
export const BOARD_TODAY = '2026-11-24';

const OPEN_STAGES: { stage: string; channel: 'district' | 'center'; deadlines: DeadlineId[]; journal: boolean }[] = [
  { stage: 'awaiting_originals', channel: 'district', deadlines: ['originals_and_consent'], journal: false },
  { stage: 'center_intake', channel: 'center', deadlines: ['center_send_request'], journal: false },
  { stage: 'center_sent', channel: 'center', deadlines: ['district_check_center_package'], journal: false },
  { stage: 'registered', channel: 'district', deadlines: ['service_total', 'decision', 'send_to_commission'], journal: true },
  { stage: 'at_commission', channel: 'district', deadlines: ['service_total', 'decision', 'commission_conclusion'], journal: true },
  { stage: 'conclusion_received', channel: 'district', deadlines: ['service_total', 'decision'], journal: true },
  { stage: 'decision_drafted', channel: 'district', deadlines: ['service_total', 'decision'], journal: true },
  { stage: 'decided', channel: 'district', deadlines: ['notification'], journal: true },
];

/** Eight specialists who register cases (valid IINs). */
export const BOARD_STAFF = Array.from({ length: 8 }, (_, i) => withCheckDigit(`9005124000${i}`.padEnd(11, '0'))).filter((x): x is string => !!x);

export function boardDatabase(n: number): { dataDir: string; file: string; generatedMs: number | null } {
  return cachedBenchDatabase(`board-${n}`, (db) => {
    const calendar = seedCalendar();
    const today = parseDay(BOARD_TODAY);
    const rand = rng(n + 6);
    const insertCase = db.prepare(
      `INSERT INTO cases (id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold,
         birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version)
       VALUES (?, ?, ?, ?, ?, ?, 'Айгүл', '', ?, '1985-06-15', 'Алматы', '+77015551234', 'kk', 'AUE', ?, ?, 3)`,
    );
    // Each deadline with the stage, person and case's fields the projection writes (db/repositories/projection.ts),
    // keyed by the event that started it.
    const insertDeadline = db.prepare(
      `INSERT INTO case_deadlines (case_id, started_seq, deadline, started_on, due, stopped_on, met, stage, responsible_iin, side, case_number, journal_number, applicant_name, applicant_iin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertJournal = db.prepare(
      `INSERT INTO journal (journal_number, case_id, office_code, registered_on, registered_by_iin, channel, applicant_iin, applicant_name, address, children, documents, responsible_iin)
       VALUES (?, ?, 'AUE', ?, ?, 'district', ?, ?, 'Алматы', 2, '[]', ?)`,
    );
    const total = n + Math.floor(n / 2);
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const open = i < n;
        const shape = open ? OPEN_STAGES[i % OPEN_STAGES.length]! : { stage: 'closed', channel: 'district' as const, deadlines: ['decision', 'notification'] as DeadlineId[], journal: true };
        const id = `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
        const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
        const staff = BOARD_STAFF[Math.floor(rand() * BOARD_STAFF.length)]!;
        const startedOn = formatDay(today - Math.floor(rand() * 13) - (open ? 0 : 30));
        const iin = withCheckDigit(`85061530${String(i % 1000).padStart(3, '0')}`) ?? '850615300012';
        const caseNumber = `AUE-W1-2026-${String(i).padStart(7, '0')}`;
        const journalNumber = shape.journal ? `AUE-2026-W1-${String(i).padStart(7, '0')}` : null;
        insertCase.run(id, caseNumber, shape.channel, shape.stage, iin, surname, foldName(`${surname} Айгүл`), staff, `${startedOn}T04:00:00.000Z`);
        shape.deadlines.forEach((d, k) => {
          const due = dueDate(d, startedOn, calendar);
          insertDeadline.run(id, k + 1, d, startedOn, due, open ? null : due, open ? null : 1, shape.stage, staff, DEADLINE_SIDE[d], caseNumber, journalNumber, `${surname} Айгүл`, iin);
        });
        if (journalNumber) insertJournal.run(journalNumber, id, startedOn, staff, iin, `${surname} Айгүл`, staff);
      }
    });
    for (let i = 0; i < total; i += 50_000) batch(i, Math.min(total, i + 50_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
  });
}
