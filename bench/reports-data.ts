/**
 * A synthetic year of an office's cases for the reports (bench and tests/reports.test.ts): both channels, refusals
 * to accept, packages returned to the Center, referrals to three precincts, assignments and refusals with their
 * grounds, deadlines met and missed, and cases still open at `today`. It writes the log rows the reports read
 * (their types and the payload fields they use) and the projections beside them, straight into the tables: the
 * reports read tables, so that is what they are measured and cross-checked on. Times are 09:00–16:59 in Almaty.
 */
import type Database from 'better-sqlite3';
import { seedCalendar } from '../shared/domain/calendar';
import { formatDay, parseDay } from '../shared/domain/dates';
import { officeMidnight } from '../shared/domain/report-period';
import { foldName } from '../shared/text';
import { randomIin, rng, SURNAMES } from './generate';

/** The office's two seeded precincts (shared/domain/data/precincts-aue.json) and one no longer in the reference data. */
export const REPORT_PRECINCTS = ['AUE-01', 'AUE-02', 'AUE-09'];
const GROUNDS = ['income_not_below_threshold', 'unreliable_information', 'incomplete_information', 'no_child_under_18'];

export interface ReportSeed {
  n: number;
  year: number;
  /** Acts after this office day have not happened yet: those cases are still open. */
  today: string;
  office?: string;
  seed?: number;
  /** First index of the case ids, so that two seeds can share a database. */
  offset?: number;
}

