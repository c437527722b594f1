/**
 * The office's calendar date. Offices work on Almaty time: a case registered at 03:00 on 1 January belongs to
 * the new year, although UTC still says 31 December. Intl is part of the language, not of Node or the DOM.
 */
export const OFFICE_TIME_ZONE = 'Asia/Almaty';

const formatters = new Map<string, Intl.DateTimeFormat>();

const byHour = new Map<string, string>();

/**
 * The office date of an ISO instant (an event's time). Almaty's offset from UTC is a whole number of hours, so the
 * date is the same within a UTC hour: computed once per hour (a rebuild projects millions of events).
 */
export function officeDateOf(iso: string): string {
  const hour = iso.slice(0, 13);
  let day = byHour.get(hour);
  if (day === undefined) {
    day = officeDate(new Date(iso));
    if (byHour.size > 50_000) byHour.clear();
    byHour.set(hour, day);
  }
  return day;
}

export function officeDate(now: Date, timeZone: string = OFFICE_TIME_ZONE): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(now);
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
function wallParts(at: Date, timeZone: string): Record<string, number> {
  let f = wallFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    wallFormatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(at).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/**
 * An instant as the office's clock shows it, whatever the computer's own zone: "DD.MM.YYYY HH:mm" (and ":ss").
 * Almaty time follows the time-zone database (Asia/Almaty): UTC+6 until 1 March 2024, UTC+5 since (Government
 * decree No. 20 of 19 January 2024, amending decree No. 1749 of 23 November 2000 on the computation of time).
 */
export function officeDateTime(at: Date | string, opts: { seconds?: boolean; timeZone?: string } = {}): string {
  const p = wallParts(typeof at === 'string' ? new Date(at) : at, opts.timeZone ?? OFFICE_TIME_ZONE);
  const two = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${two(p.day)}.${two(p.month)}.${p.year} ${two(p.hour)}:${two(p.minute)}${opts.seconds ? `:${two(p.second)}` : ''}`;
}

/** The instant an office day (YYYY-MM-DD) begins: midnight in Almaty, as UTC. */
export function officeDayStart(day: string, timeZone: string = OFFICE_TIME_ZONE): Date {
  const guess = Date.parse(`${day}T00:00:00.000Z`);
  let t = guess;
  // Two rounds settle the offset, also across a change of the zone's offset.
  for (let i = 0; i < 2; i++) {
    const p = wallParts(new Date(t), timeZone);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    t -= wall - guess;
  }
  return new Date(t);
}

/** An instant as the office reads it: DD.MM.YYYY HH:mm in Almaty time, whatever the computer's own zone. */
export function officeDateTimeText(iso: string, timeZone: string = OFFICE_TIME_ZONE): string {
  return officeDateTime(iso, { timeZone });
}

/** A calendar day (YYYY-MM-DD) as the office writes it: DD.MM.YYYY. */
export function dayText(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}
