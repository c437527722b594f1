/** Reading the journal of applications (Rules, Appendix 21), a projection of journal.registered and what follows. */
import type { JournalRow } from '../../shared/contract/types';
import type { Db } from '../connection';

const JOURNAL_COLUMNS = `journal_number AS journalNumber, case_id AS caseId, registered_on AS registeredOn, channel,
  applicant_iin AS applicantIin, applicant_name AS applicantName, address, children AS childrenCount, documents,
  CASE channel WHEN 'center' THEN (SELECT case_number FROM cases WHERE cases.id = journal.case_id) END AS requestNumber,
  per_capita_tiyn AS perCapitaTiyn, decision, decision_number AS decisionNumber, decided_on AS decidedOn,
  monthly_amount_tiyn AS monthlyAmountTiyn, period_from AS periodFrom, period_to AS periodTo, notified_on AS notifiedOn, note`;

export function listJournal(db: Db, f: { from: string; to: string; channel?: string | null; query?: string | null }): JournalRow[] {
  const filters = ['registered_on >= @from', 'registered_on <= @to'];
  if (f.channel) filters.push('channel = @channel');
  if (f.query) filters.push("(applicant_iin LIKE @q || '%' OR journal_number LIKE '%' || @q || '%')");
  return db
    .prepare(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE ${filters.join(' AND ')} ORDER BY registered_on, journal_number LIMIT 5000`)
    .all({ from: f.from, to: f.to, channel: f.channel ?? null, q: f.query ?? null }) as JournalRow[];
}

export function journalRowOfCase(db: Db, caseId: string): JournalRow | null {
  return (db.prepare(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE case_id = ?`).get(caseId) as JournalRow | undefined) ?? null;
}
