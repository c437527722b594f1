/**
 * The city's figures per district, as the server answers the city department's administrator over the sync channel
 * (GET /sync/v1/reports/city) and as the workstation keeps the last answer. Aggregates only: a count per district
 * office, never a person's data. The workstation reads the answer through this schema: a field that is not a count
 * is a hostile answer, not a figure.
 */
import { z } from 'zod';
import { calendarDay } from './calendar-day';

export const CITY_REPORT_PATH = '/sync/v1/reports/city';

const count = z.number().int().nonnegative().max(1e9);

export const cityDistrictSchema = z.object({
  office: z.string().regex(/^[A-Z0-9_-]{1,20}$/),
  nameKk: z.string().max(200),
  nameRu: z.string().max(200),
  received: count,
  assigned: count,
  refused: count,
  refusedToAccept: count,
  /** The regulation's deadlines stopped in the period after their due day. */
  deadlinesMissed: count,
  /** Deadlines still open and past due on the server's office day. */
  deadlinesOverdue: count,
  open: count,
});

export const cityReportSchema = z.object({
  from: calendarDay,
  to: calendarDay,
  /** When the server counted (ISO). */
  computedAt: z.string().max(40),
  districts: z.array(cityDistrictSchema).max(200),
});

export type CityDistrictFigures = z.infer<typeof cityDistrictSchema>;
export type CityReportAnswer = z.infer<typeof cityReportSchema>;

/** What the workstation's `reports.city` returns: the answer, when it was fetched, and whether it came just now. */
export interface CityReport extends CityReportAnswer {
  /** When this workstation received the answer (ISO). */
  fetchedAt: string;
  /** The server could not be reached: these are the last fetched figures (of the period they name). */
  offline: boolean;
}
