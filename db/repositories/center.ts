/**
 * The Center channel's work lists (regulation item 11.2): the district's incoming electronic requests with the
 * 2-working-day check, and the Center's returns to correct (3 days) and results to hand over.
 */
import type { CenterQueue, CenterQueueRow } from '../../shared/contract/types';
import type { Role } from '../../shared/roles';
import type { Db } from '../connection';

const ROW = `SELECT c.id AS caseId, c.case_number AS caseNumber,
  c.surname || ' ' || c.given_name || CASE WHEN c.patronymic = '' THEN '' ELSE ' ' || c.patronymic END AS applicantName,
  c.applicant_iin AS applicantIin, c.stage AS stage, c.office_code AS officeCode, d.deadline AS deadline, d.due AS due
  FROM cases c LEFT JOIN case_deadlines d ON d.case_id = c.id AND d.stopped_on IS NULL AND d.deadline = @deadline
  WHERE c.channel = 'center' AND c.stage = @stage`;

export function centerQueue(db: Db, who: { role: Role; offices: readonly string[]; centerCode: string | null }): CenterQueue {
  const list = (stage: string, deadline: string | null): CenterQueueRow[] =>
    (db.prepare(`${ROW} ORDER BY d.due IS NULL, d.due, c.case_number`).all({ stage, deadline }) as CenterQueueRow[]).filter((r) => who.offices.includes(r.officeCode));
  if (who.role === 'center') return { incoming: [], returned: list('returned_to_center', 'center_correct_and_resend'), toSend: list('center_intake', 'center_send_request'), toHandOver: list('notification_at_center', null) };
  return { incoming: list('center_sent', 'district_check_center_package'), returned: [], toSend: [], toHandOver: [] };
}
