/**
 * The district report as an XLSX workbook (exceljs): the same figures as the screen, one sheet per table, every
 * heading in the chosen language, amounts in tenge as numbers (a spreadsheet sums them).
 */
import ExcelJS from 'exceljs';
import type { DistrictReport } from '../../../shared/contract/report-types';
import { formatMessage, type Language } from '../../../shared/i18n/messages';

type Cell = string | number | null;

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: Cell[][], mark?: string) {
  const ws = wb.addWorksheet(name.slice(0, 31));
  // Sample figures must not pass for real ones once the file leaves the screen: the mark is the sheet's first row.
  if (mark) ws.addRow([mark]).font = { bold: true, color: { argb: 'FFC05600' } };
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 48 : 16));
  ws.views = [{ state: 'frozen', ySplit: mark ? 2 : 1 }];
}

export async function reportXlsx(r: DistrictReport, lang: Language): Promise<Buffer> {
  const m = (key: string, params?: Record<string, string | number>) => formatMessage(lang, key, params);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jardem';
  const mark = r.sampleCases > 0 ? `${m('sample.mark')}: ${m('sample.banner', { count: r.sampleCases })}` : undefined;
  if (mark) wb.title = m('sample.mark');
  const ch = [m('channel.district'), m('channel.center'), m('reports.total')];
  const by = (label: string, v: { district: number; center: number }): Cell[] => [label, v.district, v.center, v.district + v.center];
  sheet(wb, m('reports.figure'), [`${m('reports.period')}: ${r.from} – ${r.to} (${r.office})`, ...ch], [
    by(m('reports.received'), r.received),
    by(m('reports.accepted'), r.accepted),
    by(m('reports.refusedToAccept'), r.refusedToAccept),
    [m('reports.returnedToCenter'), null, r.returnedToCenter, r.returnedToCenter],
    by(m('reports.assigned'), r.assigned),
    by(m('reports.refused'), r.refused),
    [m('reports.families'), null, null, r.families],
    [m('reports.children'), null, null, r.children],
    [m('reports.amount'), null, null, r.amountTiyn / 100],
    [m('reports.decisionDays', { median: r.decisionDays.median ?? '—', p90: r.decisionDays.p90 ?? '—', count: r.decisionDays.decisions }), null, null, r.decisionDays.median],
  ], mark);
  sheet(wb, m('reports.monthly'), [m('reports.month'), m('reports.received'), m('reports.accepted'), m('reports.assigned'), m('reports.refused'), m('reports.families'), m('reports.children'), m('reports.amount')],
    r.months.map((x) => [x.month, x.received.district + x.received.center, x.accepted.district + x.accepted.center, x.assigned.district + x.assigned.center, x.refused.district + x.refused.center, x.families, x.children, x.amountTiyn / 100]));
  sheet(wb, m('reports.deadline'), [m('reports.deadline'), m('reports.source'), m('reports.limit'), m('reports.met'), m('reports.missed'), m('reports.overdueNow')],
    r.deadlines.map((d) => [m(`deadline.${d.deadline}`), d.source[lang], d.limit, d.met, d.missed, d.overdueNow]));
  sheet(wb, m('reports.reason'), [m('reports.reason'), m('reports.channel'), m('reports.value')], r.refusedByReason.map((x) => [m(`ground.${x.reason}`), m(`channel.${x.channel}`), x.n]));
  sheet(wb, m('reports.precinct'), [m('reports.precinct'), m('reports.referrals')], r.referrals.map((x) => [lang === 'kk' ? x.nameKk : x.nameRu, x.n]));
  sheet(wb, m('reports.stage'), [m('reports.stage'), m('reports.channel'), m('reports.open'), m('reports.overdue')], r.queue.map((q) => [m(`stage.${q.stage}`), m(`channel.${q.channel}`), q.open, q.overdue]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
