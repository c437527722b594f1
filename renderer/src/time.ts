/**
 * Times on screen are Almaty time, whatever the computer's own zone: the forms print Almaty
 * time, and a workstation's clock may be set to UTC. Dates of the calendar ("2026-12-01") are shown as they are.
 */
import dayjs, { type Dayjs } from 'dayjs';
import { officeDate, officeDateTime } from '../../shared/local-date';

/** An instant ("2024-02-29T12:00:00Z") as the office's clock shows it: 29.02.2024 18:00. */
export function atOffice(instant: string, seconds = false): string {
  return officeDateTime(instant, { seconds });
}

/** Today at the office (Almaty), as a date picker's value. */
export function officeToday(): Dayjs {
  return dayjs(officeDate(new Date()));
}
