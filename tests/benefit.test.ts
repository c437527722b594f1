import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateBenefit, DEFAULT_RULES, seedTables, type BenefitInput } from '../shared/domain/benefit';
import { DomainError } from '../shared/domain/errors';

// Application in Q3 2017: income from Q2 2017 (Apr–Jun), threshold the 2017 food basket 14,675 ₸, MRP 2017 2,269 ₸.
const family = (over: Partial<BenefitInput> = {}): BenefitInput => ({
  applicationDate: '2017-08-15',
  region: 'almaty',
  members: [
    { id: 'm', name: 'Әсел', relation: 'applicant', birthDate: '1988-02-01' },
    { id: 'f', name: 'Бауыржан', relation: 'spouse', birthDate: '1986-05-05' },
    { id: 'c1', name: 'Айару', relation: 'child', birthDate: '2010-03-03' },
    { id: 'c2', name: 'Нұрлан', relation: 'child', birthDate: '2015-12-12' },
    { id: 'g', name: 'Әже', relation: 'other', birthDate: '1950-01-01' },
  ],
  income: [
    { memberId: 'f', kind: 'wages', month: '2017-04', amountTiyn: 40_000_00 },
    { memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: 40_000_00 },
    { memberId: 'f', kind: 'wages', month: '2017-06', amountTiyn: 40_000_00 },
    { memberId: 'm', kind: 'personal_subsidiary_farm', month: '2017-05', amountTiyn: 15_000_00 },
    { memberId: 'g', kind: 'pension', month: '2017-05', amountTiyn: 50_000_00 },
    { memberId: 'm', kind: 'targeted_social_assistance', month: '2017-06', amountTiyn: 9_000_00 },
    { memberId: 'f', kind: 'wages', month: '2017-07', amountTiyn: 40_000_00 },
  ],
  ...over,
});

