/**
 * The demo office with a year of sample cases: made through the real path (signed acts, the one commit path), so
 * every case verifies and a rebuild reproduces its views; the district report shows it; sample cases never go
 * to the server; the same seed gives the same cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createContext, type ServicesContext } from '../electron/services/context';
import { createDemoOfficeWithSampleYear, planSampleYear, SAMPLE_CASES } from '../electron/services/demo-sample/sample-year';
import { verifyCase } from '../electron/services/case-integrity';
import { districtReport } from '../electron/services/reports/district';
import { reportXlsx } from '../electron/services/reports/xlsx';
import { reportPdfDefinition } from '../electron/services/reports/report-pdf';
import { renderPdf } from '../electron/services/forms/pdf';
import { sampleCaseIds } from '../db/repositories/sample-cases';
import { pendingEvents, syncCounts } from '../db/repositories/sync';
import { rebuildProjections } from '../db/rebuild';
import { NO_REPORT_FACTS_DRIFT, reportFactsDrift } from '../db/repositories/report-facts';
import { officeDate } from '../shared/local-date';
import { tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let ctx: ServicesContext;
let ids: string[];
const progress: number[] = [];

beforeAll(async () => {
  tmp = tempDir('sample');
  ctx = createContext({ dataDir: path.join(tmp.dir, 'data'), appVersion: 'test' });
  await createDemoOfficeWithSampleYear(ctx, { onProgress: (done) => progress.push(done) });
  ids = sampleCaseIds(ctx.db);
}, 600_000);
afterAll(() => {
  ctx.db.close();
  tmp.remove();
});

const one = (sql: string, ...params: unknown[]) => Number(Object.values(ctx.db.prepare(sql).get(...params) as object)[0] ?? 0);

describe('the demo office with a year of sample cases', () => {
  it('makes the cases one by one, saying how far it is', () => {
    expect(ids).toHaveLength(SAMPLE_CASES);
    expect(progress).toEqual(Array.from({ length: SAMPLE_CASES }, (_, i) => i + 1));
    expect(one('SELECT count(*) FROM cases')).toBe(SAMPLE_CASES);
  });

  it('verifies every sample case: hashes, chain, signatures at their signing time, papers, answers, tables', () => {
    const bad = ids.map((id) => verifyCase(ctx, id)).filter((v) => !v.valid).map((v) => ({ id: v.caseId, problems: v.problems }));
    expect(bad).toEqual([]);
  });

  it('is the log projected: a rebuild finds nothing to change', () => {
    expect(rebuildProjections(ctx.db).differences).toEqual([]);
  });

  it('keeps the report facts of every act as the log says, and a rebuild derives them again', () => {
    expect(reportFactsDrift(ctx.db)).toEqual(NO_REPORT_FACTS_DRIFT);
    expect(one('SELECT count(*) FROM report_referrals')).toBe(one("SELECT count(*) FROM case_events WHERE type = 'commission.referred'"));
    expect(one('SELECT count(*) FROM report_referrals')).toBeGreaterThan(0);
    expect(one("SELECT count(*) FROM report_refusal_grounds g JOIN cases c ON c.id = g.case_id AND c.channel = g.channel")).toBe(one('SELECT count(*) FROM report_refusal_grounds'));
    expect(one("SELECT count(*) FROM journal j JOIN cases c ON c.id = j.case_id WHERE j.applied_at = c.created_at")).toBe(one('SELECT count(*) FROM journal'));
    // A tampered fact is found, and a rebuild writes it again from the log.
    ctx.db.exec("UPDATE report_referrals SET precinct = 'AUE-77' WHERE event_id = (SELECT min(event_id) FROM report_referrals)");
    expect(reportFactsDrift(ctx.db)[1]).toEqual({ table: 'report_referrals', onlyStored: 1, onlyLog: 1 });
    rebuildProjections(ctx.db);
    expect(reportFactsDrift(ctx.db)).toEqual(NO_REPORT_FACTS_DRIFT);
  });

  it('spreads over the past 12 months, on working days between 09:00 and 17:00 Almaty time', () => {
    const today = officeDate(new Date());
    const rows = ctx.db.prepare('SELECT at FROM case_events').pluck().all() as string[];
    const calendar = ctx.calendar();
    for (const at of rows) {
      const local = new Date(Date.parse(at) + 5 * 3600_000).toISOString();
      expect(calendar.isWorkingDay(local.slice(0, 10)), at).toBe(true);
      expect(local.slice(11, 16) >= '09:00' && local.slice(11, 16) < '17:00', at).toBe(true);
      expect(local.slice(0, 10) <= today).toBe(true);
    }
    const months = new Set(rows.map((at) => at.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
  });

  it('has what a year has: refused to accept, assigned, refused with grounds, several precincts, open and overdue, deadlines met and missed', () => {
    const stages = Object.fromEntries((ctx.db.prepare('SELECT stage, count(*) AS n FROM cases GROUP BY stage').all() as { stage: string; n: number }[]).map((r) => [r.stage, r.n]));
    expect(stages.refused_to_accept).toBeGreaterThan(3);
    expect(stages.closed).toBeGreaterThan(80);
    const open = SAMPLE_CASES - (stages.closed ?? 0) - (stages.refused_to_accept ?? 0);
    expect(open).toBeGreaterThan(3);
    const today = officeDate(new Date());
    expect(one('SELECT count(DISTINCT case_id) FROM case_deadlines WHERE stopped_on IS NULL AND due < ?', today)).toBeGreaterThan(0);
    expect(one('SELECT count(*) FROM case_deadlines WHERE met = 1')).toBeGreaterThan(100);
    expect(one('SELECT count(*) FROM case_deadlines WHERE met = 0')).toBeGreaterThan(5);
    // Every precinct commission of the office gets cases.
    const precincts = one("SELECT count(*) FROM precincts WHERE office_code = 'AUE'");
    expect(precincts).toBeGreaterThan(1);
    expect(one("SELECT count(DISTINCT json_extract(payload, '$.precinct')) FROM case_events WHERE type = 'commission.referred'")).toBe(precincts);
    expect(one("SELECT count(*) FROM case_events WHERE type = 'decision.signed' AND json_extract(payload, '$.decision.outcome') = 'refuse'")).toBeGreaterThan(5);
    expect(one("SELECT count(DISTINCT applicant_iin) FROM cases")).toBe(SAMPLE_CASES);
    // Kazakh and Russian documents both.
    expect(one("SELECT count(DISTINCT doc_language) FROM cases")).toBe(2);
  });

  it("gives the district report figures, and they agree with the log", () => {
    const today = officeDate(new Date());
    const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`;
    const r = districtReport(ctx, from, today);
    const received = one('SELECT count(*) FROM cases');
    const assigned = one("SELECT count(*) FROM case_events WHERE type = 'decision.signed' AND json_extract(payload, '$.decision.outcome') = 'assign'");
    const refused = one("SELECT count(*) FROM case_events WHERE type = 'decision.signed' AND json_extract(payload, '$.decision.outcome') = 'refuse'");
    expect(received).toBeGreaterThan(0);
    expect(assigned).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    const both = (c: { district: number; center: number }) => c.district + c.center;
    expect(both(r.received)).toBe(received);
    expect(both(r.assigned)).toBe(assigned);
    expect(both(r.refused)).toBe(refused);
    expect(r.refusedToAccept.district).toBe(one("SELECT count(*) FROM cases WHERE stage = 'refused_to_accept'"));
    expect(both(r.accepted)).toBe(one('SELECT count(*) FROM journal'));
    // Both channels: the counter's and the Center's packages.
    expect(r.received.center).toBe(one("SELECT count(*) FROM cases WHERE channel = 'center'"));
    expect(r.received.center).toBeGreaterThan(10);
    expect(r.assigned.center).toBeGreaterThan(0);
    expect(r.referrals.reduce((n, x) => n + x.n, 0)).toBe(one("SELECT count(*) FROM case_events WHERE type = 'commission.referred'"));
    expect(r.months.filter((m) => m.received.district > 0).length).toBeGreaterThanOrEqual(12);
  });

  it('marks the exported report as sample data on its face: the workbook’s first row, the PDF under its title', async () => {
    const today = officeDate(new Date());
    const r = districtReport(ctx, `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`, today);
    expect(r.sampleCases).toBe(SAMPLE_CASES);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(r, 'ru')) as never);
    expect(String(wb.worksheets[0]!.getRow(1).getCell(1).value)).toContain(`Пример (демо-данные): В этом отделе ${SAMPLE_CASES} примеров дел`);
    const file = path.join(tmp.dir, 'sample-report.pdf');
    writeFileSync(file, await renderPdf(reportPdfDefinition({ language: 'kk', officeName: 'Демо', report: r, stamp: { signer: '—', serial: '—', time: '—' } })));
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    expect(text).toContain(`Үлгі (демо деректер). Бұл бөлімде ${SAMPLE_CASES} үлгі іс бар`);
    // An office with no sample cases exports no mark.
    const plain = await reportXlsx({ ...r, sampleCases: 0 }, 'ru');
    const wbPlain = new ExcelJS.Workbook();
    await wbPlain.xlsx.load(plain as never);
    expect(String(wbPlain.worksheets[0]!.getRow(1).getCell(1).value)).not.toContain('Пример');
  });

  it('keeps the sample cases on the workstation: nothing of them waits to go to the server', () => {
    expect(one("SELECT count(*) FROM event_sync WHERE state = 'pending'")).toBeGreaterThan(0);
    expect(pendingEvents(ctx.db, new Date(Date.now() + 86_400_000).toISOString())).toEqual([]);
    expect(syncCounts(ctx.db).pending).toBe(0);
  });
});

describe('the sample year is seeded', () => {
  it('plans the same year for the same seed, another for another', () => {
    expect(planSampleYear(7, 50, '2026-12-04')).toEqual(planSampleYear(7, 50, '2026-12-04'));
    expect(planSampleYear(8, 50, '2026-12-04')).not.toEqual(planSampleYear(7, 50, '2026-12-04'));
  });

  it('makes the same cases for the same seed', async () => {
    const made = async () => {
      const t = tempDir('sample-seed');
      const c = createContext({ dataDir: path.join(t.dir, 'data'), appVersion: 'test' });
      try {
        await createDemoOfficeWithSampleYear(c, { seed: 11, cases: 8 });
        const cases = c.db.prepare('SELECT case_number, applicant_iin, surname, given_name, stage, created_at FROM cases ORDER BY case_number').all();
        const events = c.db.prepare('SELECT e.type, e.at, e.actor_role FROM case_events e JOIN cases c ON c.id = e.case_id ORDER BY c.case_number, e.seq').all();
        return { cases, events };
      } finally {
        c.db.close();
        t.remove();
      }
    };
    const a = await made();
    expect(a.cases).toHaveLength(8);
    expect(await made()).toEqual(a);
  }, 300_000);
});

describe('jardem demo-office', () => {
  const jardem = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/jardem.cjs'), ...args], { encoding: 'utf8' });

  it('makes the demo office with a year of sample cases, and refuses a second one in the user language', () => {
    const t = tempDir('sample-cli');
    try {
      const dataDir = path.join(t.dir, 'data');
      const made = jardem('demo-office', '--with-sample-year', '--cases', '4', '--seed', '5', '--data-dir', dataDir);
      expect(made.status, made.stderr).toBe(0);
      const out = JSON.parse(made.stdout) as { sampleCases: number; keys: { role: string }[] };
      expect(out.sampleCases).toBe(4);
      expect(out.keys.map((k) => k.role)).toContain('head');
      expect(made.stderr).toContain('4/4');
      const rebuilt = jardem('db', 'rebuild', '--data-dir', dataDir);
      expect(JSON.parse(rebuilt.stdout).differences).toEqual([]);
      const again = jardem('demo-office', '--data-dir', dataDir, '--lang', 'kk');
      expect(again.status).toBe(2);
      expect(again.stderr).toContain('Демо-бөлім');
      expect(jardem('demo-office', '--with-sample-year', '--cases', 'many', '--data-dir', dataDir).stderr).toContain('--cases');
    } finally {
      t.remove();
    }
  }, 120_000);
});
