/**
 * The district's report for a period, computed offline from the workstation's own database: what was received,
 * accepted, refused and assigned, by channel and by month; the regulation's deadlines met and missed; working days
 * from application to decision; families, children and amounts; referrals per precinct; and the queue now.
 */
import type { ByChannel, DistrictReport, ReportDeadline, ReportMonth } from '../../../shared/contract/report-types';
import type { Channel, Stage } from '../../../shared/domain/workflow';
import { citeDeadline, DEADLINES, type DeadlineId } from '../../../shared/domain/deadlines';
import type { RefusalGround } from '../../../shared/domain/refusal-grounds';
import { monthsOf, percentileRank, periodBounds } from '../../../shared/domain/report-period';
import { officeDate, officeDateOf } from '../../../shared/local-date';
import { readWorkstation } from '../../../db/repositories/settings';
import { sampleCaseCount } from '../../../db/repositories/sample-cases';
import { REPORT_EVENTS, reportQueries, type HourCount } from '../../../db/repositories/reports';
import type { ServicesContext } from '../context';

const zero = (): ByChannel => ({ district: 0, center: 0 });
const total = (rows: readonly { channel: Channel; n: number }[]): ByChannel => {
  const out = zero();
  for (const r of rows) out[r.channel] += r.n;
  return out;
};
const emptyMonth = (month: string): ReportMonth => ({ month, received: zero(), accepted: zero(), assigned: zero(), refused: zero(), families: 0, children: 0, amountTiyn: 0 });

/** Hour-grouped counts to office months (an hour is in one office day: Almaty's offset is whole hours). */
function byMonth(rows: readonly HourCount[], months: Map<string, ReportMonth>, pick: (m: ReportMonth) => ByChannel) {
  for (const r of rows) {
    const m = months.get(officeDateOf(`${r.hour}:00:00.000Z`).slice(0, 7));
    if (m) pick(m)[r.channel] += r.n;
  }
}

export function districtReport(ctx: ServicesContext, from: string, to: string): DistrictReport {
  const q = reportQueries(ctx.db);
  const p = periodBounds(from, to);
  const today = officeDate(ctx.now());
  const months = new Map(monthsOf(from, to).map((m) => [m, emptyMonth(m)]));

  const received = q.receivedByHour(p);
  byMonth(received, months, (m) => m.received);
  const accepted = q.acceptedByDay(p);
  for (const r of accepted) months.get(r.day.slice(0, 7))!.accepted[r.channel] += r.n;
  const refusedToAccept = q.actCasesByHour(p, REPORT_EVENTS.refusedToAccept);

  const assigned = zero();
  const refused = zero();
  let families = 0;
  let children = 0;
  let amountTiyn = 0;
  for (const r of q.decisionsByMonth(p)) {
    const m = months.get(r.month)!;
    if (r.decision === 'assign') {
      assigned[r.channel] += r.n;
      m.assigned[r.channel] += r.n;
      m.families += r.n;
      m.children += r.children;
      m.amountTiyn += r.amount;
      families += r.n;
      children += r.children;
      amountTiyn += r.amount;
    } else {
      refused[r.channel] += r.n;
      m.refused[r.channel] += r.n;
    }
  }

  const calendar = ctx.calendar();
  const days = new Map<number, number>();
  let decisions = 0;
  // Thousands of (hour, day) groups share far fewer office days: each day, and each pair of days, is counted once.
  const dayOfHour = new Map<string, string>();
  const span = new Map<string, number>();
  for (const s of q.decisionSpans(p)) {
    let applied = dayOfHour.get(s.hour);
    if (applied === undefined) dayOfHour.set(s.hour, (applied = officeDateOf(`${s.hour}:00:00.000Z`)));
    const pair = `${applied}|${s.decidedOn}`;
    let d = span.get(pair);
    if (d === undefined) span.set(pair, (d = calendar.workingDaysBetween(applied, s.decidedOn)));
    days.set(d, (days.get(d) ?? 0) + s.n);
    decisions += s.n;
  }

  const counted = (Object.keys(DEADLINES) as DeadlineId[]).filter((id) => DEADLINES[id].unit === 'working_days');
  const stopped = new Map(q.deadlinesStopped(p, counted).map((r) => [r.deadline, r]));
  const overdue = new Map(q.deadlinesOverdue(today).map((r) => [r.deadline, r.n]));
  const deadlines: ReportDeadline[] = counted.map((id) => ({
    deadline: id,
    source: { kk: citeDeadline(id, 'kk'), ru: citeDeadline(id, 'ru'), en: citeDeadline(id, 'en') },
    limit: DEADLINES[id].limit,
    met: stopped.get(id)?.met ?? 0,
    missed: stopped.get(id)?.missed ?? 0,
    overdueNow: overdue.get(id) ?? 0,
  }));

  const open = q.queueOpen();
  const late = new Map(q.queueOverdue(today).map((r) => [`${r.stage}|${r.channel}`, r.n]));

  return {
    office: readWorkstation(ctx.db)?.officeCode ?? '',
    from,
    to,
    today,
    computedAt: ctx.now().toISOString(),
    received: total(received),
    accepted: total(accepted),
    refusedToAccept: total(refusedToAccept),
    returnedToCenter: q.actCount(p, REPORT_EVENTS.returnedToCenter),
    assigned,
    refused,
    refusedByReason: q.refusalGrounds(p).map((r) => ({ reason: r.reason as RefusalGround, channel: r.channel, n: r.n })),
    deadlines,
    decisionDays: { decisions, median: percentileRank(days, 0.5), p90: percentileRank(days, 0.9) },
    families,
    children,
    amountTiyn,
    months: [...months.values()],
    referrals: q.referrals(p).map((r) => ({ precinct: r.precinct, nameKk: r.nameKk ?? r.precinct, nameRu: r.nameRu ?? r.precinct, n: r.n })),
    queue: open.map((r) => ({ stage: r.stage as Stage, channel: r.channel, open: r.n, overdue: late.get(`${r.stage}|${r.channel}`) ?? 0 })),
    sampleCases: sampleCaseCount(ctx.db),
  };
}
