/** The IIN, the working-day calendar and the benefit, as a person checks them at the command line. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkIin, type Sex } from '../../../shared/domain/iin';
import { seedCalendar } from '../../../shared/domain/calendar';
import { draftYear } from '../../../shared/domain/calendar-rules';
import { calculateBenefit, type BenefitInput } from '../../../shared/domain/benefit';
import { fail, failDomain, need } from '../common';
import { USAGE } from '../usage';

export async function iinCommand(rest: string[]): Promise<void> {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { 'birth-date': { type: 'string' }, sex: { type: 'string' } } });
    if (positionals.length !== 1) fail(USAGE);
    const sex = values.sex as Sex | undefined;
    const r = checkIin(positionals[0]!, { birthDate: values['birth-date'] ?? null, sex: sex ?? null });
    console.log(JSON.stringify({ valid: r.valid, errors: r.errors, warnings: r.warnings, birthDate: r.birthDate, sex: r.sex }));
    process.exit(r.valid ? 0 : 1);
}

export async function workdaysCommand(rest: string[]): Promise<void> {
    const { values } = parseArgs({ args: rest, options: { from: { type: 'string' }, add: { type: 'string' }, to: { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
    need(values, 'from');
    const calendar = seedCalendar();
    try {
      if (values.add !== undefined) console.log(calendar.addWorkingDays(values.from!, Number(values.add)));
      else if (values.to !== undefined) console.log(calendar.workingDaysBetween(values.from!, values.to));
      else fail(USAGE);
    } catch (error) {
      failDomain(error, values.lang);
    }
    return;
}

export async function benefitCommand(rest: string[]): Promise<void> {
    const { values } = parseArgs({ args: rest, options: { input: { type: 'string' }, lang: { type: 'string', default: 'ru' } } });
    need(values, 'input');
    let input: BenefitInput;
    try {
      input = JSON.parse(readFileSync(values.input!, 'utf8')) as BenefitInput;
    } catch (error) {
      fail(`--input: ${(error as Error).message}`);
    }
    try {
      console.log(JSON.stringify(calculateBenefit(input), null, 2));
    } catch (error) {
      failDomain(error, values.lang);
    }
    return;
}

export async function calendarCommand(rest: string[]): Promise<void> {
    const [sub, ...args] = rest;
    const { values } = parseArgs({ args, options: { year: { type: 'string' } } });
    if (sub !== 'draft') fail(USAGE);
    need(values, 'year');
    console.log(JSON.stringify(draftYear(Number(values.year)), null, 1));
    return;
}
