/**
 * The report's exports, made by the services (the same figures as the screen): the XLSX workbook, downloaded; the
 * monthly report as a PDF certified with the head's ECP, opened for printing.
 */
import { call } from '../../api/client';
import { showPdf } from '../showPdf';

export async function downloadXlsx(period: { from: string; to: string }, language: 'kk' | 'ru' | 'en'): Promise<boolean> {
  const r = await call('reports.xlsx', { from: period.from, to: period.to, language });
  if (!r.ok) return false;
  const bytes = Uint8Array.from(atob(r.value.xlsxBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `report-${period.from}-${period.to}.xlsx`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}

export async function openSignedPdf(period: { from: string; to: string }, language: 'kk' | 'ru'): Promise<{ code: string } | null> {
  const r = await call('reports.pdf', { from: period.from, to: period.to, language });
  if (!r.ok) return r.error;
  showPdf(r.value.pdfBase64);
  return null;
}
