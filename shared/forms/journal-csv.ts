import type { JournalRow } from '../contract/types';

/**
 * The journal as CSV (RFC 4180, UTF-8 with a BOM so that spreadsheet programs read Kazakh letters). Columns: the
 * eight of registration, then the Center request number and the decision / notification columns; their
 * message keys are journal.col.<JOURNAL_CSV_COLUMNS>.
 */
export const JOURNAL_CSV_COLUMNS = ['number', 'date', 'applicant', 'iin', 'address', 'children', 'channel', 'documents', 'requestNumber', 'perCapita', 'decision', 'decisionNumber', 'decidedOn', 'monthlyAmount', 'periodFrom', 'periodTo', 'notifiedOn', 'note'] as const;

export function journalCsv(rows: readonly JournalRow[], header: readonly string[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // Amounts in tenge with a dot and no grouping, so that spreadsheets read them as numbers.
  const tenge = (tiyn: number | null) => (tiyn === null ? '' : (tiyn / 100).toFixed(2));
  const lines = [header.map(cell).join(',')];
  for (const r of rows) {
    const docs = (JSON.parse(r.documents) as { kind: string; pages: number }[]).map((d) => `${d.kind}×${d.pages}`).join('; ');
    lines.push(
      [
        r.journalNumber, r.registeredOn, r.applicantName, r.applicantIin, r.address, r.childrenCount, r.channel, docs,
        r.requestNumber ?? '', tenge(r.perCapitaTiyn), r.decision ?? '', r.decisionNumber ?? '', r.decidedOn ?? '',
        tenge(r.monthlyAmountTiyn), r.periodFrom ?? '', r.periodTo ?? '', r.notifiedOn ?? '', r.note,
      ].map(cell).join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
