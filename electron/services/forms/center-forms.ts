/**
 * The Center channel's forms (regulation item 11.2): the missing-document notice the district returns to the Center
 * (Rules, Appendix 4; stage 3) and the record of the handover of the result at the Center against its receipt
 * (stage 5). Layout only; texts in shared/forms/texts.ts.
 */
import { FORM_TEXTS } from '../../../shared/forms/texts';
import { header, page, stamp, type LetterBase } from './letters';

export interface MissingDocumentsData extends LetterBase {
  centerName: string;
  /** The Center's request: its case number and the day it was received. */
  request: { number: string; receivedOn: string };
  missing: { document: string; note: string }[];
  deadline: string;
  specialist: string;
}

export function missingDocumentsDefinition(d: MissingDocumentsData): Record<string, unknown> {
  const t = FORM_TEXTS.missing_documents[d.language];
  return page(`${t.title} ${d.caseNumber}`, [
    ...header(d, t.title, [t.appendix]),
    { text: [{ text: `${t.to}: `, bold: true }, d.centerName], margin: [0, 0, 0, 2] },
    { text: [{ text: `${t.request}: `, bold: true }, `№ ${d.request.number}, ${d.request.receivedOn}`], margin: [0, 0, 0, 8] },
    { text: t.intro, margin: [0, 0, 0, 6] },
    {
      table: {
        headerRows: 1,
        widths: [190, '*'],
        body: [[t.document, t.note].map((x) => ({ text: x, bold: true, fontSize: 9 })), ...d.missing.map((m) => [m.document, m.note].map((x) => ({ text: x, fontSize: 9 })))],
      },
      layout: 'lightHorizontalLines',
    },
    { text: [`${t.deadline} `, { text: d.deadline, bold: true }], margin: [0, 12, 0, 2] },
    { text: t.deadlineNote, fontSize: 8, color: '#555' },
    { text: [{ text: `${t.specialist}: `, bold: true }, d.specialist], margin: [0, 10, 0, 0] },
    stamp(d),
  ]);
}

export interface HandoverRecordData extends LetterBase {
  outcome: 'assign' | 'refuse';
  decision: { number: string; date: string };
  receiptCode: string;
  handedTo: string;
  specialist: string;
  /** A refusal's written reasons (item 10), in the form's language. */
  reasons: string[];
}

export function handoverRecordDefinition(d: HandoverRecordData): Record<string, unknown> {
  const t = FORM_TEXTS.handover_record[d.language];
  const row = (label: string, value: string) => [{ text: label, bold: true, fontSize: 9 }, { text: value, fontSize: 9 }];
  return page(`${t.title} ${d.caseNumber}`, [
    ...header(d, t.title),
    {
      table: {
        widths: [190, '*'],
        body: [
          row(t.result, d.outcome === 'assign' ? t.result_assign : t.result_refuse),
          row(t.decision, `№ ${d.decision.number}, ${d.decision.date}`),
          ...(d.outcome === 'refuse' ? [row(t.reasons, d.reasons.join('; ') || '—')] : []),
          row(t.receipt, d.receiptCode),
          row(t.handedTo, d.handedTo),
          row(t.specialist, d.specialist),
        ],
      },
      layout: 'lightHorizontalLines',
    },
    { text: `${t.applicantSigns}: ____________________`, margin: [0, 18, 0, 0] },
    { text: t.legal, fontSize: 8, color: '#555', margin: [0, 10, 0, 0] },
    stamp(d),
  ]);
}