export function seedReportYear(db: Database.Database, s: ReportSeed): void {
  const office = s.office ?? 'AUE';
  const calendar = seedCalendar();
  const rand = rng(s.seed ?? s.n + 22);
  const today = s.today;
  const first = parseDay(`${s.year}-01-01`);
  const span = parseDay(`${s.year}-12-31`) - first + 1;
  const at = (day: string, minute: number) => new Date(Date.parse(officeMidnight(day)) + (9 * 60 + minute) * 60_000).toISOString();
  const working = (day: string) => (calendar.isWorkingDay(day) ? day : calendar.addWorkingDays(day, 1));

  const insCase = db.prepare(`INSERT INTO cases (id, case_number, channel, stage, applicant_iin, surname, given_name, patronymic, full_name_fold,
      birth_date, address, phone, doc_language, office_code, created_by_iin, created_at, version)
    VALUES (@id, @number, @channel, @stage, @iin, @surname, 'Айгүл', '', @fold, @birth, 'Алматы', '+77015551234', 'kk', @office, '900512400018', @createdAt, @version)`);
  const insEvent = db.prepare(`INSERT INTO case_events (id, case_id, seq, case_version, type, payload, actor_iin, actor_role, actor_cert_sha256, at, prev_hash, hash)
    VALUES (@id, @caseId, @seq, @seq - 1, @type, @payload, '900512400018', 'specialist', 'bench', @at, NULL, @id)`);
  const insJournal = db.prepare(`INSERT INTO journal (journal_number, case_id, office_code, registered_on, registered_by_iin, channel, applicant_iin, applicant_name,
      address, children, documents, responsible_iin, decision, decided_on, monthly_amount_tiyn, applied_at)
    VALUES (@number, @caseId, @office, @on, '900512400018', @channel, @iin, @name, 'Алматы', @children, '[]', '900512400018', @decision, @decidedOn, @amount, @appliedAt)`);
  const insDeadline = db.prepare(`INSERT INTO case_deadlines (case_id, started_seq, deadline, started_on, due, stopped_on, met, stage, responsible_iin)
    VALUES (@caseId, @seq, @deadline, @startedOn, @due, @stoppedOn, @met, @stage, '900512400018')`);

  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const k = i + (s.offset ?? 0);
      const id = `00000000-0000-7000-9000-${String(k).padStart(12, '0')}`;
      const channel = rand() < 0.25 ? 'center' : 'district';
      const created = working(formatDay(first + Math.floor(rand() * span)));
      if (created > today) continue;
      const { iin, birthDate } = randomIin(rand);
      const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
      let seq = 0;
      let stage = channel === 'center' ? 'center_sent' : 'is_check';
      const events: { type: string; payload: unknown; at: string }[] = [];
      const deadlines: { deadline: string; startedOn: string; due: string; stoppedOn: string | null; met: number | null }[] = [];
      const act = (type: string, day: string, payload: unknown = {}) => events.push({ type, payload, at: at(day, Math.floor(rand() * 480)) });
      const deadline = (d: string, startedOn: string, stoppedOn: string | null) => {
        const due = calendar.addWorkingDays(startedOn, ({ decision: 7, send_to_commission: 2, originals_and_consent: 3, district_check_center_package: 2 } as Record<string, number>)[d]!);
        const stopped = stoppedOn !== null && stoppedOn <= today ? stoppedOn : null;
        deadlines.push({ deadline: d, startedOn, due, stoppedOn: stopped, met: stopped === null ? null : stopped <= due ? 1 : 0 });
      };
      act(channel === 'center' ? 'center.intake_registered' : 'intake.registered', created, { channel });
      let day = created;
      const r = rand();
      let registeredOn: string | null = null;
      if (channel === 'district' && r < 0.08) {
        const notice = calendar.addWorkingDays(created, 1);
        const refusal = calendar.addWorkingDays(notice, 4);
        deadline('originals_and_consent', notice, refusal);
        if (refusal <= today) {
          act('acceptance.refused', refusal, { grounds: ['originals_not_brought'] });
          stage = 'refused_to_accept';
        } else stage = 'awaiting_originals';
      } else {
        if (channel === 'center' && r < 0.12) {
          const back = calendar.addWorkingDays(created, 1 + Math.floor(rand() * 2));
          deadline('district_check_center_package', created, back);
          if (back <= today) act('center.returned_incomplete', back, { missing: [{ documentKind: 'birth_certificate', note: '' }] });
          day = calendar.addWorkingDays(back, 2);
        }
        const reg = calendar.addWorkingDays(day, 1 + Math.floor(rand() * 2));
        if (reg <= today) {
          registeredOn = reg;
          stage = 'registered';
          const referral = calendar.addWorkingDays(reg, 1 + Math.floor(rand() * 3));
          deadline('send_to_commission', reg, referral);
          const decided = calendar.addWorkingDays(referral, 2 + Math.floor(rand() * 6));
          deadline('decision', reg, decided);
          if (referral <= today) {
            act('commission.referred', referral, { precinct: REPORT_PRECINCTS[Math.floor(rand() * REPORT_PRECINCTS.length)] });
            stage = 'at_commission';
          }
          if (decided <= today) {
            const assign = rand() < 0.7;
            const grounds = assign ? [] : [GROUNDS[Math.floor(rand() * GROUNDS.length)]!, ...(rand() < 0.2 ? [GROUNDS[0]!] : [])].filter((g, j, a) => a.indexOf(g) === j);
            act('decision.signed', decided, { decision: { outcome: assign ? 'assign' : 'refuse', refusalGrounds: grounds } });
            stage = rand() < 0.9 ? 'closed' : 'decided';
            day = decided;
          }
        }
      }
      const decision = events.find((e) => e.type === 'decision.signed')?.payload as { decision: { outcome: 'assign' | 'refuse' } } | undefined;
      insCase.run({ id, number: `${office}-W1-${s.year}-${String(k).padStart(7, '0')}`, channel, stage, iin, surname, fold: foldName(`${surname} Айгүл`), birth: birthDate, office, createdAt: events[0]!.at, version: events.length });
      for (const e of events) insEvent.run({ id: `${id}-${++seq}`, caseId: id, seq, type: e.type, payload: JSON.stringify(e.payload), at: e.at });
      deadlines.forEach((d, j) => insDeadline.run({ caseId: id, seq: j + 1, ...d, stage }));
      if (registeredOn) {
        const children = 1 + Math.floor(rand() * 4);
        const decidedOn = decision ? events.find((e) => e.type === 'decision.signed')!.at : null;
        insJournal.run({
          number: `${office}-${s.year}-W1-${String(k).padStart(7, '0')}`, caseId: id, office, on: registeredOn, channel, iin, name: `${surname} Айгүл`, children,
          decision: decision?.decision.outcome ?? null, decidedOn: decidedOn ? day : null,
          amount: decision?.decision.outcome === 'assign' ? children * 1_572_500 : null,
          appliedAt: events[0]!.at,
        });
      }
    }
  });
  for (let i = 0; i < s.n; i += 20_000) batch(i, Math.min(s.n, i + 20_000));
}
