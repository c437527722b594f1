/**
 * Letters to the applicant at intake (regulation item 11.1 stage 2): the notice to bring the originals and the
 * consent to reconcile data, and the refusal to accept the application (Appendix 20). Layout only; texts in
 * shared/forms/texts.ts.
 */
import { FORM_TEXTS, SERVICE_NAME, type FormLanguage } from '../../../shared/forms/texts';
import { formatMessage } from '../../../shared/i18n/messages';

export interface LetterBase {
  language: FormLanguage;
  officeName: string;
  caseNumber: string;
  date: string;
  applicant: { name: string; iin: string; address: string };
  verificationCode: string;
  stamp: { signer: string; serial: string; time: string };
}

export interface NoticeData extends LetterBase {
  rows: { person: string; field: string; declared: string; registry: string; result: string }[];
  /** The originals to bring (shared/domain/originals.ts): the document, whose, and what did not match. */
  documents: { document: string; person: string; mismatch: string }[];
  deadline: string;
}

export interface RefusalData extends LetterBase {
  reason: 'originals_not_brought';
}

export function header(d: LetterBase, title: string, extra: string[] = []): unknown[] {
  return [
    {
      columns: [
        { width: '*', stack: [{ text: d.officeName, fontSize: 9, color: '#333' }, ...extra.map((e) => ({ text: e, fontSize: 8, color: '#555' })), { text: title, fontSize: 13, bold: true, margin: [0, 8, 0, 4] }] },
        { width: 90, stack: [{ qr: `JARDEM:${d.caseNumber}:${d.verificationCode}`, fit: 84 }, { text: d.verificationCode, fontSize: 7, bold: true }] },
      ],
    },
    { text: `№ ${d.caseNumber} · ${d.date}`, margin: [0, 0, 0, 6] },
    { text: `${d.applicant.name}, ${d.language === 'kk' ? 'ЖСН' : 'ИИН'} ${d.applicant.iin}`, bold: true },
    { text: d.applicant.address, margin: [0, 0, 0, 4] },
    { text: SERVICE_NAME[d.language], fontSize: 9, color: '#555', margin: [0, 0, 0, 10] },
  ];
}

/** The ECP stamp: who signed, the certificate's serial, when; `label` names the act when a form carries two. */
export function stamp(d: LetterBase, signature: LetterBase['stamp'] = d.stamp, label?: string, margin = 16): unknown {
  const s = FORM_TEXTS.stamp[d.language];
  return {
    margin: [0, margin, 0, 0],
    table: { widths: ['*'], body: [[{ text: `${label ?? s.signedBy}: ${signature.signer} · ${s.serial}: ${signature.serial} · ${s.time}: ${signature.time}`, fontSize: 7.5 }]] },
    layout: { hLineColor: () => '#1f6f8b', vLineColor: () => '#1f6f8b' },
  };
}

export const page = (title: string, content: unknown[]) => ({
  pageSize: 'A4',
  pageMargins: [40, 30, 40, 30],
  info: { title, creator: 'Jardem' },
  defaultStyle: { font: 'Roboto', fontSize: 10 },
  content,
});

export function noticeDefinition(d: NoticeData): Record<string, unknown> {
  const t = FORM_TEXTS.notice_originals[d.language];
  return page(`${t.title} ${d.caseNumber}`, [
    ...header(d, t.title),
    { text: t.intro, margin: [0, 0, 0, 6] },
    {
      table: {
        headerRows: 1,
        widths: [110, 80, '*', '*', 60],
        body: [[t.person, t.field, t.declared, t.registry, t.result].map((x) => ({ text: x, bold: true, fontSize: 8.5 })), ...d.rows.map((r) => [r.person, r.field, r.declared, r.registry, r.result].map((x) => ({ text: x, fontSize: 8.5 })))],
      },
      layout: 'lightHorizontalLines',
    },
    { text: formatMessage(d.language, 'pdf.notice.documents'), bold: true, margin: [0, 12, 0, 2] },
    {
      table: {
        headerRows: 1,
        widths: [130, 150, '*'],
        body: [
          ['pdf.notice.document', 'pdf.notice.whose', 'pdf.notice.mismatch'].map((k) => ({ text: formatMessage(d.language, k), bold: true, fontSize: 8.5 })),
          ...d.documents.map((r) => [r.document, r.person, r.mismatch].map((x) => ({ text: x, fontSize: 8.5 }))),
        ],
      },
      layout: 'lightHorizontalLines',
    },
    { text: [`${t.bring} `, { text: d.deadline, bold: true }, '.'], margin: [0, 12, 0, 2] },
    { text: t.deadlineNote, fontSize: 8, color: '#555' },
    { text: t.consequence, margin: [0, 8, 0, 0] },
    stamp(d),
  ]);
}

export function refusalDefinition(d: RefusalData): Record<string, unknown> {
  const t = FORM_TEXTS.refusal_acceptance[d.language];
  return page(`${t.title} ${d.caseNumber}`, [
    ...header(d, t.title, [t.appendix]),
    { text: `${t.reasonLabel}:`, bold: true },
    { text: t[`reason_${d.reason}`], margin: [0, 2, 0, 8] },
    { text: t.legal, fontSize: 9 },
    { text: t.appeal, fontSize: 9, margin: [0, 6, 0, 0] },
    stamp(d),
  ]);
}
