import type { JournalRow } from '../contract/types';

/**
 * The journal as CSV (RFC 4180, UTF-8 with a BOM so that spreadsheet programs read Kazakh letters). Columns: the
 * eight of registration, then the Center request number and the decision / notification columns; their
 * message keys are journal.col.<JOURNAL_CSV_COLUMNS>.
 */
export const JOURNAL_CSV_COLUMNS = ['number', 'date', 'applicant', 'iin', 'address', 'children', 'channel', 'documents', 'requestNumber', 'perCapita', 'decision', 'decisionNumber', 'decidedOn', 'monthlyAmount', 'periodFrom', 'periodTo', 'notifiedOn', 'note'] as const;

/**
 * The words of a CSV in a person's language: the channel, the decision and each document by name, not
 * by code. The channel's code stays in a last column of its own, where a spreadsheet filter can use it.
 */
export interface JournalCsvLabels {
  channel: (channel: 'district' | 'center') => string;
  decision: (decision: 'assign' | 'refuse') => string;
  document: (kind: string, pages: number) => string;
  /** The header of the channel-code column. */
  channelCode: string;
}

export function journalCsv(rows: readonly JournalRow[], header: readonly string[], labels?: JournalCsvLabels): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // Amounts in tenge with a dot and no grouping, so that spreadsheets read them as numbers.
  const tenge = (tiyn: number | null) => (tiyn === null ? '' : (tiyn / 100).toFixed(2));
  const lines = [[...header, ...(labels ? [labels.channelCode] : [])].map(cell).join(',')];
  for (const r of rows) {
    const parsed = JSON.parse(r.documents) as { kind: string; pages: number }[];
    const docs = parsed.map((d) => (labels ? labels.document(d.kind, d.pages) : `${d.kind}×${d.pages}`)).join('; ');
    lines.push(
      [
        r.journalNumber, r.registeredOn, r.applicantName, r.applicantIin, r.address, r.childrenCount, labels ? labels.channel(r.channel) : r.channel, docs,
        r.requestNumber ?? '', tenge(r.perCapitaTiyn), r.decision ? (labels ? labels.decision(r.decision) : r.decision) : '', r.decisionNumber ?? '', r.decidedOn ?? '',
        tenge(r.monthlyAmountTiyn), r.periodFrom ?? '', r.periodTo ?? '', r.notifiedOn ?? '', r.note,
        ...(labels ? [r.channel] : []),
      ].map(cell).join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
