/**
 * The monthly report the department sends up, as a printable PDF in kk or ru: the period's figures by channel,
 * the benefit, the regulation's deadlines with their source, refusals by ground, referrals per precinct, the queue
 * and the months. Layout only: the figures come from districtReport, the words from the message catalogue.
 */
import type { DistrictReport } from '../../../shared/contract/report-types';
import { formatTenge } from '../../../shared/forms/money';
import { FORM_TEXTS, SERVICE_NAME, type FormLanguage } from '../../../shared/forms/texts';
import { formatMessage } from '../../../shared/i18n/messages';
import { formatDay } from '../forms/pdf';

export interface ReportPdfData {
  language: FormLanguage;
  officeName: string;
  report: DistrictReport;
  stamp: { signer: string; serial: string; time: string };
}

const th = (text: string) => ({ text, bold: true, fontSize: 8, fillColor: '#e8eef2' });
const num = (n: number | string | null) => ({ text: n === null ? '—' : String(n), alignment: 'right' });
const table = (widths: (number | string)[], header: string[], rows: unknown[][]) => ({
  table: { headerRows: 1, widths, body: [header.map(th), ...rows] },
  layout: 'lightHorizontalLines',
  fontSize: 8,
  margin: [0, 2, 0, 10],
});

export function reportPdfDefinition(d: ReportPdfData): Record<string, unknown> {
  const m = (key: string, params?: Record<string, string | number>) => formatMessage(d.language, key, params);
  const r = d.report;
  const both = (label: string, v: { district: number; center: number }) => [label, num(v.district), num(v.center), num(v.district + v.center)];
  const h = (text: string) => ({ text, bold: true, fontSize: 10, margin: [0, 6, 0, 2] });
  const s = FORM_TEXTS.stamp[d.language];
  const title = `${m('reports.tab')}: ${formatDay(r.from)} – ${formatDay(r.to)}`;
  return {
    pageSize: 'A4',
    pageMargins: [40, 30, 40, 40],
    info: { title, creator: 'Jardem' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    footer: (page: number, pages: number) => ({ text: `${page} / ${pages}`, alignment: 'center', fontSize: 7, color: '#555' }),
    content: [
      { text: d.officeName, fontSize: 9, color: '#333' },
      { text: title, fontSize: 13, bold: true, margin: [0, 6, 0, 2] },
      { text: SERVICE_NAME[d.language], fontSize: 8, color: '#555', margin: [0, 0, 0, 8] },
      // Sample figures must not pass for real ones on paper: the mark stands under the title.
      ...(r.sampleCases > 0 ? [{ text: `${m('sample.mark')}. ${m('sample.banner', { count: r.sampleCases })}`, bold: true, fontSize: 9, color: '#c05600', margin: [0, 0, 0, 8] }] : []),
      table(['*', 60, 60, 60], [m('reports.figure'), m('channel.district'), m('channel.center'), m('reports.total')], [
        both(m('reports.received'), r.received),
        both(m('reports.accepted'), r.accepted),
        both(m('reports.refusedToAccept'), r.refusedToAccept),
        [m('reports.returnedToCenter'), num(null), num(r.returnedToCenter), num(r.returnedToCenter)],
        both(m('reports.assigned'), r.assigned),
        both(m('reports.refused'), r.refused),
      ]),
      h(m('reports.benefit')),
      table(['*', 120], [m('reports.figure'), m('reports.value')], [
        [m('reports.families'), num(r.families)],
        [m('reports.children'), num(r.children)],
        [m('reports.amount'), num(formatTenge(r.amountTiyn))],
      ]),
      { text: m('reports.decisionDays', { median: r.decisionDays.median ?? '—', p90: r.decisionDays.p90 ?? '—', count: r.decisionDays.decisions }), margin: [0, 0, 0, 8] },
      h(m('reports.deadlines')),
      table(['*', 120, 34, 40, 40, 48], [m('reports.deadline'), m('reports.source'), m('reports.limit'), m('reports.met'), m('reports.missed'), m('reports.overdueNow')],
        r.deadlines.filter((x) => x.met + x.missed + x.overdueNow > 0).map((x) => [m(`deadline.${x.deadline}`), x.source[d.language], num(x.limit), num(x.met), num(x.missed), num(x.overdueNow)])),
      h(m('reports.refusedByReason')),
      table(['*', 90, 60], [m('reports.reason'), m('reports.channel'), m('reports.value')], r.refusedByReason.map((x) => [m(`ground.${x.reason}`), m(`channel.${x.channel}`), num(x.n)])),
      h(m('reports.referrals')),
      table(['*', 60], [m('reports.precinct'), m('reports.value')], r.referrals.map((x) => [d.language === 'kk' ? x.nameKk : x.nameRu, num(x.n)])),
      h(m('reports.queue')),
      table(['*', 90, 60, 60], [m('reports.stage'), m('reports.channel'), m('reports.open'), m('reports.overdue')], r.queue.map((q) => [m(`stage.${q.stage}`), m(`channel.${q.channel}`), num(q.open), num(q.overdue)])),
      h(m('reports.monthly')),
      table(['*', 50, 50, 50, 50, 80], [m('reports.month'), m('reports.received'), m('reports.accepted'), m('reports.assigned'), m('reports.refused'), m('reports.amount')],
        r.months.map((x) => [x.month.split('-').reverse().join('.'), num(x.received.district + x.received.center), num(x.accepted.district + x.accepted.center), num(x.assigned.district + x.assigned.center), num(x.refused.district + x.refused.center), num(formatTenge(x.amountTiyn))])),
      {
        margin: [0, 12, 0, 0],
        table: { widths: ['*'], body: [[{ text: `${s.signedBy}: ${d.stamp.signer} · ${s.serial}: ${d.stamp.serial} · ${s.time}: ${d.stamp.time}`, fontSize: 7.5 }]] },
        layout: { hLineColor: () => '#1f6f8b', vLineColor: () => '#1f6f8b' },
      },
    ],
  };
}
