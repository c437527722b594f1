/**
 * The cases behind one figure of the district's report: the same conditions as the figure, narrowed to a month of
 * the period when one is named (a bar of the monthly series).
 */
import { REPORT_CASES_LIMIT, type ReportCases } from '../../../shared/contract/report-types';
import type { ParsedInputOf } from '../../../shared/contract/methods';
import { periodAround, periodBounds } from '../../../shared/domain/report-period';
import { officeDate } from '../../../shared/local-date';
import { figureCases } from '../../../db/repositories/report-cases';
import type { ServicesContext } from '../context';
import type { Channel, Stage } from '../../../shared/domain/workflow';

export function reportCases(ctx: ServicesContext, input: ParsedInputOf<'reports.cases'>): ReportCases {
  let { from, to } = input;
  if (input.month) {
    const m = periodAround('month', `${input.month}-01`);
    from = m.from > from ? m.from : from;
    to = m.to < to ? m.to : to;
  }
  const found = figureCases(ctx.db, input.figure, { ...periodBounds(from, to), today: officeDate(ctx.now()) }, input, REPORT_CASES_LIMIT);
  return { total: found.total, rows: found.rows.map((r) => ({ ...r, channel: r.channel as Channel, stage: r.stage as Stage })) };
}
