import { describe, expect, it } from 'vitest';
import { checkIin, iinCheckDigit, withCheckDigit } from '../shared/domain/iin';

describe('IIN (benefit.md §3)', () => {
  it('accepts a valid IIN and decodes birth date, century and sex', () => {
    const r = checkIin('850615300012');
    expect(r).toMatchObject({ valid: true, errors: [], birthDate: '1985-06-15', sex: 'male', century: 1900 });
    expect(checkIin('900512400018')).toMatchObject({ valid: true, sex: 'female', birthDate: '1990-05-12' });
  });

  it('names each error', () => {
    expect(checkIin('85061530001').errors).toEqual(['iin.length']);
    expect(checkIin('85061530001a').errors).toEqual(['iin.digits']);
    expect(checkIin('850615700012').errors).toContain('iin.century');
    expect(checkIin('850615300015').errors).toEqual(['iin.checksum']);
  });

  it('uses the second weight sequence when the first gives 10, and refuses a number where both give 10', () => {
    let secondUsed = 0;
    let unresolvable = 0;
    for (let serial = 0; serial < 3000; serial++) {
      const first11 = `0001013${String(serial).padStart(4, '0')}`;
      const digits = [...first11].map(Number);
      const firstSum = digits.reduce((s, d, i) => s + d * (i + 1), 0) % 11;
      const check = iinCheckDigit(digits);
      if (firstSum === 10) {
        const second = digits.reduce((s, d, i) => s + d * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i]!, 0) % 11;
        if (second === 10) {
          unresolvable++;
          expect(check).toBeNull();
          for (let last = 0; last <= 9; last++) expect(checkIin(`${first11}${last}`).errors).toContain('iin.checksum_unresolvable');
        } else {
          secondUsed++;
          expect(check).toBe(second);
          expect(checkIin(`${first11}${second}`).valid).toBe(true);
        }
      } else expect(check).toBe(firstSum);
    }
    expect(secondUsed).toBeGreaterThan(0);
    expect(unresolvable).toBeGreaterThan(0);
  });

  it('treats a declared birth date or sex that disagrees with the digits as a warning only', () => {
    const r = checkIin('850615300012', { birthDate: '1985-06-16', sex: 'female' });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual(['iin.birth_date_mismatch', 'iin.sex_mismatch']);
  });

  it('warns when the first six digits are not a real date', () => {
    const iin = withCheckDigit('85023130001') ?? withCheckDigit('85023130002')!;
    const r = checkIin(iin);
    expect(r.valid).toBe(true);
    expect(r.warnings).toContain('iin.date_not_real');
  });
});
