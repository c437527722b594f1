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
import { checklistOf } from './application';
import { signerFor } from './signing';
import { commitActs, loadCase, planAct } from './case-acts';
import { documentsReceived } from './pages';
import { formatNumber, sequenceScope } from '../../shared/numbers';
import { journalRowOfCase, listJournal } from '../../db/repositories/journal';
import { officeDateTime, renderPdf } from './forms/pdf';
import { journalPdfDefinition } from './forms/journal-pdf';

export function journalServices(ctx: ServicesContext) {
  return {
    register(session: Session, input: ParsedInputOf<'journal.register'>): JournalRow {
      if (!input.scansCompared) throw new AppError('validation', undefined, { scansCompared: 'journal.scans_not_compared' });
      const workstation = readWorkstation(ctx.db);
      if (!workstation) throw new AppError('workstation.not_configured');
      const p = loadCase(ctx, input.caseId);
      const unresolved = p.pages.filter((x) => !x.removed && x.quality.length > 0 && !input.flagsReviewed.includes(x.pageId));
      if (unresolved.length > 0) throw new AppError('journal.flags_unresolved', { count: unresolved.length });
      const documents = documentsReceived(p);
      const now = ctx.now();
      // The workflow refuses an incomplete package (guard checklist_complete) and any other stage, before a number is taken.
      const act = planAct(ctx, session, p, { type: 'journal.registered', payload: {}, guards: { checklistComplete: checklistComplete(checklistOf(p, p.facts.application)) } }, now);
      const sign = signerFor(ctx, session);
      const year = officeDate(now).slice(0, 4);
      const { officeCode, workstationCode } = workstation;
      ctx.db
        .transaction(() => {
          const journalNumber = formatNumber('journal', officeCode, workstationCode, year, nextInSequence(ctx.db, sequenceScope('journal', officeCode, workstationCode, year)));
          commitActs(ctx, session, p.case.id, p, [{ type: 'journal.registered', payload: { ...act.payload, journalNumber, documents, flagsReviewed: input.flagsReviewed, officeCode } }], sign, { planned: true, now });
        })
        .immediate();
      return journalRowOfCase(ctx.db, p.case.id)!;
    },

    list(input: ParsedInputOf<'journal.list'>): JournalRow[] {
      return listJournal(ctx.db, input);
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
