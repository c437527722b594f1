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

const dateTimes = new Map<string, Intl.DateTimeFormat>();

/** An instant as the office reads it: DD.MM.YYYY HH:mm in Almaty time, whatever the computer's own zone. */
export function officeDateTimeText(iso: string, timeZone: string = OFFICE_TIME_ZONE): string {
  let f = dateTimes.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimes.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}
