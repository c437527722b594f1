/**
 * The office's calendar date. Offices work on Almaty time: a case registered at 03:00 on 1 January belongs to
 * the new year, although UTC still says 31 December. Intl is part of the language, not of Node or the DOM.
 */
export const OFFICE_TIME_ZONE = 'Asia/Almaty';

const formatters = new Map<string, Intl.DateTimeFormat>();

export function officeDate(now: Date, timeZone: string = OFFICE_TIME_ZONE): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(now);
}
