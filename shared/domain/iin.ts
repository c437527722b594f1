/**
 * IIN (ЖСН / ИИН): the 12-digit individual identification number.
 * Rules from ../shared/domain/benefit.md §3 [sourced]:
 *  digits 1–6 birth date YYMMDD; digit 7 century and sex; 8–11 serial; 12 check digit.
 * Since decree No. 853 of 26 Aug 2013 the digits have no legal link to personal data, so a declared birth
 * date or sex that disagrees with the digits is only a warning.
 */

export type IinErrorCode =
  | 'iin.length'
  | 'iin.digits'
  | 'iin.century'
  | 'iin.checksum'
  | 'iin.checksum_unresolvable';

export type IinWarningCode = 'iin.date_not_real' | 'iin.birth_date_mismatch' | 'iin.sex_mismatch';

export type Sex = 'male' | 'female';

export interface IinCheck {
  valid: boolean;
  errors: IinErrorCode[];
  warnings: IinWarningCode[];
  /** ISO date decoded from digits 1–6 and the century digit, when they form a real date. */
  birthDate: string | null;
  sex: Sex | null;
  century: number | null;
}

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit of the first 11 digits, or null when both weight sequences give 10 (no valid IIN). */
export function iinCheckDigit(first11: readonly number[]): number | null {
  const weigh = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * first11[i]!, 0) % 11;
  const first = weigh(FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weigh(SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

/** Century start year for the 7th digit: 1/2 → 1800, 3/4 → 1900, 5/6 → 2000. */
function centuryOf(digit: number): number | null {
  if (digit < 1 || digit > 6) return null;
  return 1800 + Math.floor((digit - 1) / 2) * 100;
}

function realDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function checkIin(raw: string, declared: { birthDate?: string | null; sex?: Sex | null } = {}): IinCheck {
  const iin = raw.trim();
  const result: IinCheck = { valid: false, errors: [], warnings: [], birthDate: null, sex: null, century: null };
  if (!/^\d*$/.test(iin)) result.errors.push('iin.digits');
  if (iin.length !== 12) result.errors.push('iin.length');
  if (result.errors.length > 0) return result;

  const digits = [...iin].map(Number);
  const century = centuryOf(digits[6]!);
  if (century === null) {
    result.errors.push('iin.century');
  } else {
    result.century = century;
    result.sex = digits[6]! % 2 === 1 ? 'male' : 'female';
    const yy = digits[0]! * 10 + digits[1]!;
    const mm = digits[2]! * 10 + digits[3]!;
    const dd = digits[4]! * 10 + digits[5]!;
    result.birthDate = realDate(century + yy, mm, dd);
    if (result.birthDate === null) result.warnings.push('iin.date_not_real');
  }

  const check = iinCheckDigit(digits.slice(0, 11));
  if (check === null) result.errors.push('iin.checksum_unresolvable');
  else if (check !== digits[11]) result.errors.push('iin.checksum');

  if (declared.birthDate && result.birthDate && declared.birthDate !== result.birthDate) {
    result.warnings.push('iin.birth_date_mismatch');
  }
  if (declared.sex && result.sex && declared.sex !== result.sex) result.warnings.push('iin.sex_mismatch');

  result.valid = result.errors.length === 0;
  return result;
}

/** Completes 11 digits with their check digit; null when no check digit exists. Used by generators and tests. */
export function withCheckDigit(first11: string): string | null {
  const check = iinCheckDigit([...first11].map(Number));
  return check === null ? null : first11 + String(check);
}
