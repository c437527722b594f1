/** The office's staff register: its administrator grants and ends roles (each a signed staff act), everyone reads it. */
import { z } from 'zod';
import { ROLES } from '../../roles';
import { calendarDay } from '../calendar-day';
import { iinSchema } from '../schemas';
import { text } from '../typed-text';
import { method } from '../method-def';

export interface StaffEntryView {
  office: string;
  iin: string;
  role: (typeof ROLES)[number];
  name: string;
  from: string;
  to: string | null;
}

export const staffGrantInput = z.object({ iin: iinSchema, role: z.enum(ROLES), name: text(300), from: calendarDay, to: calendarDay.optional() });
export const staffEndInput = z.object({ iin: iinSchema, role: z.enum(ROLES), to: calendarDay });

export const staffMethods = {
  'staff.list': method<StaffEntryView[]>()({
    input: z.object({}).strict(),
    access: ['admin', 'head'],
    summary: 'The office’s staff register: who holds which role, from which day, until which day',
  }),
  'staff.grant': method<StaffEntryView>()({
    input: staffGrantInput,
    access: ['admin'],
    summary: 'Grant a person a role in the office’s staff register from a day (a signed act of the office’s administrator)',
  }),
  'staff.end': method<StaffEntryView>()({
    input: staffEndInput,
    access: ['admin'],
    summary: 'End a person’s role from a day: their acts in that role from that day on are refused (a signed act)',
  }),
};