describe('the benefit calculation', () => {
  it('assigns 1 MRP per child under 18 a month, and shows its whole working', () => {
    const r = calculateBenefit(family());
    expect(r.eligible).toBe(true);
    expect(r.refusalReasons).toEqual([]);
    expect(r.monthlyAmountTiyn).toBe(2 * 2269 * 100);
    expect(r.period).toEqual({ from: '2017-08-01', to: '2017-09-30' });
    const x = r.explanation;
    expect(x.incomeQuarter).toEqual({ year: 2017, quarter: 2, from: '2017-04-01', to: '2017-06-30' });
    expect(x.members.filter((m) => m.counted).map((m) => m.id)).toEqual(['m', 'f', 'c1', 'c2']);
    expect(x.members.find((m) => m.id === 'g')).toMatchObject({ counted: false, reason: 'not_counted:relation' });
    expect(x.incomeLines.map((l) => l.reason)).toEqual([
      'counted', 'counted', 'counted', 'counted', 'not_counted:member_not_in_family', 'not_counted:excluded_kind', 'not_counted:outside_income_quarter',
    ]);
    expect(x.totalIncomeTiyn).toBe(135_000_00);
    expect(x.divisor).toEqual({ months: 3, members: 4, value: 12 });
    expect(x.perCapitaTiyn).toBe(11_250_00);
    expect(x.threshold).toMatchObject({ region: 'almaty', year: 2017, quarter: 3, tiyn: 14675_00, mark: 'assumed' });
    expect(x.mrp).toMatchObject({ from: '2017-01-01', tenge: 2269 });
    expect(x.children.map((c) => [c.id, c.ageOnApplication, c.counted])).toEqual([['c1', 7, true], ['c2', 1, true]]);
  });

  it('tests the threshold strictly: per-capita income equal to the food basket is refused', () => {
    const atThreshold = 14675_00 * 12;
    const equal = calculateBenefit(family({ income: [{ memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: atThreshold }] }));
    expect(equal.eligible).toBe(false);
    expect(equal.refusalReasons).toEqual(['income_not_below_threshold']);
    expect(equal.monthlyAmountTiyn).toBe(0);
    expect(equal.period).toBeNull();
    const below = calculateBenefit(family({ income: [{ memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: atThreshold - 1 }] }));
    expect(below.eligible).toBe(true);
  });

  it('keeps a threshold that is not whole tenge exact: 60% of 19,693 ₸ is 11,815.80 ₸', () => {
    const q2012 = (amountTiyn: number) =>
      calculateBenefit(family({ applicationDate: '2012-05-10', members: family().members.map((m) => ({ ...m, birthDate: m.birthDate < '2012' ? m.birthDate : '2009-01-01' })), income: [{ memberId: 'f', kind: 'wages', month: '2012-02', amountTiyn }] }));
    expect(q2012(1).explanation.threshold.tiyn).toBe(11_815_80);
    // Per capita 11,815.79 ₸ is below; 11,815.80 ₸ is not (4 members × 3 months = 12).
    expect(q2012(11_815_79 * 12).eligible).toBe(true);
    expect(q2012(11_815_80 * 12).eligible).toBe(false);
  });

  it('decides exactly where floating point would not: one tiyn below a threshold times 3 members', () => {
    const input = family({
      members: family().members.filter((m) => m.id !== 'c2' && m.id !== 'g'),
      income: [{ memberId: 'f', kind: 'wages', month: '2017-04', amountTiyn: 14675_00 * 9 - 1 }],
    });
    expect(calculateBenefit(input).eligible).toBe(true);
  });

  it('refuses when no child is under 18 on the application date', () => {
    const r = calculateBenefit(family({ members: [family().members[0]!, { id: 'c', name: 'Ересек', relation: 'child', birthDate: '1999-08-15' }], income: [] }));
    expect(r.refusalReasons).toEqual(['no_child_under_18']);
    expect(r.explanation.children[0]).toMatchObject({ ageOnApplication: 18, counted: false });
  });

  it('counts an adult child’s income and not a minor’s', () => {
    const r = calculateBenefit(family({
      members: [...family().members, { id: 'a', name: 'Ересек', relation: 'child', birthDate: '1996-01-01' }],
      income: [
        { memberId: 'a', kind: 'scholarship', month: '2017-04', amountTiyn: 20_000_00 },
        { memberId: 'c1', kind: 'survivor_pension', month: '2017-04', amountTiyn: 20_000_00 },
      ],
    }));
    expect(r.explanation.incomeLines.map((l) => l.reason)).toEqual(['counted', 'not_counted:minor_child_income']);
    expect(r.explanation.divisor.members).toBe(5);
  });

  it('lets an assumed rule be overridden by name', () => {
    const r = calculateBenefit(family(), seedTables(), { ...DEFAULT_RULES, excludedIncomeKinds: [] });
    expect(r.explanation.incomeLines[5]!.reason).toBe('counted');
    expect(calculateBenefit(family(), seedTables(), { ...DEFAULT_RULES, assignmentPeriodEnd: 'end_of_application_month' }).period).toEqual({ from: '2017-08-01', to: '2017-08-31' });
    expect(calculateBenefit(family({ applicationDate: '2017-12-05' }), seedTables(), { ...DEFAULT_RULES, assignmentPeriodEnd: 'end_of_application_month' }).period?.to).toBe('2017-12-31');
    // Threshold of the income quarter instead of the application quarter: Q2 2017 is also 14,675.
    expect(calculateBenefit(family(), seedTables(), { ...DEFAULT_RULES, thresholdQuarter: 'income' }).explanation.threshold.quarter).toBe(2);
  });

  it.each([
    [{ applicationDate: '2017-02-30' }, 'date.invalid', 'applicationDate'],
    [{ income: undefined }, 'field.required', 'income'],
    [{ income: [{ memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: 2 ** 53 }] }, 'benefit.amount_not_integer', 'income.0.amountTiyn'],
    [{ income: [{ memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: 2 ** 52 }, { memberId: 'f', kind: 'wages', month: '2017-06', amountTiyn: 2 ** 52 }] }, 'benefit.amount_too_large', 'income'],
    [{ members: [] }, 'benefit.no_members', 'members'],
    [{ members: family().members.filter((m) => m.relation !== 'child'), income: [] }, 'benefit.no_child', 'members'],
    [{ income: [{ memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: -1 }] }, 'benefit.negative_income', 'income.0.amountTiyn'],
    [{ income: [{ memberId: 'f', kind: 'wages', month: '2017-05', amountTiyn: 0.5 }] }, 'benefit.amount_not_integer', 'income.0.amountTiyn'],
    [{ income: [{ memberId: 'x', kind: 'wages', month: '2017-05', amountTiyn: 1 }] }, 'benefit.unknown_member', 'income.0.memberId'],
    [{ income: [{ memberId: 'f', kind: 'wages', month: '2017-13', amountTiyn: 1 }] }, 'date.invalid', 'income.0.month'],
    [{ applicationDate: '2031-11-24' }, 'benefit.threshold_missing', 'region'],
    [{ region: 'shymkent' }, 'benefit.threshold_missing', 'region'],
    [{ applicationDate: '2010-06-01', members: family().members.map((m) => ({ ...m, birthDate: '2001-01-01' })) }, 'benefit.threshold_missing', 'region'],
  ])('refuses bad input %# with a typed error naming the field', (over, code, field) => {
    let error: unknown;
    try {
      calculateBenefit(family(over as Partial<BenefitInput>));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, field });
  });

  it('uses the MRP in force on the application date, including the 1 June 2022 rise for benefits', () => {
    // Any threshold for the quarter: the test is about the MRP row chosen.
    const at = (applicationDate: string) => {
      const quarter = { year: Number(applicationDate.slice(0, 4)), quarter: Math.floor((Number(applicationDate.slice(5, 7)) - 1) / 3) + 1 };
      const foodBasket = [{ region: 'almaty', ...quarter, tiyn: 100_000_00, mark: 'assumed' as const, derivation: 'test' }];
      return calculateBenefit(family({ applicationDate, income: [] }), { ...seedTables(), foodBasket }).explanation.mrp;
    };
    expect(at('2022-05-31')).toMatchObject({ from: '2022-01-01', tenge: 3063 });
    expect(at('2022-06-01')).toMatchObject({ from: '2022-06-01', tenge: 3180 });
    expect(at('2020-03-31').tenge).toBe(2651);
    expect(at('2020-04-01').tenge).toBe(2778);
    expect(at('2026-12-01').tenge).toBe(4325);
    for (const row of seedTables().mrp) expect(row.source.length, row.from).toBeGreaterThan(10);
  });

  it('takes a 2018+ threshold only from a found Almaty figure (55% food share), and refuses a quarter without one', () => {
    const q3of2021 = calculateBenefit(family({ applicationDate: '2021-08-16', income: [] }));
    // 55% of the July 2021 Almaty subsistence minimum 40 809 ₸ = 22 444,95 ₸, exact in tiyn.
    expect(q3of2021.explanation.threshold).toMatchObject({ year: 2021, quarter: 3, tiyn: 22_444_95, mark: 'assumed' });
    expect(q3of2021.explanation.threshold.derivation).toContain('40 809');
    for (const applicationDate of ['2018-02-15', '2019-05-15', '2020-11-16', '2022-07-15', '2023-10-16', '2024-02-15']) {
      let error: unknown;
      try {
        calculateBenefit(family({ applicationDate, income: [] }));
      } catch (e) {
        error = e;
      }
      expect(error, applicationDate).toMatchObject({ code: 'benefit.threshold_missing', field: 'region' });
    }
    for (const row of seedTables().foodBasket) expect(row.derivation.length, `${row.year} Q${row.quarter}`).toBeGreaterThan(10);
  });

  it('refuses a date with no MRP row', () => {
    expect(() => calculateBenefit(family(), { ...seedTables(), mrp: [] })).toThrow(DomainError);
  });

  it('property: more income never turns a refusal into an assignment, and the amount depends only on the children', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (a, extra) => {
        const base = calculateBenefit(family({ income: [{ memberId: 'f', kind: 'wages', month: '2017-04', amountTiyn: a }] }));
        const more = calculateBenefit(family({ income: [{ memberId: 'f', kind: 'wages', month: '2017-04', amountTiyn: a + extra }] }));
        if (!base.eligible) expect(more.eligible).toBe(false);
        expect(base.eligible).toBe(a < 14675_00 * 12);
        expect(base.monthlyAmountTiyn).toBe(base.eligible ? 2 * 2269_00 : 0);
      }),
    );
  });
});
