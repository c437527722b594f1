// Drafts the reference calendar: `npx tsx scripts/draft-calendar.ts > shared/domain/data/work-calendar-kz.json`.
// The 2026 carry-overs are listed in benefit.md §4 and checked against the draft, so they are marked sourced.
import { draftYear } from '../shared/domain/calendar-rules';

const SOURCED_CARRY_OVERS: Record<number, string[]> = { 2026: ['2026-03-09', '2026-03-24', '2026-03-25', '2026-05-11', '2026-08-31', '2026-10-26'] };

const years = [];
for (let year = 2012; year <= 2027; year++) {
  const sourced = SOURCED_CARRY_OVERS[year];
  const draft = draftYear(year, { carryOverMark: sourced ? 'sourced' : 'assumed' });
  if (sourced) {
    const drafted = draft.daysOff.filter((d) => d.kind === 'carry_over').map((d) => d.date);
    if (JSON.stringify(drafted) !== JSON.stringify(sourced)) throw new Error(`${year}: drafted ${drafted} but benefit.md lists ${sourced}`);
    draft.note = 'carry-overs as listed in benefit.md §4';
  } else {
    draft.note = 'drafted by rule; carry-overs and the Government transfer decree of this year not yet checked (assumed)';
  }
  if (year <= 2014) draft.note = 'holidays and transfers as listed in benefit.md §4; carry-overs drafted by rule (assumed)';
  years.push(draft);
}
console.log(JSON.stringify({ country: 'KZ', source: '../shared/domain/benefit.md §4', years }, null, 1));
