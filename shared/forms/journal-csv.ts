import type { JournalRow } from '../contract/types';

/** The journal as CSV (RFC 4180, UTF-8 with a BOM so that spreadsheet programs read Kazakh letters). */
export function journalCsv(rows: readonly JournalRow[], header: readonly string[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header.map(cell).join(',')];
  for (const r of rows) {
    const docs = (JSON.parse(r.documents) as { kind: string; pages: number }[]).map((d) => `${d.kind}×${d.pages}`).join('; ');
    lines.push([r.journalNumber, r.registeredOn, r.applicantName, r.applicantIin, r.address, r.childrenCount, r.channel, docs].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
