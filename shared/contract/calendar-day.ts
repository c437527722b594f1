/**
 * A calendar day as the contract takes it: YYYY-MM-DD naming a day that exists (2026-02-30 and 0000-00-00 do not).
 * One type for every date a method takes, an event's payload carries and a reference act states, so that a date
 * that is no date is refused where it enters with the field named, never met later by the SQL or the calendar.
 * A leaf module: the method inputs (schemas.ts), the reference protocol and the event catalogue all import it.
 */
import { z } from 'zod';
import { isCalendarDay } from '../domain/dates';

export const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'field.date_format').refine(isCalendarDay, 'field.date_not_real');

/** A month of a calendar (an income line's YYYY-MM). */
export const calendarMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'field.invalid');
