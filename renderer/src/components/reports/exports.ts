/** The report's exports, made by the services (the same figures as the screen): the XLSX workbook, downloaded. */
import { call } from '../../api/client';

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
