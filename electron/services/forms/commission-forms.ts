/**
 * The precinct commission's two papers (regulation item 11.1 stage 4): the act on the family's material situation
 * and the conclusion on need, as the commission wrote them (forms.md "Act on the family's material situation",
 * "Conclusion of the precinct commission" [assumed]). Each has the commission's members with a place for each
 * signature, the QR code, and the ECP stamp of who certified it (the secretary, or the specialist who entered the
 * scanned paper). Layout only; the texts are messages pdf.act.* and pdf.conclusion.* (shared/i18n/parts/forms.ts).
 */
import { formatTenge } from '../../../shared/forms/money';
import { CURRENCY } from '../../../shared/forms/texts';
import { formatMessage } from '../../../shared/i18n/messages';
import { header, page, stamp, type LetterBase } from './letters';
import { formatDay } from './pdf';

export type CommissionRole = 'chair' | 'member' | 'secretary';

export interface CommissionPaperBase extends LetterBase {
  journalNumber: string;
  precinct: string;
  /** The commission's members as the akimat's order lists them, with their roles. */
  roster: { name: string; role: CommissionRole }[];
  /** Entered by the specialist from the scanned paper (not by the secretary's own key). */
  onPapersBehalf: boolean;
}

export interface ActData extends CommissionPaperBase {
  act: {
    date: string;
    membersPresent: string[];
    housing: { type: string; ownership: string; rooms: number; areaM2: number; utilities: string[] };
    property: { vehicles: string; livestock: string; land: string };
    familyAsFound: string;
    observations: string;
  };
  family: { name: string; relation: string; birthYear: string; occupation: string; incomeTiyn: number }[];
  incomeQuarter: string;
}

export interface ConclusionData extends CommissionPaperBase {
  actDate: string;
  conclusion: { needs: boolean; grounds: string; members: string[] };
}

const small = (text: string, extra: Record<string, unknown> = {}) => ({ text, fontSize: 8.5, ...extra });
const labelled = (label: string, value: string) => ({ text: [{ text: `${label}: `, bold: true }, value || '—'], margin: [0, 1, 0, 1] });

/** One line per signer: role, a line to sign on, the name. */
function signatures(d: CommissionPaperBase, names: readonly string[], m: (key: string) => string): unknown {
  const roleOf = (name: string) => d.roster.find((r) => r.name === name)?.role ?? 'member';
  const order: Record<CommissionRole, number> = { chair: 0, member: 1, secretary: 2 };
  const signers = [...names].sort((a, b) => order[roleOf(a)] - order[roleOf(b)]);
  return {
    margin: [0, 10, 0, 0],
    table: {
      widths: [90, 150, '*'],
      body: signers.map((name) => [small(m(`pdf.commission.role.${roleOf(name)}`), { bold: true }), small(`____________________\n${m('pdf.commission.signHere')}`, { alignment: 'center', color: '#555' }), small(name)]),
    },
    layout: 'noBorders',
  };
}

function commissionLines(d: CommissionPaperBase, m: (key: string) => string): unknown[] {
  return [labelled(m('pdf.commission.journal'), d.journalNumber), labelled(m('pdf.commission.precinct'), d.precinct)];
}

function paperNote(d: CommissionPaperBase, m: (key: string) => string): unknown[] {
  return d.onPapersBehalf ? [small(m('pdf.commission.onPapersBehalf'), { color: '#555', margin: [0, 6, 0, 0] })] : [];
}

export function actDefinition(d: ActData): Record<string, unknown> {
  const m = (key: string) => formatMessage(d.language, key);
  const a = d.act;
  const title = m('pdf.act.title');
  const property = [
    [m('pdf.act.vehicles'), a.property.vehicles],
    [m('pdf.act.livestock'), a.property.livestock],
    [m('pdf.act.land'), a.property.land],
  ];
  return page(`${title} ${d.caseNumber}`, [
    ...header(d, title),
    ...commissionLines(d, m),
    labelled(m('pdf.act.date'), formatDay(a.date)),
    labelled(m('pdf.act.present'), a.membersPresent.join(', ')),
    { text: `${m('pdf.act.family')} (${m('pdf.act.incomeQuarter')}: ${d.incomeQuarter})`, bold: true, margin: [0, 8, 0, 2] },
    {
      table: {
        headerRows: 1,
        widths: ['*', 70, 45, 110, 70],
        body: [
          [m('pdf.act.name'), m('pdf.act.relation'), m('pdf.act.birthYear'), m('pdf.act.occupation'), `${m('pdf.act.income')}, ${CURRENCY}`].map((h) => small(h, { bold: true })),
          ...d.family.map((f) => [small(f.name), small(f.relation), small(f.birthYear), small(f.occupation || '—'), small(formatTenge(f.incomeTiyn), { alignment: 'right' })]),
        ],
      },
      layout: 'lightHorizontalLines',
    },
    { text: m('pdf.act.housing'), bold: true, margin: [0, 8, 0, 2] },
    small(
      [
        `${m('pdf.act.housingType')}: ${m(`commission.housing.${a.housing.type}`)}`,
        `${m('pdf.act.ownership')}: ${m(`commission.ownership.${a.housing.ownership}`)}`,
        `${m('pdf.act.rooms')}: ${a.housing.rooms}`,
        `${m('pdf.act.area')}: ${String(a.housing.areaM2).replace('.', ',')} м²`,
      ].join(' · '),
    ),
    small(`${m('pdf.act.utilities')}: ${a.housing.utilities.map((u) => m(`commission.utility.${u}`)).join(', ') || '—'}`),
    { text: m('pdf.act.property'), bold: true, margin: [0, 8, 0, 2] },
    ...property.map(([label, value]) => small(`${label}: ${value?.trim() || m('pdf.act.none')}`)),
    { text: m('pdf.act.familyAsFound'), bold: true, margin: [0, 8, 0, 2] },
    small(a.familyAsFound),
    { text: m('pdf.act.observations'), bold: true, margin: [0, 8, 0, 2] },
    small(a.observations.trim() || '—'),
    small(m('pdf.act.legal'), { color: '#555', margin: [0, 6, 0, 0] }),
    { text: m('pdf.commission.signatures'), bold: true, margin: [0, 10, 0, 0] },
    signatures(d, a.membersPresent, m),
    ...paperNote(d, m),
    stamp(d),
  ]);
}

export function conclusionDefinition(d: ConclusionData): Record<string, unknown> {
  const m = (key: string) => formatMessage(d.language, key);
  const title = m('pdf.conclusion.title');
  return page(`${title} ${d.caseNumber}`, [
    ...header(d, title),
    ...commissionLines(d, m),
    labelled(m('pdf.conclusion.actDate'), formatDay(d.actDate)),
    { text: m('pdf.conclusion.intro'), margin: [0, 8, 0, 4] },
    { text: d.conclusion.needs ? m('pdf.conclusion.needs') : m('pdf.conclusion.notNeeds'), bold: true, fontSize: 11, margin: [0, 2, 0, 6] },
    labelled(m('pdf.conclusion.grounds'), d.conclusion.grounds),
    small(m('pdf.conclusion.legal'), { color: '#555', margin: [0, 6, 0, 0] }),
    { text: m('pdf.commission.signatures'), bold: true, margin: [0, 10, 0, 0] },
    signatures(d, d.conclusion.members, m),
    ...paperNote(d, m),
    stamp(d),
  ]);
}
