/**
 * The printed journal of applications (Rules, Appendix 21) for a period: A4 landscape, the columns of forms.md,
 * the header rows repeated on every page, "page X of Y" in the footer. A register, not an act: printed unsigned.
 * Layout only: the rows come from the journal table, the texts from shared/forms/texts.ts.
 */
import { formatTenge } from '../../../shared/forms/money';
import type { JournalRow } from '../../../shared/contract/types';
import { formatMessage } from '../../../shared/i18n/messages';
import { FORM_TEXTS, SERVICE_NAME, type FormLanguage } from '../../../shared/forms/texts';
import { formatDay } from './pdf';

export interface JournalPdfData {
  language: FormLanguage;
  officeName: string;
  from: string;
  to: string;
  /** The filters the rows were chosen by, printed under the period so a partial print is not taken for whole. */
  channel?: 'district' | 'center';
  query?: string;
  /** dd.mm.yyyy hh:mm */
  printedAt: string;
  rows: readonly JournalRow[];
}

const DASH = '—';

/** Tenge from integer tiyn: two decimals, a (non-breaking) space between thousands, e.g. 45 231,50. */
export function formatTiyn(tiyn: number | null): string {
  return tiyn === null ? DASH : formatTenge(tiyn);
}

const day = (d: string | null) => (d ? formatDay(d) : DASH);
/** Numbers like AUE-W1-2026-000123 may wrap after a hyphen (a line may not break before a digit otherwise). */
const breakable = (s: string) => s.replace(/-/g, '-\u200b');
/** An empty cell prints a centred dash (the decision and notification columns stay empty until those steps). */
const cell = (text: string, alignment = 'left') => (text === DASH ? { text, alignment: 'center' } : { text, alignment });

// Column widths in points, so that no value and no header word (6.5 pt) is split: in Roboto 7.5 pt a journal
// number (AUE-W1-2026-J000001) is 79 pt wide, an IIN 51, a date 38; most document names (7 pt) fit their 106 pt
// on one line. The address takes what is left of the 818 pt between the margins.
const WIDTHS = [84, 46, 60, 54, '*', 30, 46, 106, 54, 58, 42, 49, 46, 43];

export function journalPdfDefinition(d: JournalPdfData): Record<string, unknown> {
  const t = FORM_TEXTS.journal[d.language];
  const header = t.columns.map((text) => ({ text, bold: true, fontSize: 6.5, alignment: 'center', fillColor: '#e8eef2' }));
  const numbers = t.columns.map((_, i) => ({ text: String(i + 1), alignment: 'center', color: '#555', fontSize: 6.5 }));
  const body = d.rows.map((r) => {
    // One document a line, with its pages, in a slightly smaller face: the longest column of the journal.
    const docs = (JSON.parse(r.documents) as { kind: string; pages: number }[]).map((x) => `${formatMessage(d.language, `document.${x.kind}`)}\u00a0(${x.pages})`).join('\n');
    const decision = r.decision ? [t[r.decision], day(r.decidedOn), r.decisionNumber ? `№ ${breakable(r.decisionNumber)}` : ''].filter(Boolean).join('\n') : DASH;
    return [
      r.journalNumber,
      formatDay(r.registeredOn),
      r.applicantName,
      r.applicantIin,
      r.address,
      { text: String(r.childrenCount), alignment: 'center' },
      r.channel === 'center' ? `${t.center}${r.requestNumber ? `\n№ ${breakable(r.requestNumber)}` : ''}` : t.district,
      docs ? { text: docs, fontSize: 7 } : cell(DASH),
      cell(formatTiyn(r.perCapitaTiyn), 'right'),
      cell(decision),
      cell(formatTiyn(r.monthlyAmountTiyn), 'right'),
      cell(r.periodFrom ? `${day(r.periodFrom)} –\n${day(r.periodTo)}` : DASH),
      cell(day(r.notifiedOn)),
      cell(r.note || DASH),
    ];
  });
  const filters = [
    d.channel ? `${t.channelFilter}: ${t[d.channel]}` : '',
    d.query ? `${t.queryFilter}: ${d.query}` : '',
    `${t.total}: ${d.rows.length}`,
    `${t.printed}: ${d.printedAt}`,
  ].filter(Boolean);
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [12, 20, 12, 26],
    info: { title: `${t.title} ${formatDay(d.from)}–${formatDay(d.to)}`, subject: SERVICE_NAME[d.language], creator: 'Jardem' },
    defaultStyle: { font: 'Roboto', fontSize: 7.5, lineHeight: 1.05 },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `${t.title} · ${formatDay(d.from)}–${formatDay(d.to)}`, color: '#555' },
        { text: t.page.replace('{{page}}', String(page)).replace('{{pages}}', String(pages)), alignment: 'right' },
      ],
      margin: [12, 8, 12, 0],
      fontSize: 7,
    }),
    content: [
      {
        columns: [
          { text: d.officeName, fontSize: 9, color: '#333' },
          { text: t.appendix, alignment: 'right', fontSize: 8, color: '#555' },
        ],
      },
      { text: t.title, fontSize: 13, bold: true, alignment: 'center', margin: [0, 4, 0, 0] },
      { text: SERVICE_NAME[d.language], fontSize: 8.5, alignment: 'center', color: '#333' },
      { text: t.period.replace('{{from}}', formatDay(d.from)).replace('{{to}}', formatDay(d.to)), fontSize: 9.5, bold: true, alignment: 'center', margin: [0, 3, 0, 0] },
      { text: filters.join(' · '), fontSize: 7.5, color: '#555', alignment: 'center', margin: [0, 1, 0, 6] },
      {
        table: { headerRows: 2, dontBreakRows: true, widths: WIDTHS, body: [header, numbers, ...body] },
        layout: {
          hLineWidth: () => 0.4,
          vLineWidth: () => 0.4,
          hLineColor: () => '#888',
          vLineColor: () => '#888',
          paddingLeft: () => 1.5,
          paddingRight: () => 1.5,
          paddingTop: () => 1.5,
          paddingBottom: () => 1.5,
        },
      },
    ],
  };
}
