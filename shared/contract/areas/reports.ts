/** Reports: the district's figures for a period (offline, from the workstation's own database) and the cases behind one. */
import { z } from 'zod';
import { calendarDay, calendarMonth } from '../calendar-day';
import { method } from '../method-def';
import type { DistrictReport, ReportCases } from '../report-types';
import type { CityReport } from '../city-report';

/** The longest period a report covers: five years of days (a wider one is a mistake, not a report). */
const MAX_PERIOD_DAYS = 5 * 366;

const period = z
  .object({ from: calendarDay, to: calendarDay })
  .refine((p) => p.from <= p.to, { message: 'field.period_reversed', path: ['from'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 <= MAX_PERIOD_DAYS, { message: 'field.period_too_long', path: ['from'] });

const code = z.string().regex(/^[a-z_]{1,40}$/, 'field.invalid');

export const reportCasesInput = z
  .object({
    from: calendarDay,
    to: calendarDay,
    figure: z.enum(['received', 'accepted', 'refused_to_accept', 'returned_to_center', 'assigned', 'refused', 'refused_reason', 'deadline_met', 'deadline_missed', 'deadline_overdue', 'referrals', 'queue_open', 'queue_overdue']),
    channel: z.enum(['district', 'center']).optional(),
    reason: code.optional(),
    deadline: code.optional(),
    precinct: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'field.invalid').optional(),
    stage: code.optional(),
    month: calendarMonth.optional(),
  })
  .refine((p) => p.from <= p.to, { message: 'field.period_reversed', path: ['from'] });

export const reportsMethods = {
  'reports.district': method<DistrictReport>()({
    input: period,
    // The city department's administrator (role admin) sees the same aggregates; no one's name is in them.
    access: ['specialist', 'head', 'admin'],
    summary: "The district's figures for a period, by channel and month: intake, decisions, deadlines, benefit, referrals, the queue",
  }),
  'reports.city': method<CityReport>()({
    input: period,
    // The city department's administrator only (the services check the office): aggregates per district.
    access: ['admin'],
    summary: "Every district's figures for a period from the central server (received, assigned, refused, deadlines missed); offline, the last fetched with their time",
  }),
  'reports.cases': method<ReportCases>()({
    input: reportCasesInput,
    // A list names applicants: the district's own staff only.
    access: ['specialist', 'head'],
    summary: 'The cases behind one figure of the district report (optionally one month of the period)',
  }),
  'reports.xlsx': method<{ xlsxBase64: string }>()({
    input: z.object({ from: calendarDay, to: calendarDay, language: z.enum(['kk', 'ru', 'en']) }).refine((p) => p.from <= p.to, { message: 'field.period_reversed', path: ['from'] }),
    access: ['specialist', 'head', 'admin'],
    summary: 'The district report for a period as an XLSX workbook, headings in the chosen language',
  }),
  'reports.pdf': method<{ pdfBase64: string; p7sBase64: string }>()({
    input: z.object({ from: calendarDay, to: calendarDay, language: z.enum(['kk', 'ru']) }).refine((p) => p.from <= p.to, { message: 'field.period_reversed', path: ['from'] }),
    // The report the department sends up is the head's to certify.
    access: ['head'],
    summary: 'The district report for a period as a PDF in kk or ru, certified with the head’s ECP and signed inside (PAdES)',
  }),
} as const;
