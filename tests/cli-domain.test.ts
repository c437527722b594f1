import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers';

const tmp = tempDir('cli-domain');
afterAll(() => tmp.remove());
const jardem = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], { encoding: 'utf8' });

describe('jardem workdays, benefit and calendar', () => {
  it('workdays adds and counts working days', () => {
    expect(jardem('workdays', '--from', '2026-03-20', '--add', '7').stdout.trim()).toBe('2026-04-03');
    expect(jardem('workdays', '--from', '2026-03-20', '--to', '2026-04-03').stdout.trim()).toBe('7');
  });

  it('workdays refuses a year without calendar data in the person’s language, exit 1', () => {
    const r = jardem('workdays', '--from', '2028-01-10', '--add', '1', '--lang', 'ru');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('from: В производственном календаре нет 2028 года: внесите его в справочник');
  });

  it('benefit prints the result with its explanation for the README example', () => {
    const r = jardem('benefit', '--input', path.resolve('shared/domain/examples/benefit-family.json'));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ eligible: true, monthlyAmountTiyn: 453800, period: { from: '2017-08-01', to: '2017-09-30' } });
    expect(out.explanation.divisor).toEqual({ months: 3, members: 4, value: 12 });
  });

  it('benefit names the bad field of a bad input', () => {
    const file = path.join(tmp.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ applicationDate: '2017-08-15', region: 'almaty', members: [{ id: 'a', name: 'A', relation: 'applicant', birthDate: '1990-01-01' }, { id: 'c', name: 'C', relation: 'child', birthDate: '2012-01-01' }], income: [{ memberId: 'a', kind: 'wages', month: '2017-05', amountTiyn: -5 }] }));
    const r = jardem('benefit', '--input', file, '--lang', 'kk');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('income.0.amountTiyn: Табыс теріс болмайды');
  });

  it('calendar draft drafts a new year by rule', () => {
    const r = jardem('calendar', 'draft', '--year', '2028');
    const year = JSON.parse(r.stdout);
    expect(year.year).toBe(2028);
    expect(year.daysOff.map((d: { date: string }) => d.date)).toContain('2028-03-21');
  });
});
