/**
 * The human numbers of a case, its journal entry and its decision: one format, assigned offline by each
 * workstation without collisions (office, workstation, year, sequence): AUE-W1-2026-000001 (the case),
 * AUE-W1-2026-J000001 (the journal, Rules Appendix 21), AUE-W1-2026-D000001 (the decision). The office code may
 * hold a hyphen (CON-AUE): the last three parts are fixed, so the office is everything before them.
 * Numbers issued before this format keep what they were (journal AUE-2026-W1-00001, decision AUE-2026-W1-D00001).
 */
export type NumberKind = 'case' | 'journal' | 'decision';

const PREFIX: Record<NumberKind, string> = { case: '', journal: 'J', decision: 'D' };
const KIND_OF: Record<string, NumberKind> = { '': 'case', J: 'journal', D: 'decision' };

export interface ParsedNumber {
  kind: NumberKind;
  office: string;
  workstation: string;
  year: string;
  seq: number;
  /** Issued in an older format. */
  legacy: boolean;
}

export function formatNumber(kind: NumberKind, office: string, workstation: string, year: string, seq: number): string {
  return `${office}-${workstation}-${year}-${PREFIX[kind]}${String(seq).padStart(6, '0')}`;
}

const CURRENT = /^([A-Z0-9]+(?:-[A-Z0-9]+)*)-([A-Z0-9]{1,8})-(\d{4})-([JD]?)(\d{6})$/;
const LEGACY = /^([A-Z0-9]+(?:-[A-Z0-9]+)*)-(\d{4})-([A-Z0-9]{1,8})-(D?)(\d{5})$/;

export function parseNumber(text: string): ParsedNumber | null {
  const m = CURRENT.exec(text);
  if (m) return { kind: KIND_OF[m[4]!]!, office: m[1]!, workstation: m[2]!, year: m[3]!, seq: Number(m[5]), legacy: false };
  const l = LEGACY.exec(text);
  if (l) return { kind: l[4] === 'D' ? 'decision' : 'journal', office: l[1]!, workstation: l[3]!, year: l[2]!, seq: Number(l[5]), legacy: true };
  return null;
}

/** The sequence a number was drawn from (the scopes the workstations have always used). */
export function sequenceScope(kind: NumberKind, office: string, workstation: string, year: string): string {
  return kind === 'case' ? `case/${office}/${workstation}/${year}` : `${kind}/${office}/${year}/${workstation}`;
}
