/**
 * The tear-off receipt (үзбелі талон) of the district channel, two parts with a cut line, and the Center's
 * receipt (қолхат), one part (regulation item 11.1 and 11.2 stage 1; fields in forms.md). Layout only: the data
 * come from the case, the texts from shared/forms/texts.ts.
 */
import { FORM_TEXTS, SERVICE_NAME, type FormLanguage } from '../../../shared/forms/texts';

export interface ReceiptData {
  form: 'receipt' | 'center_receipt';
  language: FormLanguage;
  officeName: string;
  caseNumber: string;
  date: string;
  time: string;
  applicant: { name: string; iin: string };
  documents: { label: string; pages: number }[];
  specialist: string;
  expectedDecision: string;
  verificationCode: string;
  stamp: { signer: string; serial: string; time: string };
}

function part(d: ReceiptData, subtitle: string): unknown[] {
  const t = FORM_TEXTS[d.form][d.language];
  const s = FORM_TEXTS.stamp[d.language];
  const row = (label: string, value: string) => [{ text: label, color: '#555' }, { text: value, bold: true }];
  return [
    { text: d.officeName, fontSize: 9, color: '#333' },
    {
      columns: [
        {
          width: '*',
          stack: [
            { text: t.title, fontSize: 15, bold: true, margin: [0, 6, 0, 0] },
            ...(subtitle ? [{ text: subtitle, fontSize: 9, color: '#555', margin: [0, 0, 0, 6] }] : []),
          ],
        },
        { width: 90, stack: [{ qr: `JARDEM:${d.caseNumber}:${d.verificationCode}`, fit: 84 }, { text: [`${t.verification}:\n`, { text: d.verificationCode, bold: true }], fontSize: 7 }] },
      ],
    },
    {
      table: {
        widths: [150, '*'],
        body: [
          row(t.caseNumber, d.caseNumber),
          row(t.date, d.form === 'center_receipt' ? `${d.date} ${d.time}` : d.date),
          row(t.applicant, d.applicant.name),
          row(t.iin, d.applicant.iin),
          row(t.service, SERVICE_NAME[d.language]),
          [
            { text: t.documents, color: '#555' },
            { ul: d.documents.map((doc) => `${doc.label} — ${doc.pages} ${t.pages}`) },
          ],
          row(t.receivedBy, d.specialist),
          [{ text: t.expectedDecision, color: '#555' }, { stack: [{ text: d.expectedDecision, bold: true }, { text: t.expectedDecisionNote, fontSize: 7, color: '#555' }] }],
          row(t.result, t.resultText),
        ],
      },
      layout: 'lightHorizontalLines',
      fontSize: 9.5,
    },
    {
      margin: [0, 6, 0, 0],
      table: { widths: ['*'], body: [[{ text: `${s.signedBy}: ${d.stamp.signer} · ${s.serial}: ${d.stamp.serial} · ${s.time}: ${d.stamp.time}`, fontSize: 7.5 }]] },
      layout: { hLineColor: () => '#1f6f8b', vLineColor: () => '#1f6f8b' },
    },
  ];
}

export function receiptDefinition(d: ReceiptData): Record<string, unknown> {
  const t = FORM_TEXTS[d.form][d.language];
  const content =
    d.form === 'receipt'
      ? [
          ...part(d, t.partOffice),
          { text: `- - - - - - - - - - - - - - - - - - - - - - ${t.cutLine} - - - - - - - - - - - - - - - - - - - - - -`, alignment: 'center', color: '#777', margin: [0, 14, 0, 14] },
          ...part(d, t.partApplicant),
        ]
      : part(d, '');
  return {
    pageSize: 'A4',
    pageMargins: [40, 30, 40, 30],
    info: { title: `${t.title} ${d.caseNumber}`, subject: SERVICE_NAME[d.language], creator: 'Jardem' },
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content,
  };
}
