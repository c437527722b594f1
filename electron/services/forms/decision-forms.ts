/**
 * The forms from registration to notification (regulation item 11.1 stages 4–7): the referral to the precinct
 * commission, the decision with the benefit calculation's whole working, and the Appendix 22 notification.
 * Layout only; fixed texts in shared/forms/texts.ts, labels of kinds and grounds in shared/i18n.
 */
import type { BenefitResult } from '../../../shared/domain/benefit';
import type { RefusalGround } from '../../../shared/domain/workflow';
import { CURRENCY, FORM_TEXTS, REGION_NAMES } from '../../../shared/forms/texts';
import { formatTenge } from '../../../shared/forms/money';
import { formatMessage } from '../../../shared/i18n/messages';
import { header, page, stamp, type LetterBase } from './letters';
import { formatDay } from './pdf';


const small = (text: string, extra: Record<string, unknown> = {}) => ({ text, fontSize: 8.5, ...extra });
const labelled = (label: string, value: string) => ({ text: [{ text: `${label}: `, bold: true }, value], margin: [0, 1, 0, 1] });

export interface ReferralData extends LetterBase {
  journalNumber: string;
  precinct: { name: string; members: string[] };
  reason: string;
  due: string;
  specialist: string;
}

export function referralDefinition(d: ReferralData): Record<string, unknown> {
  const t = FORM_TEXTS.commission_referral[d.language];
  return page(`${t.title} ${d.caseNumber}`, [
    ...header(d, t.title),
    labelled(t.journal, d.journalNumber),
    labelled(t.commission, d.precinct.name),
    labelled(t.members, d.precinct.members.join(', ')),
    labelled(t.reasonLabel, (t as Record<string, string>)[`reason_${d.reason}`] ?? d.reason),
    { text: t.task, margin: [0, 8, 0, 8] },
    { text: [`${t.due}: `, { text: d.due, bold: true }] },
    small(t.dueNote, { color: '#555' }),
    labelled(t.specialist, d.specialist),
    stamp(d),
  ]);
}

export interface DecisionData extends LetterBase {
  decisionNumber: string;
  journalNumber: string;
  outcome: 'assign' | 'refuse';
  refusalGrounds: readonly RefusalGround[];
  calculation: BenefitResult;
  conclusion: { needs: boolean; grounds: string } | 'reused' | null;
  drafter: string;
  head: string;
  /** The responsible specialist's signature on the draft (stage 5), stamped beside the head's (stage 6). */
  draftStamp: LetterBase['stamp'];
}

