/**
 * Registration in the journal (regulation item 11.1 stage 3; Rules, Appendix 21): the specialist confirms that
 * every scan was compared with its original and that each page flagged for quality was looked at; the item 13
 * package must be complete (the workflow's guard). The case gets its journal number and its deadlines start
 * (decision in 7 working days, referral to the commission in 2).
 */
import type { ParsedInputOf } from '../../shared/contract/methods';
import type { JournalRow } from '../../shared/contract/types';
import { AppError } from '../../shared/errors';
import { checklistComplete } from '../../shared/domain/checklist';
import { officeDate } from '../../shared/local-date';
import { nextInSequence, readWorkstation } from '../../db/repositories/settings';
import type { ServicesContext, Session } from './context';
import { applicationServices } from './application';
import { signerFor } from './signing';
import { makeTransition } from './transitions';
import { officeDateTime, renderPdf } from './forms/pdf';
import { journalPdfDefinition } from './forms/journal-pdf';

/** Journal numbers: office, year, workstation and sequence, e.g. AUE-2026-W1-00001. */
export function formatJournalNumber(office: string, year: string, workstation: string, seq: number): string {
  return `${office}-${year}-${workstation}-${String(seq).padStart(5, '0')}`;
}

const JOURNAL_COLUMNS = `journal_number AS journalNumber, case_id AS caseId, registered_on AS registeredOn, channel,
  applicant_iin AS applicantIin, applicant_name AS applicantName, address, children AS childrenCount, documents,
  CASE channel WHEN 'center' THEN (SELECT case_number FROM cases WHERE cases.id = journal.case_id) END AS requestNumber,
  per_capita_tiyn AS perCapitaTiyn, decision, decision_number AS decisionNumber, decided_on AS decidedOn,
  monthly_amount_tiyn AS monthlyAmountTiyn, period_from AS periodFrom, period_to AS periodTo, notified_on AS notifiedOn, note`;

/** The columns the decision and notification steps fill in later (migration 0006). */
const EMPTY_DECISION = { perCapitaTiyn: null, decision: null, decisionNumber: null, decidedOn: null, monthlyAmountTiyn: null, periodFrom: null, periodTo: null, notifiedOn: null, note: '' } as const;

export function journalServices(ctx: ServicesContext) {
  const applications = applicationServices(ctx);
  return {
    register(session: Session, input: ParsedInputOf<'journal.register'>): JournalRow {
      if (!input.scansCompared) throw new AppError('validation', undefined, { scansCompared: 'journal.scans_not_compared' });
      const workstation = readWorkstation(ctx.db);
      if (!workstation) throw new AppError('workstation.not_configured');
      const c = ctx.db.prepare('SELECT * FROM cases WHERE id = ?').get(input.caseId) as
        | { id: string; case_number: string; channel: 'district' | 'center'; applicant_iin: string; surname: string; given_name: string; patronymic: string; address: string }
        | undefined;
      if (!c) throw new AppError('not_found');
      const view = applications.get({ caseId: c.id });
      const flagged = ctx.db.prepare("SELECT page_id AS id FROM case_pages WHERE case_id = ? AND removed = 0 AND quality != '[]'").all(c.id) as { id: string }[];
      const unresolved = flagged.filter((p) => !input.flagsReviewed.includes(p.id));
      if (unresolved.length > 0) throw new AppError('journal.flags_unresolved', { count: unresolved.length });
      const documents = ctx.db
        .prepare('SELECT document_kind AS kind, count(*) AS pages FROM case_pages WHERE case_id = ? AND removed = 0 GROUP BY document_kind ORDER BY min(rowid)')
        .all(c.id) as { kind: string; pages: number }[];
      const sign = signerFor(ctx, session);
      const today = officeDate(ctx.now());
      const year = today.slice(0, 4);
      let row: JournalRow | null = null;
      ctx.db.transaction(() => {
        const journalNumber = formatJournalNumber(workstation.officeCode, year, workstation.workstationCode, nextInSequence(ctx.db, `journal/${workstation.officeCode}/${year}/${workstation.workstationCode}`));
        const children = view.application?.members.filter((m) => m.relation === 'child').length ?? 0;
        row = {
          journalNumber,
          caseId: c.id,
          registeredOn: today,
          channel: c.channel,
          applicantIin: c.applicant_iin,
          applicantName: [c.surname, c.given_name, c.patronymic].filter(Boolean).join(' '),
          address: view.application?.registrationAddress ?? c.address,
          childrenCount: children,
          documents: JSON.stringify(documents),
          requestNumber: c.channel === 'center' ? c.case_number : null,
          ...EMPTY_DECISION,
        };
        // The workflow refuses an incomplete package (guard checklist_complete) and any other stage.
        makeTransition(ctx, session, c.id, 'journal.registered', { checklistComplete: checklistComplete(view.checklist) }, { journalNumber, documents, flagsReviewed: input.flagsReviewed }, sign);
        ctx.db
          .prepare(
            `INSERT INTO journal (journal_number, case_id, office_code, registered_on, registered_by_iin, responsible_iin, channel, applicant_iin, applicant_name, address, children, documents)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          // The specialist who registers the case is its responsible specialist (item 11.1 stages 5 and 7).
          .run(journalNumber, c.id, workstation.officeCode, today, session.identity.iin, session.identity.iin, c.channel, c.applicant_iin, row.applicantName, row.address, children, row.documents);
      }).immediate();
      return row!;
    },

    list(input: ParsedInputOf<'journal.list'>): JournalRow[] {
      const filters = ['registered_on >= @from', 'registered_on <= @to'];
      if (input.channel) filters.push('channel = @channel');
      if (input.query) filters.push("(applicant_iin LIKE @q || '%' OR journal_number LIKE '%' || @q || '%')");
      return ctx.db
        .prepare(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE ${filters.join(' AND ')} ORDER BY registered_on, journal_number LIMIT 5000`)
        .all({ from: input.from, to: input.to, channel: input.channel ?? null, q: input.query ?? null }) as JournalRow[];
    },

    /** The printed journal for a period (Rules, Appendix 21), in the UI's language; unsigned, it is a register. */
    async pdf(input: ParsedInputOf<'journal.pdf'>): Promise<{ pdfBase64: string; rows: number }> {
      const rows = this.list(input);
      if (rows.length === 0) throw new AppError('journal.empty_period');
      const ws = readWorkstation(ctx.db);
      const officeName = (input.language === 'ru' ? ws?.officeNameRu : undefined) ?? ws?.officeName ?? '';
      const { date, time } = officeDateTime(ctx.now());
      const pdf = await renderPdf(journalPdfDefinition({ ...input, officeName, printedAt: `${date} ${time}`, rows }));
      return { pdfBase64: pdf.toString('base64'), rows: rows.length };
    },
  };
}
