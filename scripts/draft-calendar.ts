// Drafts the reference calendar: `npx tsx scripts/draft-calendar.ts > shared/domain/data/work-calendar-kz.json`.
// Holidays, the first days of Kurban Ait and the transfers come from shared/domain/data/holidays-kz.json and
// transfers-kz.json, each with its source. The 2026 carry-overs are listed in benefit.md §4 and checked against
// the draft, so they are marked sourced; other years' carry-overs follow the rule (assumed).
import { draftYear, GOVERNMENT_TRANSFERS, TRANSFER_YEARS } from '../shared/domain/calendar-rules';

const SOURCED_CARRY_OVERS: Record<number, string[]> = { 2026: ['2026-03-09', '2026-03-24', '2026-03-25', '2026-05-11', '2026-08-31', '2026-10-26'] };

function transfersNote(year: number): string {
  const mine = GOVERNMENT_TRANSFERS.filter((t) => t.from.startsWith(`${year}-`) || t.to.startsWith(`${year}-`));
  if (mine.length === 0) {
    const searched = TRANSFER_YEARS.find((y) => y.year === year);
    return searched ? 'no transfer decree or order found (searches listed in data/transfers-kz.json)' : 'transfers not researched for this year';
  }
  return `transfers: ${mine.map((t) => `${t.from}→${t.to} (${t.mark})`).join(', ')}, acts and sources in data/transfers-kz.json`;
}

const years = [];
for (let year = 2012; year <= 2027; year++) {
  const sourced = SOURCED_CARRY_OVERS[year];
  const draft = draftYear(year, { carryOverMark: sourced ? 'sourced' : 'assumed' });
  if (sourced) {
    const drafted = draft.daysOff.filter((d) => d.kind === 'carry_over').map((d) => d.date);
    if (JSON.stringify(drafted) !== JSON.stringify(sourced)) throw new Error(`${year}: drafted ${drafted} but benefit.md lists ${sourced}`);
  }
  const carry = sourced ? 'carry-overs as listed in benefit.md §4' : 'carry-overs drafted by rule (assumed)';
  draft.note = `holidays from data/holidays-kz.json; ${carry}; ${transfersNote(year)}`;
  years.push(draft);
}
console.log(JSON.stringify({ country: 'KZ', source: '../shared/domain/benefit.md §4; shared/domain/data/holidays-kz.json; shared/domain/data/transfers-kz.json', years }, null, 1));