export function decisionDefinition(d: DecisionData): Record<string, unknown> {
  const t = FORM_TEXTS.decision[d.language];
  const x = d.calculation.explanation;
  const msg = (key: string) => formatMessage(d.language, key);
  const table = (widths: unknown[], head: string[], rows: string[][]) => ({
    table: { headerRows: 1, widths, body: [head.map((h) => small(h, { bold: true })), ...rows.map((r) => r.map((c) => small(c)))] },
    layout: 'lightHorizontalLines',
    margin: [0, 2, 0, 8],
  });
  const names = new Map(x.members.map((m) => [m.id, m.name]));
  return page(`${d.outcome === 'assign' ? t.title_assign : t.title_refuse} ${d.decisionNumber}`, [
    ...header(d, d.outcome === 'assign' ? t.title_assign : t.title_refuse),
    labelled(t.number, d.decisionNumber),
    labelled(t.journal, d.journalNumber),
    { text: t.conclusion, bold: true, margin: [0, 6, 0, 2] },
    small(d.conclusion === 'reused' ? t.reused : d.conclusion ? `${d.conclusion.needs ? t.needs : t.notNeeds}: ${d.conclusion.grounds}` : '—'),
    { text: t.members, bold: true, margin: [0, 8, 0, 0] },
    table(['*', 110, 70], [t.member, t.relation, t.counted], x.members.map((m) => [m.name, msg(`relation.${m.relation}`), m.counted ? t.yes : t.no])),
    { text: `${t.income}: ${formatDay(x.incomeQuarter.from)} – ${formatDay(x.incomeQuarter.to)}`, bold: true },
    table(['*', 90, 50, 70, 40], [t.member, t.incomeKind, t.month, t.amount, t.counted], x.incomeLines.map((l) => [names.get(l.memberId) ?? l.memberId, msg(`income.${l.kind}`), `${l.month.slice(5, 7)}.${l.month.slice(0, 4)}`, formatTenge(l.amountTiyn), l.counted ? t.yes : t.no])),
    labelled(t.totalIncome, `${formatTenge(x.totalIncomeTiyn)} ${CURRENCY}`),
    labelled(t.divisor, `${x.divisor.months} × ${x.divisor.members} = ${x.divisor.value}`),
    labelled(t.perCapita, `${formatTenge(x.perCapitaTiyn)} ${CURRENCY} (${x.belowThreshold ? t.belowYes : t.belowNo})`),
    labelled(t.threshold, `${formatTenge(x.threshold.tiyn)} ${CURRENCY} — ${REGION_NAMES[x.threshold.region]?.[d.language] ?? msg(`region.${x.threshold.region}`)}, ${t.quarter.replace('{year}', String(x.threshold.year)).replace('{quarter}', String(x.threshold.quarter))}`),
    // The row's source as entered by the administrator; a seeded assumption says so (its note is in English).
    small(x.threshold.mark === 'sourced' ? `${t.sourced}: ${x.threshold.derivation}` : t.assumed, { color: '#555', margin: [0, 0, 0, 4] }),
    labelled(t.mrp, `${formatTenge(x.mrp.tiyn)} ${CURRENCY} (${formatDay(x.mrp.from)})`),
    labelled(t.children, x.children.filter((c) => c.counted).map((c) => `${c.name} (${formatDay(c.birthDate)})`).join(', ') || '—'),
    ...(d.outcome === 'assign' && d.calculation.period
      ? [labelled(t.monthly, `${formatTenge(d.calculation.monthlyAmountTiyn)} ${CURRENCY}`), labelled(t.period, `${formatDay(d.calculation.period.from)} – ${formatDay(d.calculation.period.to)}`)]
      : [{ text: t.refusal, bold: true, margin: [0, 6, 0, 2] }, ...d.refusalGrounds.map((g) => ({ text: `• ${msg(`ground.${g}`)}` }))]),
    small(`${t.draftBy}: ${d.drafter}`, { margin: [0, 10, 0, 0] }),
    stamp(d, d.draftStamp, formatMessage(d.language, 'pdf.decision.draftStamp'), 2),
    small(`${t.signedBy}: ${d.head}`, { margin: [0, 8, 0, 0] }),
    stamp(d, d.stamp, formatMessage(d.language, 'pdf.decision.headStamp'), 2),
  ]);
}

export interface NotificationData extends LetterBase {
  decisionNumber: string;
  decidedOn: string;
  outcome: 'assign' | 'refuse';
  refusalGrounds: readonly RefusalGround[];
  children: { name: string; birthDate: string }[];
  monthlyAmountTiyn: number;
  period: { from: string; to: string } | null;
  head: string;
}

export function notificationDefinition(d: NotificationData): Record<string, unknown> {
  const t = FORM_TEXTS.notification[d.language];
  const msg = (key: string) => formatMessage(d.language, key);
  const body =
    d.outcome === 'assign' && d.period
      ? [
          { text: t.assigned, margin: [0, 0, 0, 6] },
          { text: t.children, bold: true },
          {
            table: { headerRows: 1, widths: ['*', 90], body: [[small(t.childName, { bold: true }), small(t.birthDate, { bold: true })], ...d.children.map((c) => [small(c.name), small(formatDay(c.birthDate))])] },
            layout: 'lightHorizontalLines',
            margin: [0, 2, 0, 6],
          },
          labelled(t.monthly, `${formatTenge(d.monthlyAmountTiyn)} ${CURRENCY}`),
          labelled(t.period, `${formatDay(d.period.from)} – ${formatDay(d.period.to)}`),
          small(t.quarterly, { margin: [0, 6, 0, 0] }),
        ]
      : [{ text: t.refused, margin: [0, 0, 0, 6] }, { text: t.reasons, bold: true }, ...d.refusalGrounds.map((g) => ({ text: `• ${msg(`ground.${g}`)}` })), small(t.appeal, { margin: [0, 8, 0, 0] })];
  // Item 11.1 stage 7: the notification says the decision taken, assignment or refusal, never both.
  const title = d.outcome === 'assign' ? t.title : formatMessage(d.language, 'pdf.notification.title_refuse');
  return page(`${title} ${d.caseNumber}`, [
    ...header(d, title, [t.appendix]),
    labelled(t.decision, `№ ${d.decisionNumber}, ${formatDay(d.decidedOn)}`),
    ...body,
    small(`${t.head}: ${d.head}`, { margin: [0, 12, 0, 0] }),
    stamp(d),
  ]);
}
