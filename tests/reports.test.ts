/**
 * The district report (electron/services/reports): every figure cross-checked against a direct SQL count over a
 * seeded year of cases (bench/reports-data.ts), written independently of the report's own statements (office days
 * by date(…, '+5 hours'): Almaty is UTC+5 all through 2026), and the cases behind each figure counted as the figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicesContext } from '../electron/services/context';
import { districtReport } from '../electron/services/reports/district';
import { reportCases } from '../electron/services/reports/cases';
import { methods } from '../shared/contract/methods';
import type { DistrictReport } from '../shared/contract/report-types';
import { seedCalendar } from '../shared/domain/calendar';
import { formatDay, parseDay } from '../shared/domain/dates';
import { percentileRank } from '../shared/domain/report-period';
import { REPORT_PRECINCTS, seedReportYear } from '../bench/reports-data';
import { NO_REPORT_FACTS_DRIFT, reportFactsDrift } from '../db/repositories/report-facts';
import { makePki, makeWorkstation, tempDir } from './helpers';

const TODAY = '2026-12-15';
const NOW = new Date('2026-12-15T06:00:00.000Z');
const tmp = tempDir('reports');
let ctx: ServicesContext;

const PERIODS = [
  { from: '2026-01-01', to: '2026-12-31' },
  { from: '2026-04-01', to: '2026-06-30' },
  { from: '2026-11-01', to: '2026-11-30' },
  { from: '2026-03-07', to: '2026-03-09' },
];

beforeAll(() => {
  const pki = makePki(`${tmp.dir}/pki`);
  ctx = makeWorkstation(`${tmp.dir}/data`, pki.dir, () => NOW).ctx;
  seedReportYear(ctx.db, { n: 1500, year: 2026, today: TODAY, seed: 5 });
}, 120_000);
afterAll(() => {
  ctx.db.close();
  tmp.remove();
});

const one = (sql: string, ...params: unknown[]) => Number(Object.values(ctx.db.prepare(sql).get(...params) as object)[0] ?? 0);
const DAY = (col: string) => `date(${col}, '+5 hours')`;

describe.each(PERIODS)('the district report for $from – $to', ({ from, to }) => {
  let r: DistrictReport;
  beforeAll(() => {
    r = districtReport(ctx, from, to);
  });
  const cases = (figure: string, key: Record<string, string> = {}) => reportCases(ctx, { from, to, figure, ...key } as never).total;

  it('applications received, accepted, refused to accept and returned to the Center', () => {
    for (const ch of ['district', 'center'] as const) {
      const received = one(`SELECT count(*) FROM cases WHERE channel = ? AND ${DAY('created_at')} BETWEEN ? AND ?`, ch, from, to);
      expect(r.received[ch]).toBe(received);
      expect(cases('received', { channel: ch })).toBe(received);
      const accepted = one('SELECT count(*) FROM journal WHERE channel = ? AND registered_on BETWEEN ? AND ?', ch, from, to);
      expect(r.accepted[ch]).toBe(accepted);
      expect(cases('accepted', { channel: ch })).toBe(accepted);
      const refused = one(`SELECT count(DISTINCT e.case_id) FROM case_events e, cases c WHERE c.id = e.case_id AND c.channel = ? AND e.type = 'acceptance.refused' AND ${DAY('e.at')} BETWEEN ? AND ?`, ch, from, to);
      expect(r.refusedToAccept[ch]).toBe(refused);
      expect(cases('refused_to_accept', { channel: ch })).toBe(refused);
    }
    const returned = one(`SELECT count(*) FROM case_events WHERE type = 'center.returned_incomplete' AND ${DAY('at')} BETWEEN ? AND ?`, from, to);
    expect(r.returnedToCenter).toBe(returned);
    expect(cases('returned_to_center')).toBe(returned);
    if (from === '2026-01-01') expect(r.received.district * r.received.center * r.refusedToAccept.district * returned).toBeGreaterThan(0);
  });

  it('decisions: assigned, refused by ground, families, children and amounts per month', () => {
    for (const ch of ['district', 'center'] as const) {
      for (const [outcome, figure] of [['assign', 'assigned'], ['refuse', 'refused']] as const) {
        const n = one('SELECT count(*) FROM journal WHERE channel = ? AND decision = ? AND decided_on BETWEEN ? AND ?', ch, outcome, from, to);
        expect(r[figure][ch]).toBe(n);
        expect(cases(figure, { channel: ch })).toBe(n);
      }
    }
    for (const reason of ['income_not_below_threshold', 'unreliable_information', 'incomplete_information', 'no_child_under_18']) {
      for (const ch of ['district', 'center'] as const) {
        const n = one(`SELECT count(*) FROM case_events e, cases c WHERE c.id = e.case_id AND c.channel = ? AND e.type = 'decision.signed'
          AND e.payload LIKE '%"outcome":"refuse"%' AND e.payload LIKE ? AND ${DAY('e.at')} BETWEEN ? AND ?`, ch, `%"${reason}"%`, from, to);
        expect(r.refusedByReason.find((x) => x.reason === reason && x.channel === ch)?.n ?? 0, `${reason} ${ch}`).toBe(n);
        expect(cases('refused_reason', { reason, channel: ch })).toBe(n);
      }
    }
    expect(r.families).toBe(one("SELECT count(*) FROM journal WHERE decision = 'assign' AND decided_on BETWEEN ? AND ?", from, to));
    expect(r.children).toBe(one("SELECT sum(children) FROM journal WHERE decision = 'assign' AND decided_on BETWEEN ? AND ?", from, to));
    expect(r.amountTiyn).toBe(one("SELECT sum(monthly_amount_tiyn) FROM journal WHERE decision = 'assign' AND decided_on BETWEEN ? AND ?", from, to));
    for (const m of r.months) {
      expect(m.amountTiyn, m.month).toBe(one("SELECT sum(monthly_amount_tiyn) FROM journal WHERE decision = 'assign' AND decided_on BETWEEN ? AND ? AND strftime('%Y-%m', decided_on) = ?", from, to, m.month));
      expect(m.received.district + m.received.center, m.month).toBe(one(`SELECT count(*) FROM cases WHERE ${DAY('created_at')} BETWEEN ? AND ? AND strftime('%Y-%m', ${DAY('created_at')}) = ?`, from, to, m.month));
      expect(reportCases(ctx, { from, to, figure: 'received', month: m.month } as never).total).toBe(m.received.district + m.received.center);
    }
    const sum = (f: (m: DistrictReport['months'][number]) => number) => r.months.reduce((a, m) => a + f(m), 0);
    expect(sum((m) => m.assigned.district + m.assigned.center)).toBe(r.assigned.district + r.assigned.center);
    expect(sum((m) => m.accepted.district + m.accepted.center)).toBe(r.accepted.district + r.accepted.center);
    expect(sum((m) => m.children)).toBe(r.children);
  });

  it('working days from application to decision: median and 90th percentile on the calendar', () => {
    const cal = seedCalendar();
    const spans = (ctx.db.prepare(`SELECT ${DAY('c.created_at')} AS a, j.decided_on AS b FROM journal j, cases c WHERE c.id = j.case_id AND j.decided_on BETWEEN ? AND ?`).all(from, to) as { a: string; b: string }[])
      .map(({ a, b }) => {
        let n = 0;
        for (let d = parseDay(a) + 1; d <= parseDay(b); d++) if (cal.isWorkingDay(formatDay(d))) n++;
        return n;
      })
      .sort((x, y) => x - y);
    expect(r.decisionDays.decisions).toBe(spans.length);
    expect(r.decisionDays.median).toBe(spans.length ? spans[Math.ceil(spans.length / 2) - 1] : null);
    expect(r.decisionDays.p90).toBe(spans.length ? spans[Math.ceil(spans.length * 0.9) - 1] : null);
  });

  it('deadlines with their legal source: met and missed in the period, overdue now', () => {
    for (const d of r.deadlines) {
      const met = one('SELECT count(*) FROM case_deadlines WHERE deadline = ? AND met = 1 AND stopped_on BETWEEN ? AND ?', d.deadline, from, to);
      const missed = one('SELECT count(*) FROM case_deadlines WHERE deadline = ? AND met = 0 AND stopped_on BETWEEN ? AND ?', d.deadline, from, to);
      const overdue = one('SELECT count(*) FROM case_deadlines WHERE deadline = ? AND stopped_on IS NULL AND due < ?', d.deadline, TODAY);
      expect([d.met, d.missed, d.overdueNow], d.deadline).toEqual([met, missed, overdue]);
      expect(cases('deadline_met', { deadline: d.deadline })).toBe(met);
      expect(cases('deadline_missed', { deadline: d.deadline })).toBe(missed);
      expect(d.source.ru).toMatch(/Регламента$/);
      expect(d.source.kk).toMatch(/^Регламенттің/);
    }
    if (from === '2026-01-01') expect(r.deadlines.find((d) => d.deadline === 'decision')!.missed).toBeGreaterThan(0);
  });

  it('referrals to the commission per precinct, and the queue now by stage', () => {
    for (const precinct of REPORT_PRECINCTS) {
      const n = one(`SELECT count(*) FROM case_events WHERE type = 'commission.referred' AND payload LIKE ? AND ${DAY('at')} BETWEEN ? AND ?`, `%"${precinct}"%`, from, to);
      expect(r.referrals.find((x) => x.precinct === precinct)?.n ?? 0, precinct).toBe(n);
      expect(cases('referrals', { precinct })).toBe(n);
    }
    for (const q of r.queue) {
      expect(q.open).toBe(one('SELECT count(*) FROM cases WHERE stage = ? AND channel = ?', q.stage, q.channel));
      expect(q.overdue).toBe(one('SELECT count(DISTINCT c.id) FROM cases c JOIN case_deadlines d ON d.case_id = c.id WHERE c.stage = ? AND c.channel = ? AND d.stopped_on IS NULL AND d.due < ?', q.stage, q.channel, TODAY));
      expect(cases('queue_open', { stage: q.stage, channel: q.channel })).toBe(q.open);
      expect(cases('queue_overdue', { stage: q.stage, channel: q.channel })).toBe(q.overdue);
    }
    expect(r.queue.reduce((a, q) => a + q.open, 0)).toBe(one("SELECT count(*) FROM cases WHERE stage NOT IN ('closed', 'refused_to_accept')"));
  });
});

describe('the report methods', () => {
  it('refuse a reversed or overlong period at the field, and give lists to district staff only', () => {
    const reversed = methods['reports.district'].input.safeParse({ from: '2026-02-01', to: '2026-01-31' });
    expect(reversed.success ? null : reversed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['from', 'field.period_reversed']]);
    const long = methods['reports.district'].input.safeParse({ from: '2016-01-01', to: '2026-01-31' });
    expect(long.success ? null : long.error.issues[0]!.message).toBe('field.period_too_long');
    expect(methods['reports.cases'].access).not.toContain('admin');
    expect(methods['reports.district'].access).toContain('head');
  });
});

describe('the XLSX export', () => {
  it('reads back with the same figures as the report, headings in the chosen language', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const { reportXlsx } = await import('../electron/services/reports/xlsx');
    const r = districtReport(ctx, '2026-01-01', '2026-12-31');
    for (const lang of ['kk', 'ru'] as const) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await reportXlsx(r, lang)) as never);
      const [summary, months, deadlines, reasons, precincts, queue] = wb.worksheets;
      const row = (ws: typeof summary, i: number) => (ws!.getRow(i).values as unknown[]).slice(1);
      expect(row(summary, 1)[1]).toBe(lang === 'kk' ? 'Аудандық бөлім' : 'Районный отдел');
      expect(row(summary, 2)).toEqual([lang === 'kk' ? 'Түскен өтініштер' : 'Поступило заявлений', r.received.district, r.received.center, r.received.district + r.received.center]);
      expect(row(summary, 4).slice(1)).toEqual([r.refusedToAccept.district, r.refusedToAccept.center, r.refusedToAccept.district + r.refusedToAccept.center]);
      expect(row(summary, 6).slice(1)).toEqual([r.assigned.district, r.assigned.center, r.assigned.district + r.assigned.center]);
      expect(row(summary, 10)[3]).toBe(r.amountTiyn / 100);
      expect(months!.rowCount).toBe(1 + r.months.length);
      r.months.forEach((m, i) => expect(row(months, i + 2), m.month).toEqual([m.month, m.received.district + m.received.center, m.accepted.district + m.accepted.center, m.assigned.district + m.assigned.center, m.refused.district + m.refused.center, m.families, m.children, m.amountTiyn / 100]));
      r.deadlines.forEach((d, i) => expect(row(deadlines, i + 2).slice(1)).toEqual([d.source[lang], d.limit, d.met, d.missed, d.overdueNow]));
      expect(reasons!.rowCount - 1).toBe(r.refusedByReason.length);
      expect(precincts!.rowCount - 1).toBe(r.referrals.length);
      expect(queue!.rowCount - 1).toBe(r.queue.length);
    }
  });
});

describe('the nearest-rank percentile of counted values', () => {
  it('agrees with sorting every value, and is null for none', () => {
    expect(percentileRank(new Map(), 0.5)).toBeNull();
    for (let round = 0; round < 50; round++) {
      const values = Array.from({ length: 1 + ((round * 37) % 200) }, (_, i) => (i * 7919 + round * 13) % 23);
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [0.1, 0.5, 0.9, 1]) expect(percentileRank(counts, p)).toBe(sorted[Math.ceil(p * sorted.length) - 1]);
    }
  });
});

describe('the report facts kept at commit', () => {
  it('follow the log as it is appended, and an act that leaves its line leaves them (last: it changes the seeded log)', () => {
    expect(reportFactsDrift(ctx.db)).toEqual(NO_REPORT_FACTS_DRIFT);
    expect(one("SELECT count(*) FROM report_referrals")).toBe(one("SELECT count(*) FROM case_events WHERE type = 'commission.referred'"));
    const grounds = one("SELECT count(*) FROM case_events e, json_each(e.payload, '$.decision.refusalGrounds') WHERE e.type = 'decision.signed' AND e.payload LIKE '%\"refuse\"%'");
    expect(grounds).toBeGreaterThan(0);
    expect(one('SELECT count(*) FROM report_refusal_grounds')).toBe(grounds);
    const referral = ctx.db.prepare("SELECT id, case_id FROM case_events WHERE type = 'commission.referred' LIMIT 1").get() as { id: string; case_id: string };
    const refusal = ctx.db.prepare("SELECT id, case_id FROM case_events WHERE type = 'decision.signed' AND payload LIKE '%\"refuse\"%' LIMIT 1").get() as { id: string; case_id: string };
    const refuse = ctx.db.prepare("INSERT INTO event_refusals (event_id, case_id, reason, refused_at) VALUES (?, ?, 'sync.conflict', '2026-12-15T06:00:00.000Z')");
    refuse.run(referral.id, referral.case_id);
    refuse.run(refusal.id, refusal.case_id);
    expect(one('SELECT count(*) FROM report_referrals WHERE event_id = ?', referral.id)).toBe(0);
    expect(one('SELECT count(*) FROM report_refusal_grounds WHERE event_id = ?', refusal.id)).toBe(0);
    expect(reportFactsDrift(ctx.db)).toEqual(NO_REPORT_FACTS_DRIFT);
  });
});
